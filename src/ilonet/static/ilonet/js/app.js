/*
 * ILOnet front-end glue, loaded with "defer" after ecl-ec.js and htmx.min.js.
 * - Initialises the Europa Component Library (ECL) components when the page is loaded and
 *   again after every htmx swap (ECL.autoInit skips components already initialised).
 * - Makes htmx send Django's CSRF token, read from <meta name="csrf-token">, as X-CSRFToken.
 * There is no inline JavaScript anywhere: the Content Security Policy forbids it.
 */
(function () {
  "use strict";

  function initEcl() {
    if (window.ECL && typeof window.ECL.autoInit === "function") {
      window.ECL.autoInit();
    }
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  document.addEventListener("DOMContentLoaded", initEcl);

  // htmx events bubble up to the document.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) {
      event.detail.headers["X-CSRFToken"] = token;
    }
  });
  document.addEventListener("htmx:afterSettle", initEcl);
})();
