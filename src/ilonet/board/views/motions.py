"""Motions and decisions, and their dispatch to the officers (Art. 7(8), Art. 7(9), Art. 8(1))."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate

from .. import forms as board_forms
from .. import selectors, services
from ..models import (
    ActivityReport,
    Choice,
    Motion,
    MotionStatus,
    Procedure,
    ProgrammeStatus,
    RulesOfProcedure,
    RulesStatus,
    WorkProgramme,
)
from .common import A, _form_page, _status, board_view

# --- motions and votes (Art. 7(8), Art. 8(1)) ----------------------------------------------------------


@board_view
def motion_list(request):
    policy.authorize(request.user, A.VIEW_BOARD)
    services.close_due_motions()
    status = request.GET.get("status") if request.GET.get("status") in MotionStatus.values else None
    page = paginate(request, selectors.motion_list(user=request.user, status=status))
    return render(
        request,
        "board/motion_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": MotionStatus.choices,
            "may_manage": policy.can(request.user, A.MANAGE_BOARD),
        },
    )


def _subject_from(request):
    """A motion that adopts a document (?rules=, ?programme=, ?report=)."""
    for name, model, status in (
        ("rules", RulesOfProcedure, RulesStatus.DRAFT),
        ("programme", WorkProgramme, ProgrammeStatus.DRAFT),
        ("report", ActivityReport, ProgrammeStatus.DRAFT),
    ):
        value = request.GET.get(name) or request.POST.get(name)
        if value:
            if not str(value).isdigit():
                raise Http404
            return name, model.objects.get(pk=int(value), status=status)
    return None, None


@board_view
def motion_create(request):
    policy.authorize(request.user, A.MANAGE_BOARD)
    subject_name, subject = _subject_from(request)
    meetings = board_forms.meeting_choices(selectors.meeting_list(user=request.user))
    # Rules of procedure concern the board itself; other decisions go to the officers (Art. 7(9)).
    initial = {"procedure": Procedure.WRITTEN, "communicate_to_ilos": subject_name != "rules"}
    if subject is not None:
        initial.update(
            title=_("Adoption of %(document)s") % {"document": subject},
            text=_("The steering board adopts %(document)s.") % {"document": subject},
        )
    form = board_forms.MotionForm(request.POST or None, meetings=meetings, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            motion = services.create_motion(
                actor=request.user, **form.cleaned_data, **({subject_name: subject} if subject else {})
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The motion is drafted; open the vote when the board is ready."))
            return redirect("board:motion_detail", pk=motion.pk)
    return render(
        request,
        "board/motion_form.html",
        {
            "form": form,
            "subject": subject,
            "subject_name": subject_name,
            "rules_in_force": selectors.rules_in_force(day=timezone.localdate()),
        },
        status=_status(form),
    )


def _motion_context(request, motion: Motion, **forms) -> dict:
    """Everything the motion page shows follows ``selectors.vote_state``: what this user may see
    and do on this vote now (the API's ``GET /motions/{id}/state`` gives the same answer)."""
    user = request.user
    voter = selectors.voter_view(user=user, motion=motion)
    state = selectors.vote_state(user=user, motion=motion)
    context = {
        "motion": motion,
        "state": state,
        "voter": voter,
        "may_manage": policy.can(user, A.MANAGE_BOARD),
        "may_speak": policy.can(user, A.SPEAK, motion)
        and motion.status in (MotionStatus.DRAFT, MotionStatus.OPEN),
        "comments": list(selectors.comments_of(motion=motion)),
        "changes": selectors.changes_of(user=user, motion=motion),
        "proxies": list(selectors.proxies_of(motion=motion)),
        "agenda_item": selectors.agenda_item_of(motion=motion),
        "explanation": state.results_note if state.results == selectors.RESULTS_FINAL else "",
        "may_see_names": policy.can(user, A.VIEW_BOARD_MEMBERS),  # Art. 9(2)(c), Art. 9(3)
        "record": list(selectors.vote_record(motion=motion)) if state.participants_visible else [],
        "receipts": list(selectors.published_receipts(motion=motion)) if state.receipts_published else [],
        "choices": dict(Choice.choices),
        "dispatches": list(selectors.dispatches_of(motion=motion))
        if motion.status == MotionStatus.CLOSED
        else [],
        "receipt": forms.get("receipt"),
        "found_ballot": forms.get("found_ballot"),
    }
    if forms.get("vote_form") is not None:
        context["vote_form"] = forms["vote_form"]
    elif voter.may_vote or voter.proxies:
        context["vote_form"] = board_forms.VoteForm(
            own_seat=voter.seat if voter.may_vote else None, proxies=voter.proxies
        )
    rules = (
        motion.rules_in_force
        if motion.status == MotionStatus.OPEN
        else selectors.rules_in_force(day=timezone.localdate())
    )
    if forms.get("proxy_form") is not None:
        context["proxy_form"] = forms["proxy_form"]  # with the reason it was refused
    elif (
        rules is not None
        and rules.proxies_allowed  # Art. 8(1)
        and voter.seat is not None
        and not voter.voted
        and motion.status in (MotionStatus.DRAFT, MotionStatus.OPEN)
    ):
        context["proxy_form"] = board_forms.ProxyForm()
    if context["may_speak"]:
        context["comment_form"] = forms.get("comment_form") or board_forms.CommentForm()
    if state.receipts_published:
        context["receipt_form"] = forms.get("receipt_form") or board_forms.ReceiptForm()
    if state.may_change_deadline:
        context["deadline_form"] = forms.get("deadline_form") or board_forms.DeadlineForm(
            initial={"closes_at": timezone.localtime(motion.closes_at)}
        )
    return context


def _get_motion(request, pk: int) -> Motion:
    return selectors.motion_detail(user=request.user, pk=pk)


@board_view
def motion_detail(request, pk: int):
    policy.authorize(request.user, A.VIEW_BOARD)
    services.close_due_motions()
    motion = _get_motion(request, pk)
    extra = {}
    if "code" in request.GET and motion.secret and motion.status == MotionStatus.CLOSED:
        form = board_forms.ReceiptForm(request.GET)
        extra["receipt_form"] = form
        if form.is_valid():
            found = selectors.find_receipt(motion=motion, code=form.cleaned_data["code"])
            if found is None:
                form.add_error("code", _("No ballot of this vote has this receipt."))
            extra["found_ballot"] = found
    context = _motion_context(request, motion, **extra)
    return render(request, "board/motion_detail.html", context, status=_status(extra.get("receipt_form")))


def _motion_error(request, motion: Motion, form_name: str, form) -> HttpResponse:
    motion = _get_motion(request, motion.pk)
    return render(
        request, "board/motion_detail.html", _motion_context(request, motion, **{form_name: form}), status=422
    )


def _motion_action(request, pk: int, apply, success: str):
    policy.authorize(request.user, A.MANAGE_BOARD)
    motion = _get_motion(request, pk)
    try:
        apply(motion)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("board:motion_detail", pk=pk)


@board_view
@require_POST
def motion_open(request, pk: int):
    return _motion_action(
        request, pk, lambda m: services.open_motion(actor=request.user, motion=m), _("The vote is open.")
    )


@board_view
@require_POST
def motion_close(request, pk: int):
    return _motion_action(
        request,
        pk,
        lambda m: services.close_motion(actor=request.user, motion=m),
        _("The vote is closed and counted."),
    )


@board_view
@require_POST
def motion_withdraw(request, pk: int):
    return _motion_action(
        request,
        pk,
        lambda m: services.withdraw_motion(actor=request.user, motion=m),
        _("The motion is withdrawn."),
    )


@board_view
@require_POST
def motion_deadline(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    motion = _get_motion(request, pk)
    form = board_forms.DeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.extend_deadline(
                actor=request.user, motion=motion, closes_at=form.cleaned_data["closes_at"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The deadline is changed."))
            return redirect("board:motion_detail", pk=pk)
    return _motion_error(request, motion, "deadline_form", form)


@board_view
def motion_amend(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    motion = _get_motion(request, pk)
    form = board_forms.AmendMotionForm(
        request.POST or None, initial={"title": motion.title, "text": motion.text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.amend_motion(actor=request.user, motion=motion, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The motion is amended."))
            return redirect("board:motion_detail", pk=pk)
    return _form_page(
        request, form, title=_("Amend the motion"), cancel_url=reverse("board:motion_detail", args=[pk])
    )


# --- decisions passed on (Art. 7(9)) --------------------------------------------------------------


@board_view
def decision_list(request):
    """Adopted decisions (Art. 7(8)), shared with the network (Art. 9(2)(e))."""
    policy.authorize(request.user, A.VIEW_DECISIONS)
    form = board_forms.SearchForm(request.GET or None)
    search = form.cleaned_data.get("search") if form.is_valid() else None
    page = paginate(request, selectors.decision_list(user=request.user, search=search))
    return render(request, "board/decision_list.html", {"form": form, "page_obj": page})


@board_view
def decision_detail(request, pk: int):
    policy.authorize(request.user, A.VIEW_DECISIONS)
    motion = selectors.decision_detail(user=request.user, pk=pk)
    return render(
        request,
        "board/decision_detail.html",
        {
            "motion": motion,
            "explanation": selectors.explanation(motion),
            "dispatches": list(selectors.dispatches_of(motion=motion)),
            "sees_board": policy.can(request.user, A.VIEW_BOARD),
            "may_see_names": policy.can(request.user, A.VIEW_BOARD_MEMBERS),
        },
    )


@board_view
def dispatch_list(request):
    """The decisions the user's deploying authorities pass on to their officers (Art. 7(9))."""
    policy.authorize(request.user, A.PASS_ON_DECISIONS)
    pending = {"pending": True, "done": False}.get(request.GET.get("show", "pending"))
    page = paginate(request, selectors.dispatches_for(user=request.user, pending=pending))
    return render(
        request,
        "board/dispatch_list.html",
        {"page_obj": page, "show": request.GET.get("show", "pending"), "form": board_forms.PassOnForm()},
    )


@board_view
@require_POST
def dispatch_mark(request, pk: int):
    policy.authorize(request.user, A.PASS_ON_DECISIONS)
    dispatch = selectors.dispatches_for(user=request.user).get(pk=pk)
    form = board_forms.PassOnForm(request.POST)
    if form.is_valid():
        try:
            services.mark_passed_on(actor=request.user, dispatch=dispatch, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recorded as passed on to the officers."))
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect("board:dispatch_list")
