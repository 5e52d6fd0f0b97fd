"""Meetings: agenda, invitations, attendance, minutes, documents and calendar (Art. 7(4), Art. 7(5),
Art. 7(6), Art. 7(7))."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared import pdf
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate
from ilonet.shared.text import attachment

from .. import forms as board_forms
from .. import hooks, ical, selectors, services
from ..models import (
    Meeting,
    MeetingStatus,
)
from .common import A, _form_page, board_view

# --- meetings (Art. 7(4), Art. 7(5), Art. 7(6), Art. 7(7)) ----------------------------------------


@board_view
def meeting_list(request):
    policy.authorize(request.user, A.VIEW_BOARD)
    when = request.GET.get("when") if request.GET.get("when") in ("upcoming", "past") else None
    page = paginate(request, selectors.meeting_list(user=request.user, when=when))
    page.object_list = selectors.with_document_counts(page.object_list)
    return render(
        request,
        "board/meeting_list.html",
        {"page_obj": page, "when": when, "may_manage": policy.can(request.user, A.MANAGE_BOARD)},
    )


def _meeting_form_values(form) -> dict:
    data = form.cleaned_data
    return {k: data[k] for k in ("title", "kind", "joint_with", "starts_at", "ends_at", "location")}


@board_view
def meeting_create(request):
    """Convene a meeting (Art. 7(6)(c)); joint meetings with other networks (Art. 7(5))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    form = board_forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(actor=request.user, **_meeting_form_values(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The meeting is convened; the board's members are invited."))
            return redirect("board:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        title=_("Convene a meeting"),
        cancel_url=reverse("board:meeting_list"),
        intro=_(
            "The steering board meets at least twice a year (Art. 7(7)). A meeting is convened for "
            "today or a later day; record a meeting that already took place with its minutes."
        ),
    )


@board_view
def meeting_record_past(request):
    """Record a meeting that already took place, with its minutes (Art. 7(7)); the deadline of
    the rules of procedure does not move (Art. 8(1))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    form = board_forms.PastMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_past_meeting(
                actor=request.user, minutes=form.cleaned_data["minutes"], **_meeting_form_values(form)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The meeting is recorded with its minutes."))
            return redirect("board:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        form,
        title=_("Record a past meeting"),
        cancel_url=reverse("board:meeting_list"),
        intro=_(
            "A meeting that already took place, recorded afterwards with its minutes. It cannot be "
            "older than the board's first meeting: the three months for the rules of procedure run "
            "from that meeting (Art. 8(1))."
        ),
    )


@board_view
def meeting_edit(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    initial = {k: getattr(meeting, k) for k in ("title", "kind", "joint_with", "location")}
    initial.update(
        starts_at=timezone.localtime(meeting.starts_at), ends_at=timezone.localtime(meeting.ends_at)
    )
    form = board_forms.MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor=request.user, meeting=meeting, **_meeting_form_values(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The meeting is changed; download the updated invitation."))
            return redirect("board:meeting_detail", pk=pk)
    return _form_page(
        request, form, title=_("Change the meeting"), cancel_url=reverse("board:meeting_detail", args=[pk])
    )


def _meeting_context(request, meeting: Meeting, **forms) -> dict:
    may_manage = policy.can(request.user, A.MANAGE_BOARD)
    participants = list(meeting.participants.all())
    context = {
        "meeting": meeting,
        "participants": participants,
        "agenda": list(meeting.agenda_items.all()),
        "documents": selectors.meeting_documents(user=request.user, meeting=meeting),
        "motions": list(meeting.motions.all()),
        "may_manage": may_manage,
        "may_see_names": policy.can(request.user, A.VIEW_BOARD_MEMBERS),
        "started": meeting.starts_at <= timezone.now(),
        # The agenda changes while the meeting is planned; the chair is told why not otherwise.
        "agenda_open": policy.can(request.user, A.MANAGE_AGENDA, meeting),
        "agenda_refusal": selectors.agenda_refusal(meeting=meeting) if may_manage else "",
    }
    if context["agenda_open"] or forms.get("agenda_form") is not None:  # a refused form says why
        context["agenda_form"] = forms.get("agenda_form") or board_forms.AgendaItemForm()
    if may_manage and meeting.status != MeetingStatus.CANCELLED:
        context.update(
            invite_form=forms.get("invite_form") or board_forms.InviteForm(),
            document_form=forms.get("document_form") or board_forms.DocumentForm(meeting=meeting),
            attendance_form=forms.get("attendance_form")
            or board_forms.AttendanceForm(
                participants=participants,
                initial={"present": [str(p.pk) for p in participants if p.attended]},
            ),
            minutes_form=forms.get("minutes_form")
            or board_forms.MinutesForm(initial={"minutes": meeting.minutes}),
        )
    return context


@board_view
def meeting_detail(request, pk: int):
    policy.authorize(request.user, A.VIEW_BOARD)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    return render(request, "board/meeting_detail.html", _meeting_context(request, meeting))


def _meeting_post(request, pk: int, form_name: str, form_class, apply, success: str, **form_kwargs):
    policy.authorize(request.user, A.MANAGE_BOARD)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    form = form_class(
        request.POST, request.FILES, **{k: (meeting if v == "meeting" else v) for k, v in form_kwargs.items()}
    )
    status = 422
    if form.is_valid():
        try:
            apply(meeting, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            status = getattr(error, "status", 422)  # an upload refused: 413, 415, 503
        else:
            messages.success(request, success)
            return redirect("board:meeting_detail", pk=pk)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    context = _meeting_context(request, meeting, **{form_name: form})
    return render(request, "board/meeting_detail.html", context, status=status)


@board_view
@require_POST
def agenda_add(request, pk: int):
    return _meeting_post(
        request,
        pk,
        "agenda_form",
        board_forms.AgendaItemForm,
        lambda m, d: services.add_agenda_item(actor=request.user, meeting=m, **d),
        _("Agenda item added."),
    )


@board_view
@require_POST
def meeting_invite(request, pk: int):
    def apply(meeting, data):
        user = selectors.user_by_email(data["email"])
        services.invite(actor=request.user, meeting=meeting, user=user, role=data["role"])

    return _meeting_post(request, pk, "invite_form", board_forms.InviteForm, apply, _("Invitation recorded."))


@board_view
@require_POST
def meeting_attendance(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    form = board_forms.AttendanceForm(request.POST, participants=list(meeting.participants.all()))
    if form.is_valid():
        try:
            services.record_attendance(
                actor=request.user, meeting=meeting, present={int(v) for v in form.cleaned_data["present"]}
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Attendance recorded."))
            return redirect("board:meeting_detail", pk=pk)
    context = _meeting_context(request, meeting, attendance_form=form)
    return render(request, "board/meeting_detail.html", context, status=422)


@board_view
@require_POST
def meeting_minutes(request, pk: int):
    return _meeting_post(
        request,
        pk,
        "minutes_form",
        board_forms.MinutesForm,
        lambda m, d: services.record_minutes(actor=request.user, meeting=m, minutes=d["minutes"]),
        _("Minutes recorded; the meeting is marked as held."),
    )


@board_view
@require_POST
def document_upload(request, pk: int):
    return _meeting_post(
        request,
        pk,
        "document_form",
        board_forms.DocumentForm,
        lambda m, d: services.upload_document(actor=request.user, meeting=m, **d),
        _("Document added."),
        meeting="meeting",
    )


@board_view
@require_POST
def meeting_cancel(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    try:
        services.cancel_meeting(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting is cancelled; download the cancellation for calendars."))
    return redirect("board:meeting_detail", pk=pk)


@board_view
def document_download(request, pk: int, document_pk: int):
    """A meeting's document, streamed from the board's space after the checks, at every request:
    the meeting must be one the user sees (the board, or an observer invited to it, Art. 7(4))
    and the document one of its documents in force (no file has a URL of its own)."""
    policy.authorize(request.user, A.VIEW_BOARD)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    return hooks.meeting_documents().download(user=request.user, meeting=meeting, document_id=document_pk)


@board_view
def meeting_ics(request, pk: int):
    """The invitation as iCalendar (RFC 5545)."""
    policy.authorize(request.user, A.VIEW_BOARD)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    body = ical.meeting_invitation(
        meeting, url=request.build_absolute_uri(reverse("board:meeting_detail", args=[pk]))
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = attachment(f"ilonet-board-meeting-{meeting.pk}.ics")
    return response


@board_view
def meeting_minutes_pdf(request, pk: int):
    """The minutes as PDF; they name the participants, so only for readers of the list of
    members (Art. 9(2)(c), Art. 9(3)), and the read is audited."""
    policy.authorize(request.user, A.VIEW_BOARD)
    policy.authorize(request.user, A.VIEW_BOARD_MEMBERS)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    services.record_members_list_read(actor=request.user, fmt="pdf", filters={"meeting_minutes": pk})
    motions = []
    for m in meeting.motions.all():  # each vote as its own page and record show it
        state = selectors.vote_state(user=request.user, motion=m)
        record = list(selectors.vote_record(motion=m)) if state.votes_by_seat_visible else []
        motions.append({"motion": m, "state": state, "record": record})
    body = pdf.render_pdf(
        "board/pdf/meeting_minutes.html",
        {
            "meeting": meeting,
            "participants": list(meeting.participants.all()),
            "motions": motions,
            "agenda": list(meeting.agenda_items.all()),
            "generated_at": timezone.now(),
        },
        request,
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"ilonet-board-minutes-{meeting.pk}.pdf")
    return response
