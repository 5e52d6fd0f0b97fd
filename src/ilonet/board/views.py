"""Pages of the steering board (Art. 7, 8). Thin: ask the policy, call a selector or a
service, render. Errors from the services come back as form errors with status 422."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.core.exports import csv_response
from ilonet.core.forms import apply_validation_error
from ilonet.core.paging import paginate
from ilonet.deployments.models import PlaceKind
from ilonet.directory import selectors as directory
from ilonet.directory.models import OrganisationKind

from . import forms as board_forms
from . import ical, pdf, selectors, services
from .models import (
    ActivityReport,
    AdHocAction,
    Choice,
    Meeting,
    MeetingStatus,
    Membership,
    Motion,
    MotionStatus,
    Procedure,
    ProgrammeStatus,
    RulesOfProcedure,
    RulesStatus,
    WorkProgramme,
    WorkProgrammeItem,
)

A = policy.Action


def _not_found_on_missing(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404 from None

    return wrapper


def board_view(view):
    return login_required(_not_found_on_missing(view))


def _status(*forms) -> int:
    return 422 if any(f is not None and f.errors for f in forms) else 200


def _attachment(name: str) -> str:
    return f'attachment; filename="{name}"'


def _csv(rows, filename: str) -> StreamingHttpResponse:
    return csv_response(rows, filename=filename)


def _form_page(request, form, *, title: str, intro: str = "", submit: str = "", cancel_url: str = ""):
    return render(
        request,
        "board/form_page.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit or _("Save"),
            "cancel_url": cancel_url,
        },
        status=_status(form),
    )


# --- dashboard ---------------------------------------------------------------------------------


@board_view
def dashboard(request):
    """The board at a glance; for the chair and secretariat, the warnings of Art. 7(7), 8(1)
    and 8(2)(d)."""
    user = request.user
    sees_board = policy.can(user, A.VIEW_BOARD)
    sees_decisions = policy.can(user, A.VIEW_DECISIONS)
    sees_reports = policy.can(user, A.VIEW_PROGRAMMES_AND_REPORTS)
    if not (sees_board or sees_decisions or sees_reports):
        policy.authorize(user, A.VIEW_BOARD)
    context = {"sees_board": sees_board, "sees_decisions": sees_decisions, "sees_reports": sees_reports}
    today = timezone.localdate()
    if sees_board:
        services.close_due_motions()
        comp = selectors.composition(day=today)
        context.update(
            meetings=selectors.upcoming_meetings(user=user),
            open_motions=selectors.open_motions_for(user=user),
            voting_members=comp.voting,
            non_voting_members=comp.non_voting,
            threshold=comp.threshold,
            vacancies=len([r for r in comp.vacancies if r.seat.voting]),
            rules_deadline=selectors.rules_deadline(),
        )
    if policy.can(user, A.MANAGE_BOARD):
        context["warnings"] = selectors.chair_warnings(user=user)
    if sees_decisions:
        context["decisions"] = list(selectors.decision_list(user=user)[:5])
    if policy.can(user, A.PASS_ON_DECISIONS):
        context["to_pass_on"] = selectors.dispatches_for(user=user, pending=True).count()
    context.update(
        may_manage=policy.can(user, A.MANAGE_BOARD),
        may_see_members=policy.can(user, A.VIEW_BOARD_MEMBERS),
    )
    return render(request, "board/dashboard.html", context)


# --- members (Art. 7(2)-(4), 9(2)(c)) ----------------------------------------------------------

MEMBER_COLUMNS = (
    _lazy("Seat"),
    _lazy("Kind of seat"),
    _lazy("Voting"),
    _lazy("Capacity"),
    _lazy("Name"),
    _lazy("Organisation"),
    _lazy("E-mail address"),
    _lazy("From"),
    _lazy("Until"),
)


@board_view
def member_list(request):
    """The list of members of the board (Art. 9(2)(c)): only for liaison officers, board
    members and duly authorised staff (Art. 9(3)); each page read is audited."""
    policy.authorize(request.user, A.VIEW_BOARD_MEMBERS)
    form = board_forms.SearchForm(request.GET or None)
    search = form.cleaned_data.get("search") if form.is_valid() else None
    today = timezone.localdate()
    page = paginate(request, selectors.member_list(user=request.user, day=today, search=search))
    services.record_members_list_read(
        actor=request.user,
        page=page.number,
        rows=len(page.object_list),
        filters={"search": search or ""},
    )
    may_manage = policy.can(request.user, A.MANAGE_BOARD)
    context = {"form": form, "page_obj": page, "may_manage": may_manage, "today": today}
    if may_manage or policy.can(request.user, A.VIEW_BOARD):
        comp = selectors.composition(day=today)
        context.update(composition=comp, vacancies=comp.vacancies)
    if may_manage:
        context["end_form"] = board_forms.EndMembershipForm(initial={"valid_until": today})
    return render(request, "board/member_list.html", context)


@board_view
def member_export(request):
    policy.authorize(request.user, A.VIEW_BOARD_MEMBERS)
    form = board_forms.SearchForm(request.GET or None)
    search = form.cleaned_data.get("search") if form.is_valid() else None
    memberships = selectors.member_list(user=request.user, search=search)
    services.record_members_list_read(actor=request.user, fmt="csv", filters={"search": search or ""})

    def rows():
        yield [str(c) for c in MEMBER_COLUMNS]
        for m in memberships.iterator(chunk_size=500):
            yield (
                str(m.seat),
                m.seat.get_kind_display(),
                _("yes") if m.seat.voting else _("no"),
                m.get_capacity_display(),
                str(m.user),
                str(m.user.organisation),
                m.user.email,
                m.valid_from,
                m.valid_until or "",
            )

    return _csv(rows(), f"ilonet-board-members-{timezone.localdate():%Y%m%d}.csv")


@board_view
def membership_create(request):
    """Record a member or alternate (Art. 7(2)) or a non-voting member (Art. 7(3))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    seats = selectors.seats_on(day=timezone.localdate()).order_by("kind", "organisation__code", "number")
    form = board_forms.MembershipForm(
        request.POST or None, seats=seats, initial={"valid_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_by_email(data["email"])
            services.appoint(
                actor=request.user,
                seat=data["seat"],
                user=user,
                capacity=data["capacity"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The membership is recorded."))
            return redirect("board:member_list")
    return _form_page(
        request,
        form,
        title=_("Record a board member"),
        cancel_url=reverse("board:member_list"),
        intro=_(
            "Each member state appoints a member and an alternate (Art. 7(2)); each Schengen-associated "
            "country a non-voting member (Art. 7(3))."
        ),
    )


@board_view
@require_POST
def membership_end(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    membership = Membership.objects.select_related("user").get(pk=pk)
    form = board_forms.EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            services.end_membership(actor=request.user, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The membership ends on %(day)s.") % {"day": form.cleaned_data["valid_until"]}
            )
    else:
        messages.error(request, _("Give the last day of the membership."))
    return redirect("board:member_list")


@board_view
@require_POST
def composition_sync(request):
    """Seats follow the regulation and the directory (Art. 7(2)-(3), recital 31)."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    try:
        result = services.sync_composition(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Composition updated: %(created)d seat(s) added, %(ended)d ended.")
            % {"created": len(result.created), "ended": len(result.ended)},
        )
    return redirect("board:member_list")


# --- meetings (Art. 7(4)-(7)) ------------------------------------------------------------------


@board_view
def meeting_list(request):
    policy.authorize(request.user, A.VIEW_BOARD)
    when = request.GET.get("when") if request.GET.get("when") in ("upcoming", "past") else None
    page = paginate(request, selectors.meeting_list(user=request.user, when=when))
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
        intro=_("The steering board meets at least twice a year (Art. 7(7))."),
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
        "documents": list(meeting.documents.all()),
        "motions": list(meeting.motions.all()),
        "may_manage": may_manage,
        "may_see_names": policy.can(request.user, A.VIEW_BOARD_MEMBERS),
        "started": meeting.starts_at <= timezone.now(),
    }
    if may_manage and meeting.status != MeetingStatus.CANCELLED:
        context.update(
            agenda_form=forms.get("agenda_form") or board_forms.AgendaItemForm(),
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
    if form.is_valid():
        try:
            apply(meeting, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, success)
            return redirect("board:meeting_detail", pk=pk)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    context = _meeting_context(request, meeting, **{form_name: form})
    return render(request, "board/meeting_detail.html", context, status=422)


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
        user = services.user_by_email(data["email"])
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
def document_download(request, pk: int):
    policy.authorize(request.user, A.VIEW_BOARD)
    document = selectors.document_detail(user=request.user, pk=pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.title[:80]}{document.extension}",
        content_type=document.content_type,
    )


@board_view
def meeting_ics(request, pk: int):
    """The invitation as iCalendar (RFC 5545)."""
    policy.authorize(request.user, A.VIEW_BOARD)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    body = ical.meeting_invitation(
        meeting, url=request.build_absolute_uri(reverse("board:meeting_detail", args=[pk]))
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = _attachment(f"ilonet-board-meeting-{meeting.pk}.ics")
    return response


@board_view
def meeting_minutes_pdf(request, pk: int):
    """The minutes as PDF; they name the participants, so only for readers of the list of
    members (Art. 9(2)(c), 9(3)), and the read is audited."""
    policy.authorize(request.user, A.VIEW_BOARD)
    policy.authorize(request.user, A.VIEW_BOARD_MEMBERS)
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    services.record_members_list_read(actor=request.user, fmt="pdf", filters={"meeting_minutes": pk})
    motions = [
        {
            "motion": m,
            "explanation": selectors.explanation(m),
            "record": list(selectors.vote_record(motion=m)) if not m.secret else [],
        }
        for m in meeting.motions.all()
    ]
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
    response["Content-Disposition"] = _attachment(f"ilonet-board-minutes-{meeting.pk}.pdf")
    return response


# --- motions and votes (Art. 7(8), 8(1)) -------------------------------------------------------


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
    user = request.user
    voter = selectors.voter_view(user=user, motion=motion)
    may_manage = policy.can(user, A.MANAGE_BOARD)
    may_see_names = policy.can(user, A.VIEW_BOARD_MEMBERS)  # Art. 9(2)(c), 9(3)
    closed = motion.status == MotionStatus.CLOSED
    context = {
        "motion": motion,
        "voter": voter,
        "may_manage": may_manage,
        "may_speak": policy.can(user, A.SPEAK, motion)
        and motion.status in (MotionStatus.DRAFT, MotionStatus.OPEN),
        "comments": list(selectors.comments_of(motion=motion)),
        "changes": list(selectors.changes_of(motion=motion)),
        "proxies": list(selectors.proxies_of(motion=motion)),
        "participation_count": motion.participations.count(),
        "result": selectors.result_of(motion),
        "explanation": selectors.explanation(motion),
        "may_see_names": may_see_names,
        "record": list(selectors.vote_record(motion=motion))
        if may_see_names and (closed or not motion.secret)
        else [],
        "receipts": list(selectors.published_receipts(motion=motion)) if closed and motion.secret else [],
        "choices": dict(Choice.choices),
        "dispatches": list(selectors.dispatches_of(motion=motion)) if closed else [],
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
    if closed and motion.secret:
        context["receipt_form"] = forms.get("receipt_form") or board_forms.ReceiptForm()
    if (
        may_manage
        and motion.procedure == Procedure.WRITTEN
        and motion.status in (MotionStatus.DRAFT, MotionStatus.OPEN)
    ):
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


@board_view
@require_POST
def motion_vote(request, pk: int):
    """Cast a vote (Art. 7(8)). A secret ballot's receipt is shown in this response only."""
    policy.authorize(request.user, A.VIEW_BOARD)
    motion = _get_motion(request, pk)
    voter = selectors.voter_view(user=request.user, motion=motion)
    form = board_forms.VoteForm(
        request.POST, own_seat=voter.seat if voter.may_vote else None, proxies=voter.proxies
    )
    if form.is_valid():
        seat_id = form.cleaned_data.get("on_behalf_of")
        on_behalf_of = None
        if seat_id:
            on_behalf_of = next((p.grantor_seat for p in voter.proxies if p.grantor_seat_id == seat_id), None)
            if on_behalf_of is None:
                form.add_error("on_behalf_of", _("You hold no proxy for this seat."))
                return _motion_error(request, motion, "vote_form", form)
        try:
            cast = services.cast_vote(
                actor=request.user,
                motion=motion,
                choice=form.cleaned_data["choice"],
                on_behalf_of=on_behalf_of,
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return render(
                request,
                "board/motion_detail.html",
                _motion_context(request, _get_motion(request, pk), vote_form=form),
                status=403,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if cast.receipt:
                context = _motion_context(request, _get_motion(request, pk), receipt=cast.receipt)
                context["receipt_fingerprint"] = selectors.receipt_fingerprint(cast.receipt)[:16]
                response = render(request, "board/motion_detail.html", context)
                response["Cache-Control"] = "no-store"
                return response
            messages.success(request, _("Your vote is recorded."))
            return redirect("board:motion_detail", pk=pk)
    return _motion_error(request, motion, "vote_form", form)


@board_view
@require_POST
def motion_proxy(request, pk: int):
    policy.authorize(request.user, A.VIEW_BOARD)
    motion = _get_motion(request, pk)
    form = board_forms.ProxyForm(request.POST)
    if form.is_valid():
        try:
            holder = services.user_by_email(form.cleaned_data["email"])
            services.grant_proxy(actor=request.user, motion=motion, holder=holder)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return render(
                request,
                "board/motion_detail.html",
                _motion_context(request, _get_motion(request, pk), proxy_form=form),
                status=403,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The proxy is recorded."))
            return redirect("board:motion_detail", pk=pk)
    return _motion_error(request, motion, "proxy_form", form)


@board_view
@require_POST
def motion_comment(request, pk: int):
    """Speak on a motion (Art. 7(3)-(4))."""
    policy.authorize(request.user, A.VIEW_BOARD)
    motion = _get_motion(request, pk)
    policy.authorize(request.user, A.SPEAK, motion)
    form = board_forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment(actor=request.user, motion=motion, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your statement is recorded."))
            return redirect("board:motion_detail", pk=pk)
    return _motion_error(request, motion, "comment_form", form)


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


RECORD_COLUMNS = (
    _lazy("Seat"),
    _lazy("Capacity"),
    _lazy("Cast by"),
    _lazy("On behalf of (proxy)"),
    _lazy("Vote"),
    _lazy("Cast at"),
)


@board_view
def motion_export(request, pk: int):
    """The record of the vote as CSV: result, who voted how (open votes), proxies, changes."""
    policy.authorize(request.user, A.VIEW_BOARD)
    policy.authorize(request.user, A.VIEW_BOARD_MEMBERS)  # names of members, Art. 9(3)
    motion = _get_motion(request, pk)
    if motion.status != MotionStatus.CLOSED and motion.secret:
        raise PermissionDenied(_("The record of a secret vote is available once the vote has closed."))
    result = selectors.result_of(motion)

    def rows():
        yield [_("Motion"), motion.title]
        yield [_("Status"), motion.get_status_display()]
        yield [_("Procedure"), motion.get_procedure_display()]
        yield [_("Secret ballot"), _("yes") if motion.secret else _("no")]
        if motion.vote_day:
            yield [_("Day of the vote"), motion.vote_day]
            yield [_("Voting members"), motion.electorate]
            yield [_("Absolute majority"), motion.threshold]
            yield [_("Quorum"), motion.quorum or 0]
        if result is not None:
            yield [_("For"), result.votes_for]
            yield [_("Against"), result.votes_against]
            yield [_("Abstentions"), result.abstentions]
            yield [_("Outcome"), motion.get_outcome_display(), selectors.explanation(motion)]
        yield []
        yield [str(c) for c in RECORD_COLUMNS]
        for p in selectors.vote_record(motion=motion):
            yield [
                str(p.seat),
                p.get_capacity_display(),
                str(p.cast_by),
                str(p.proxy.grantor_seat) if p.proxy else "",
                p.get_choice_display() if p.choice else _("secret"),
                timezone.localtime(p.cast_at).isoformat(),
            ]
        if motion.secret and result is not None:
            yield []
            yield [_("Receipt fingerprint"), _("Vote")]
            for b in selectors.published_receipts(motion=motion):
                yield [b.receipt_fingerprint[:16], b.get_choice_display()]
        yield []
        yield [_("Proxy for"), _("Holder"), _("Granted by"), _("Granted at")]
        for p in selectors.proxies_of(motion=motion):
            yield [
                str(p.grantor_seat),
                str(p.holder),
                str(p.granted_by),
                timezone.localtime(p.created_at).isoformat(),
            ]
        yield []
        yield [_("Change"), _("At"), _("By"), _("Details")]
        for c in selectors.changes_of(motion=motion):
            yield [
                c.get_kind_display(),
                timezone.localtime(c.at).isoformat(),
                c.by_label,
                "; ".join(f"{k}={v}" for k, v in c.details.items()),
            ]

    audit_details = {"motion": motion.pk, "format": "csv"}
    from ilonet.audit import services as audit

    audit.record(action="board.vote_record.export", actor=request.user, obj=motion, details=audit_details)
    return _csv(rows(), f"ilonet-board-vote-{motion.pk}.csv")


@board_view
def motion_pdf(request, pk: int):
    """The record of the vote as PDF minutes."""
    policy.authorize(request.user, A.VIEW_BOARD)
    policy.authorize(request.user, A.VIEW_BOARD_MEMBERS)  # names of members, Art. 9(3)
    motion = _get_motion(request, pk)
    if motion.status != MotionStatus.CLOSED and motion.secret:
        raise PermissionDenied(_("The record of a secret vote is available once the vote has closed."))
    body = pdf.render_pdf(
        "board/pdf/vote_record.html",
        {
            "motion": motion,
            "result": selectors.result_of(motion),
            "explanation": selectors.explanation(motion),
            "record": list(selectors.vote_record(motion=motion)),
            "proxies": list(selectors.proxies_of(motion=motion)),
            "changes": list(selectors.changes_of(motion=motion)),
            "receipts": list(selectors.published_receipts(motion=motion)),
            "generated_at": timezone.now(),
        },
        request,
    )
    from ilonet.audit import services as audit

    audit.record(
        action="board.vote_record.export",
        actor=request.user,
        obj=motion,
        details={"motion": motion.pk, "format": "pdf"},
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = _attachment(f"ilonet-board-vote-{motion.pk}.pdf")
    return response


# --- decisions passed on (Art. 7(9)) -----------------------------------------------------------


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


# --- rules of procedure (Art. 8(1)) ------------------------------------------------------------


def _rules_reader(request):
    if not policy.can(request.user, A.VIEW_BOARD):
        policy.authorize(request.user, A.VIEW_DECISIONS)


@board_view
def rules_list(request):
    _rules_reader(request)
    page = paginate(request, selectors.rules_list(user=request.user))
    return render(
        request,
        "board/rules_list.html",
        {
            "page_obj": page,
            "deadline": selectors.rules_deadline(),
            "may_propose": policy.can(request.user, A.PROPOSE_RULES),
            "in_force": selectors.rules_in_force(day=timezone.localdate()),
        },
    )


@board_view
def rules_detail(request, pk: int):
    _rules_reader(request)
    rules = selectors.rules_list(user=request.user).get(pk=pk)
    return render(
        request,
        "board/rules_detail.html",
        {
            "rules": rules,
            "may_propose": policy.can(request.user, A.PROPOSE_RULES),
            "motions": list(rules.motions.order_by("-created_at"))
            if policy.can(request.user, A.VIEW_BOARD)
            else [],
        },
    )


@board_view
def rules_create(request):
    """The chair proposes the rules of procedure (Art. 8(1))."""
    policy.authorize(request.user, A.PROPOSE_RULES)
    latest = RulesOfProcedure.objects.order_by("-version").first()
    initial = {f: getattr(latest, f) for f in services.RULES_FIELDS} if latest else {"secret_ballot": "never"}
    form = board_forms.RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rules = services.propose_rules(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Version %(version)d is drafted.") % {"version": rules.version})
            return redirect("board:rules_detail", pk=rules.pk)
    return _form_page(
        request,
        form,
        title=_("Propose rules of procedure"),
        cancel_url=reverse("board:rules_list"),
        intro=_(
            "The rules of procedure set the voting procedure, when a member may act on behalf of "
            "another and any quorum (Art. 8(1)). They are adopted by a vote."
        ),
    )


@board_view
def rules_edit(request, pk: int):
    policy.authorize(request.user, A.PROPOSE_RULES)
    rules = RulesOfProcedure.objects.get(pk=pk)
    form = board_forms.RulesForm(
        request.POST or None, initial={f: getattr(rules, f) for f in services.RULES_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rules(actor=request.user, rules=rules, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("board:rules_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("Change the draft rules of procedure"),
        cancel_url=reverse("board:rules_detail", args=[pk]),
    )


# --- work programme (Art. 8(2)(a)-(b)) ---------------------------------------------------------


@board_view
def programme_list(request):
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    page = paginate(request, selectors.programme_list(user=request.user))
    return render(
        request,
        "board/programme_list.html",
        {"page_obj": page, "may_manage": policy.can(request.user, A.MANAGE_BOARD)},
    )


@board_view
def programme_create(request):
    policy.authorize(request.user, A.MANAGE_BOARD)
    form = board_forms.ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("board:programme_detail", pk=programme.pk)
    return _form_page(
        request,
        form,
        title=_("Draft a work programme"),
        cancel_url=reverse("board:programme_list"),
        intro=_(
            "A biannual work programme sets priorities and activities and the resources needed "
            "(Art. 8(2)(a))."
        ),
    )


def _owners(user):
    """Who can own a work programme item: member states, EU institutions and agencies."""
    return directory.organisation_list(user=user).filter(
        kind__in=(OrganisationKind.MEMBER_STATE, OrganisationKind.EU_INSTITUTION, OrganisationKind.EU_AGENCY),
        is_active=True,
    )


def _programme_context(request, programme, **forms) -> dict:
    may_manage = policy.can(request.user, A.MANAGE_BOARD)
    context = {
        "programme": programme,
        "may_manage": may_manage,
        "items": list(programme.items.all()),
        "evaluations": list(programme.evaluations.all()),
        "trainings": list(programme.trainings.all()),
        "motions": list(programme.motions.order_by("-created_at"))
        if policy.can(request.user, A.VIEW_BOARD)
        else [],
    }
    if may_manage:
        if programme.status == ProgrammeStatus.DRAFT:
            context["item_form"] = forms.get("item_form") or board_forms.ProgrammeItemForm(
                owners=_owners(request.user)
            )
        context["evaluation_form"] = forms.get("evaluation_form") or board_forms.EvaluationForm()
        if programme.status == ProgrammeStatus.ADOPTED and programme.sent_to_ep_on is None:
            context["sent_form"] = forms.get("sent_form") or board_forms.SentToParliamentForm()
        context["status_choices"] = board_forms.ItemStatusForm().fields["status"].choices
    return context


@board_view
def programme_detail(request, pk: int):
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    programme = selectors.programme_detail(user=request.user, pk=pk)
    return render(request, "board/programme_detail.html", _programme_context(request, programme))


def _programme_post(request, pk, form_name, form, apply, success):
    policy.authorize(request.user, A.MANAGE_BOARD)
    programme = selectors.programme_detail(user=request.user, pk=pk)
    if form.is_valid():
        try:
            apply(programme, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, success)
            return redirect("board:programme_detail", pk=pk)
    programme = selectors.programme_detail(user=request.user, pk=pk)
    return render(
        request,
        "board/programme_detail.html",
        _programme_context(request, programme, **{form_name: form}),
        status=422,
    )


@board_view
@require_POST
def programme_item_add(request, pk: int):
    return _programme_post(
        request,
        pk,
        "item_form",
        board_forms.ProgrammeItemForm(request.POST, owners=_owners(request.user)),
        lambda p, d: services.add_programme_item(actor=request.user, programme=p, **d),
        _("Item added."),
    )


@board_view
@require_POST
def programme_item_status(request, pk: int, item_pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    item = WorkProgrammeItem.objects.get(pk=item_pk, programme_id=pk)
    form = board_forms.ItemStatusForm(request.POST)
    if form.is_valid():
        services.set_item_status(actor=request.user, item=item, status=form.cleaned_data["status"])
        messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("board:programme_detail", pk=pk)


@board_view
@require_POST
def programme_evaluation_add(request, pk: int):
    return _programme_post(
        request,
        pk,
        "evaluation_form",
        board_forms.EvaluationForm(request.POST),
        lambda p, d: services.add_evaluation(actor=request.user, programme=p, **d),
        _("Evaluation recorded."),
    )


@board_view
@require_POST
def programme_sent(request, pk: int):
    return _programme_post(
        request,
        pk,
        "sent_form",
        board_forms.SentToParliamentForm(request.POST),
        lambda p, d: services.mark_programme_sent(actor=request.user, programme=p, on=d["sent_to_ep_on"]),
        _("Recorded as sent to the European Parliament."),
    )


# --- ad-hoc actions and training (Art. 8(3)(a), (c)) -------------------------------------------


@board_view
def action_list(request):
    policy.authorize(request.user, A.VIEW_DECISIONS)
    may_manage = policy.can(request.user, A.MANAGE_BOARD)
    form = None
    if may_manage:
        meetings = selectors.meeting_list(user=request.user)
        form = board_forms.AdHocActionForm(request.POST or None, meetings=meetings)
        if request.method == "POST" and form.is_valid():
            try:
                services.record_ad_hoc_action(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Ad-hoc action recorded."))
                return redirect("board:action_list")
    elif request.method == "POST":
        policy.authorize(request.user, A.MANAGE_BOARD)
    page = paginate(request, selectors.ad_hoc_action_list(user=request.user))
    return render(
        request,
        "board/action_list.html",
        {
            "page_obj": page,
            "form": form,
            "may_manage": may_manage,
            "status_form": board_forms.AdHocUpdateForm() if may_manage else None,
        },
        status=_status(form),
    )


@board_view
@require_POST
def action_update(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    action = AdHocAction.objects.get(pk=pk)
    form = board_forms.AdHocUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.update_ad_hoc_action(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Ad-hoc action updated."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("board:action_list")


@board_view
def training_list(request):
    policy.authorize(request.user, A.VIEW_DECISIONS)
    may_manage = policy.can(request.user, A.MANAGE_BOARD)
    form = None
    if may_manage:
        form = board_forms.TrainingForm(
            request.POST or None, programmes=selectors.programme_list(user=request.user)
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.record_training(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Training activity recorded."))
                return redirect("board:training_list")
    elif request.method == "POST":
        policy.authorize(request.user, A.MANAGE_BOARD)
    page = paginate(request, selectors.training_list(user=request.user))
    return render(
        request,
        "board/training_list.html",
        {"page_obj": page, "form": form, "may_manage": may_manage},
        status=_status(form),
    )


# --- activity report (Art. 8(2)(c), 4(1)) ------------------------------------------------------


@board_view
def report_list(request):
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    page = paginate(request, selectors.report_list(user=request.user))
    return render(
        request,
        "board/report_list.html",
        {"page_obj": page, "may_manage": policy.can(request.user, A.MANAGE_BOARD)},
    )


@board_view
def report_create(request):
    """The chair drafts the activity report (Art. 8(2)(c)); the overview of deployments comes
    from the registry (Art. 4(1))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    start, end = selectors.default_report_period(timezone.localdate())
    form = board_forms.ReportForm(request.POST or None, initial={"period_start": start, "period_end": end})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create_report(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("The draft is created with an overview of deployments from the registry.")
            )
            return redirect("board:report_detail", pk=report.pk)
    return _form_page(
        request,
        form,
        title=_("Draft an activity report"),
        cancel_url=reverse("board:report_list"),
        intro=_(
            "The biannual activity report includes an overview of deployments (Art. 4(1), "
            "8(2)(c)); it is generated from the deployment registry."
        ),
    )


def report_context(report: ActivityReport) -> dict:
    places = dict(PlaceKind.choices)
    from django_countries import countries

    overview = report.overview or {}
    return {
        "report": report,
        "overview": overview,
        "by_place": [
            {**row, "label": places.get(row["code"], row["code"])} for row in overview.get("by_place", [])
        ],
        "by_country": [
            {**row, "name": countries.name(row["code"])} for row in overview.get("by_country", [])
        ],
        "content": selectors.report_content(report=report),
    }


@board_view
def report_detail(request, pk: int):
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    report = selectors.report_detail(user=request.user, pk=pk)
    may_manage = policy.can(request.user, A.MANAGE_BOARD)
    context = report_context(report)
    context.update(
        may_manage=may_manage,
        motions=list(report.motions.order_by("-created_at"))
        if policy.can(request.user, A.VIEW_BOARD)
        else [],
        sent_form=board_forms.SentToParliamentForm()
        if may_manage and report.status == ProgrammeStatus.ADOPTED and not report.sent_to_ep_on
        else None,
    )
    return render(request, "board/report_detail.html", context)


@board_view
def report_edit(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    report = selectors.report_detail(user=request.user, pk=pk)
    form = board_forms.ReportEditForm(
        request.POST or None, initial={"title": report.title, "body": report.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_report(
                actor=request.user,
                report=report,
                **form.cleaned_data,
                regenerate_overview=bool(request.POST.get("regenerate")),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("board:report_detail", pk=pk)
    return render(request, "board/report_form.html", {"form": form, "report": report}, status=_status(form))


@board_view
@require_POST
def report_sent(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    report = selectors.report_detail(user=request.user, pk=pk)
    form = board_forms.SentToParliamentForm(request.POST)
    if form.is_valid():
        try:
            services.mark_report_sent(
                actor=request.user, report=report, on=form.cleaned_data["sent_to_ep_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recorded as sent to the European Parliament."))
    else:
        messages.error(request, _("Give the date it was sent."))
    return redirect("board:report_detail", pk=pk)


@board_view
def report_pdf(request, pk: int):
    """The activity report as PDF in the EU look (Art. 8(2)(c))."""
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    report = selectors.report_detail(user=request.user, pk=pk)
    context = report_context(report)
    context["generated_at"] = timezone.now()
    body = pdf.render_pdf("board/pdf/activity_report.html", context, request)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = _attachment(f"ilonet-activity-report-{report.pk}.pdf")
    return response
