"""One return case: the case file, quick event entry, approvals, flags, the hold, opening a case
(RS 2(a), RS 2(b), RS 2(c)). Thin: the policy first, the case looked up in the user's member
states (404 otherwise), the core's services write. Every writing form carries the case's
version: a stale save is refused and the page shows the change made first (409)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.forms import apply_validation_error

from .. import casefile, rls, selectors
from ..forms import (
    IDENTITY_ERRORS,
    EventForm,
    FlagForm,
    OpenCaseForm,
    ReasonForm,
    VersionForm,
    event_field_errors,
)
from ..models import Approval, ApprovalStatus, ReturnCase
from ..services import approvals as approval_services
from ..services import cases as case_services
from ..services import flags as flag_services
from ..services import timeline as timeline_services

A = policy.Action


def _case(user: Any, reference: str, action: policy.Action = A.VIEW_RETURN_CASES) -> ReturnCase:
    with rls.scope_for(user):
        try:
            return casefile.case_for(user, reference, action)
        except ReturnCase.DoesNotExist:
            raise Http404 from None


def is_stale(error: ValidationError) -> bool:
    """The services' refusal of a save made on an older version of the case."""
    return hasattr(error, "current_version") or (
        hasattr(error, "error_dict") and "version" in error.error_dict
    )


def _page(
    request,
    reference: str,
    *,
    event_form: EventForm | None = None,
    status: int = 200,
    stale: ValidationError | None = None,
    problem: ValidationError | None = None,
):
    with rls.scope_for(request.user):
        try:
            file = casefile.open_case(request.user, reference, via="page")
        except ReturnCase.DoesNotExist:
            raise Http404 from None
        may_record = policy.can(request.user, A.RECORD_RETURN_EVENTS, file.case)
        kind = request.GET.get("kind", "")
        if event_form is None:
            event_form = EventForm(initial={"version": file.case.version}, kind=kind)
        elif stale is not None:
            data = event_form.data.copy()
            data["version"] = str(file.case.version)  # they now see the change made first
            event_form = EventForm(data, kind=event_form.kind)
            event_form.is_valid()
        context = {
            "file": file,
            "case": file.case,
            "event_form": event_form,
            "flag_form": FlagForm(initial={"version": file.case.version}),
            "may_record": may_record and not file.case.is_closed,
            "may_approve": policy.can(request.user, A.APPROVE_RETURN_STEPS, file.case),
            "stale": stale.messages if stale is not None else [],
            "problems": problem.messages if problem is not None else [],
            "approved": ApprovalStatus.APPROVED,
            "next_kinds": selectors.next_kinds(file.case) if may_record else [],
            "requested": ApprovalStatus.REQUESTED,
        }
        return render(request, "returns/case_detail.html", context, status=status)


@login_required
def case_detail(request, reference: str):
    policy.authorize(request.user, A.VIEW_RETURN_CASES)
    return _page(request, reference)


@login_required
def record_event(request, reference: str):
    """Quick event entry: GET shows the form for one kind (``?kind=``; to htmx, only that kind's
    fields), POST records it."""
    policy.authorize(request.user, A.RECORD_RETURN_EVENTS)
    case = _case(request.user, reference, A.RECORD_RETURN_EVENTS)
    if request.method != "POST":
        # the version the officer's page was loaded at (htmx passes it on when the kind changes),
        # so that switching the kind never silently takes a newer version than the one they saw
        asked = request.GET.get("version", "")
        version = int(asked) if asked.isdigit() and len(asked) < 10 else case.version
        form = EventForm(initial={"version": version}, kind=request.GET.get("kind", ""))
        # htmx asks for the fields of the chosen kind only, when the kind changes
        template = (
            "returns/_event_fields.html" if request.headers.get("HX-Request") else "returns/event_form.html"
        )
        return render(request, template, {"event_form": form, "case": case})
    form = EventForm(request.POST, kind=request.POST.get("kind", ""))
    if not form.is_valid():
        return _page(request, reference, event_form=form, status=422)
    data = form.cleaned_data
    try:
        timeline_services.record_event(
            actor=request.user,
            case=case,
            kind=form.kind,
            fields=form.event_fields(),
            occurred_on=data.get("occurred_on"),
            version=data["version"],
            supersedes=data.get("supersedes"),
        )
    except ValidationError as error:
        if is_stale(error):
            form.add_error(None, error.messages)
            return _page(request, reference, event_form=form, status=409, stale=error)
        if hasattr(error, "error_dict"):
            error = ValidationError(event_field_errors(error.message_dict))
        apply_validation_error(form, error)
        return _page(request, reference, event_form=form, status=422)
    messages.success(request, _("The event is recorded."))
    return redirect("returns:case_detail", reference=case.reference)


def _write(request, reference: str, action: policy.Action, form, call) -> Any:
    """Run a small write (approval, flag, hold) with the case's version; on a refusal show the
    case again with the reason (409 for a stale version, 422 otherwise)."""
    if not form.is_valid():
        return _page(
            request,
            reference,
            status=422,
            problem=ValidationError(
                [
                    f"{field}: {' '.join(errs)}" if field != "__all__" else " ".join(errs)
                    for field, errs in form.errors.items()
                ]
            ),
        )
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        if is_stale(error):
            return _page(request, reference, status=409, stale=error)
        return _page(request, reference, status=422, problem=error)
    return None


@login_required
@require_POST
def decide_approval(request, reference: str, pk: int, decision: str):
    """Approve, refuse (with a reason) or revoke (with a reason) a step; never by the requester."""
    policy.authorize(request.user, A.APPROVE_RETURN_STEPS)
    with rls.scope_for(request.user):
        try:
            approval = casefile.approval_for(request.user, reference, pk)
        except Approval.DoesNotExist:
            raise Http404 from None
    if decision not in ("approve", "refuse", "revoke"):
        raise Http404
    form = VersionForm(request.POST) if decision == "approve" else ReasonForm(request.POST)

    def call(data: dict[str, Any]) -> None:
        if decision == "approve":
            approval_services.approve_step(actor=request.user, approval=approval, version=data["version"])
        elif decision == "refuse":
            approval_services.refuse_step(
                actor=request.user, approval=approval, reason=data["reason"], version=data["version"]
            )
        else:
            approval_services.revoke_approval(
                actor=request.user, approval=approval, reason=data["reason"], version=data["version"]
            )

    refused = _write(request, reference, A.APPROVE_RETURN_STEPS, form, call)
    if refused is not None:
        return refused
    done = {
        "approve": _("The step is approved."),
        "refuse": _("The step is refused."),
        "revoke": _("The approval is revoked."),
    }
    messages.success(request, done[decision])
    return redirect("returns:case_detail", reference=approval.case.reference)


def _case_event(request, reference: str, form_class, record, done: str):
    """A timeline write of a return officer (flags, holds): the case read in the officer's
    scope, the form checked, the service called, the case page shown again."""
    policy.authorize(request.user, A.RECORD_RETURN_EVENTS)
    case = _case(request.user, reference, A.RECORD_RETURN_EVENTS)
    refused = _write(
        request, reference, A.RECORD_RETURN_EVENTS, form_class(request.POST), lambda d: record(case, d)
    )
    if refused is not None:
        return refused
    messages.success(request, done)
    return redirect("returns:case_detail", reference=case.reference)


def _flag_change(request, reference: str, change, done: str):
    return _case_event(
        request,
        reference,
        FlagForm,
        lambda case, d: change(actor=request.user, case=case, kind=d["kind"], version=d["version"]),
        done,
    )


@login_required
@require_POST
def set_flag(request, reference: str):
    return _flag_change(request, reference, flag_services.set_flag, _("The flag is set."))


@login_required
@require_POST
def clear_flag(request, reference: str):
    return _flag_change(request, reference, flag_services.clear_flag, _("The flag is cleared."))


@login_required
@require_POST
def release_hold(request, reference: str):
    return _case_event(
        request,
        reference,
        VersionForm,
        lambda case, d: timeline_services.record_event(
            actor=request.user, case=case, kind="hold_released", version=d["version"]
        ),
        _("The hold is released."),
    )


@login_required
def open_case(request):
    """A new case: case type, third country of return, the person's identity (sealed)."""
    policy.authorize(request.user, A.RECORD_RETURN_EVENTS)
    states = casefile.member_states(request.user)
    form = OpenCaseForm(request.POST or None, member_states=states)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = case_services.open_case(
                actor=request.user,
                case_type=d["case_type"],
                third_country=d["third_country"],
                person=form.person(),
                member_state=d.get("member_state") or "",
                opened_on=d.get("opened_on"),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                error = ValidationError({IDENTITY_ERRORS.get(k, k): v for k, v in error.message_dict.items()})
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The case %(reference)s is opened.") % {"reference": case.reference})
            return redirect("returns:case_detail", reference=case.reference)
    return render(
        request,
        "returns/case_form.html",
        {"form": form, "current": "new"},
        status=422 if form.errors else 200,
    )
