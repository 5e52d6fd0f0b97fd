"""The worklist, the case list and the search (RS 2(a), RS 2(c)): thin, each asks the policy
first, keyset-paged, counts bounded."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ilonet import policy
from ilonet.shared.paging import keyset_paginate

from .. import casefile
from ..forms import CaseFilterForm, SearchForm, WorklistFilterForm

A = policy.Action
PAGE = 50


def _filters(form) -> dict[str, str]:
    return {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}


@login_required
@casefile.in_scope(A.VIEW_RETURN_CASES)
def worklist(request):
    """Cases that stall, each under its rule with its due date (RS 2(a): no gaps between stages)."""
    form = WorklistFilterForm(request.GET or None)
    page = keyset_paginate(request, casefile.worklist(request.user, **_filters(form)), per_page=PAGE)
    flags = casefile.open_flags([entry.case_id for entry in page])
    casefile.log_list(request.user, [entry.case for entry in page], via="worklist")
    rows = [(entry, flags.get(entry.case_id, [])) for entry in page]
    template = (
        "returns/_worklist_table.html" if request.headers.get("HX-Request") else "returns/worklist.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "current": "worklist",
            "may_record": policy.can(request.user, A.RECORD_RETURN_EVENTS),
        },
    )


@login_required
@casefile.in_scope(A.VIEW_RETURN_CASES)
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    page = keyset_paginate(request, casefile.cases(request.user, **_filters(form)), per_page=PAGE)
    flags = casefile.open_flags([case.pk for case in page])
    casefile.log_list(request.user, list(page), via="case_list")
    rows = [(case, flags.get(case.pk, [])) for case in page]
    template = "returns/_case_table.html" if request.headers.get("HX-Request") else "returns/case_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "current": "cases",
            "may_record": policy.can(request.user, A.RECORD_RETURN_EVENTS),
        },
    )


@login_required
@casefile.in_scope(A.SEARCH_RETURN_CASES)
def search(request):
    """By reference or by name; by POST, so that a name never travels in a URL."""
    form = SearchForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = casefile.search(request.user, form.cleaned_data["q"], via="page")
    return render(
        request,
        "returns/search.html",
        {"form": form, "found": found, "current": "search"},
        status=422 if form.errors else 200,
    )
