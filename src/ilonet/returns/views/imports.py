"""The imports of a member state's return cases and their progress, the rows they refused, and
the review queue of suspected duplicate persons (RS 2(c)). Thin: the policy first
(``VIEW_RETURN_CASES`` to read, ``RECORD_RETURN_EVENTS`` to decide a duplicate), the rows read
in the user's member states only (another state's run or suspect is a 404), keyset-paged; the
interchange's selectors read and its services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.paging import keyset_paginate

from .. import casefile
from ..forms import DuplicateDecisionForm
from ..interchange import selectors, services
from ..models import ImportStatus

A = policy.Action
PAGE = 50
POLL_SECONDS = 2


def _run(request, pk: int):
    run = selectors.run_of(actor=request.user, run_id=pk)
    if run is None:
        raise Http404
    return run


def _may_record(request) -> dict:
    return {"may_record": policy.can(request.user, A.RECORD_RETURN_EVENTS)}


def _progress_context(run) -> dict:
    return {
        "run": run,
        "progress": selectors.progress_of(run),
        "running": run.status == ImportStatus.RUNNING,
        "poll_seconds": POLL_SECONDS,
    }


@login_required
@casefile.in_scope(A.VIEW_RETURN_CASES)
def import_list(request):
    """The imports of the user's member states, newest first."""
    page = keyset_paginate(request, selectors.runs_query(actor=request.user), per_page=PAGE)
    template = (
        "returns/_import_table.html" if request.headers.get("HX-Request") else "returns/import_list.html"
    )
    context = {"page_obj": page, "runs": list(page), "current": "imports", **_may_record(request)}
    return render(request, template, context)


@login_required
@casefile.in_scope(A.VIEW_RETURN_CASES)
def import_detail(request, pk: int):
    """One import: its progress (refreshed while it runs) and the rows it refused, by line."""
    run = _run(request, pk)
    page = keyset_paginate(
        request, selectors.row_errors_query(actor=request.user, run_id=run.pk), per_page=PAGE
    )
    context = {
        **_progress_context(run),
        **_may_record(request),
        "page_obj": page,
        "errors": list(page),
        "current": "imports",
    }
    return render(request, "returns/import_detail.html", context)


@login_required
@casefile.in_scope(A.VIEW_RETURN_CASES)
def import_progress(request, pk: int):
    """The progress panel alone: the page polls it (htmx) while the import runs."""
    run = _run(request, pk)
    return render(request, "returns/_import_progress.html", _progress_context(run))


@login_required
@casefile.in_scope(A.VIEW_RETURN_CASES)
def duplicate_queue(request):
    """Suspected duplicate persons of the user's member states, to merge or separate."""
    page = keyset_paginate(request, selectors.duplicates_query(actor=request.user), per_page=PAGE)
    return render(
        request,
        "returns/duplicate_queue.html",
        {
            "page_obj": page,
            "suspects": list(page),
            "form": DuplicateDecisionForm(),
            "may_decide": policy.can(request.user, A.RECORD_RETURN_EVENTS),
            **_may_record(request),
            "current": "duplicates",
        },
    )


@login_required
@require_POST
def decide_duplicate(request, pk: int):
    """Merge (the same person) or separate (two persons) one suspected duplicate."""
    policy.authorize(request.user, A.RECORD_RETURN_EVENTS)
    suspect = selectors.duplicate_of(actor=request.user, suspect_id=pk)
    if suspect is None:
        raise Http404
    form = DuplicateDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the two cases are the same person or two persons."))
        return redirect("returns:duplicate_queue")
    decide = (
        services.merge_duplicate if form.cleaned_data["decision"] == "merge" else services.separate_duplicate
    )
    try:
        decide(actor=request.user, suspect=suspect, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("returns:duplicate_queue")
    if form.cleaned_data["decision"] == "merge":
        messages.success(request, _("The two cases are linked as the same person."))
    else:
        messages.success(request, _("The two cases are kept apart as two persons."))
    return redirect("returns:duplicate_queue")
