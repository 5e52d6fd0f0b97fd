/*
 * ILOnet front-end glue, loaded with "defer" after ecl-ec.js and htmx.min.js.
 * - Initialises the Europa Component Library (ECL) components when the page is loaded and
 *   again after every htmx swap (ECL.autoInit skips components already initialised).
 * - Makes htmx send Django's CSRF token, read from <meta name="csrf-token">, as X-CSRFToken.
 * - Labels the cells of ECL tables that have no data-ecl-table-header with their column's
 *   header, so that on a narrow screen, where the cells stack, each value keeps its name.
 * There is no inline JavaScript anywhere: the Content Security Policy forbids it.
 */
(function () {
  "use strict";

  function initEcl() {
    if (window.ECL && typeof window.ECL.autoInit === "function") {
      window.ECL.autoInit();
    }
  }

  function labelTableCells() {
    document.querySelectorAll("table.ecl-table:not(.ecl-table--simple)").forEach(function (table) {
      var headers = [];
      table.querySelectorAll("thead tr:first-child th").forEach(function (th) {
        var span = th.colSpan || 1;
        for (var i = 0; i < span; i++) {
          headers.push(th.textContent.trim());
        }
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-ecl-table-header") && cell.colSpan === 1 && headers[column]) {
            cell.setAttribute("data-ecl-table-header", headers[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("DOMContentLoaded", initEcl);
  document.addEventListener("DOMContentLoaded", labelTableCells);

  // htmx events bubble up to the document.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });
  document.addEventListener("htmx:afterSettle", initEcl);
  document.addEventListener("htmx:afterSettle", labelTableCells);
})();
