"""The worklist, the case list and the search (RS 2(a), RS 2(c)): thin, each asks the policy
first, keyset-paged, counts bounded."""

from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from ilonet import policy
from ilonet.directory.selectors import country_name
from ilonet.shared.paging import keyset_paginate

from .. import casefile
from ..forms import CaseFilterForm, SearchForm, WorklistFilterForm
from ..machine import STAGES, STATUSES
from ..models import WorklistEntry, WorklistRule

A = policy.Action
PAGE = 50
_MARK = "__reference__"


def case_url_maker() -> Any:
    """A function giving a case page's URL from its reference, as ``{% url 'returns:case_detail'
    reference %}`` gives it (``reverse`` quotes the path the same way), the pattern reversed once
    for the page rather than once per row."""
    head, _mark, tail = reverse("returns:case_detail", args=[_MARK]).rpartition(_MARK)

    def url(reference: str) -> str:
        if "/" in reference or not reference:  # not a plain path segment: as reverse() decides
            return reverse("returns:case_detail", args=[reference])
        return head + quote(reference, safe=RFC3986_SUBDELIMS + "/~:@") + tail

    return url


class WorklistRow(NamedTuple):
    """One row of the worklist page, its labels translated once per page, not once per cell."""

    entry: WorklistEntry
    flags: list[str]
    url: str
    rule: str
    stage: str
    status: str
    third_country: str


def worklist_rows(entries: list[WorklistEntry], flags: dict[int, list[str]]) -> list[WorklistRow]:
    rules = {value: str(label) for value, label in WorklistRule.choices}
    stages = {value: str(label) for value, label in STAGES.items()}
    statuses = {value: str(label) for value, label in STATUSES.items()}
    url = case_url_maker()
    return [
        WorklistRow(
            entry=e,
            flags=flags.get(e.case_id, []),
            url=url(e.case.reference),
            rule=rules.get(e.rule, e.rule),
            stage=stages.get(e.case.stage, e.case.stage),
            status=statuses.get(e.case.status, e.case.status),
            third_country=country_name(e.case.third_country),
        )
        for e in entries
    ]


def _filters(form) -> dict[str, str]:
    return {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}


@login_required
@casefile.in_scope(A.VIEW_RETURN_CASES)
def worklist(request):
    """Cases that stall, each under its rule with its due date (RS 2(a): no gaps between stages)."""
    form = WorklistFilterForm(request.GET or None)
    page = keyset_paginate(request, casefile.worklist(request.user, **_filters(form)), per_page=PAGE)
    entries = list(page)
    flags = casefile.open_flags([entry.case_id for entry in entries])
    casefile.log_list(request.user, [entry.case for entry in entries], via="worklist")
    rows = worklist_rows(entries, flags)
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
