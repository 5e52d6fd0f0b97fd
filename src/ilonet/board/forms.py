"""Forms of the steering board pages. They check shape and give early, translated messages;
the services check every rule again (the API reaches them without these forms)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilonet.directory.models import Organisation
from ilonet.shared.widgets import IsoDateInput, IsoDateTimeInput

from . import hooks
from .models import (
    ActionStatus,
    AgendaKind,
    Capacity,
    Choice,
    ItemKind,
    ItemStatus,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    Procedure,
    SecretBallot,
    TrainingKind,
)

DATE = IsoDateInput()
DATETIME = IsoDateTimeInput()


def _text(label, max_length, required=True, rows=None, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, help_text=help_text, strip=True
    )


class SearchForm(forms.Form):
    search = forms.CharField(label=_("Search"), required=False, max_length=100)


class MembershipForm(forms.Form):
    seat = forms.ModelChoiceField(label=_("Seat"), queryset=None, empty_label=_("Choose a seat"))
    email = forms.EmailField(label=_("E-mail address of the person"), max_length=254)
    capacity = forms.ChoiceField(label=_("Capacity"), choices=Capacity.choices)
    valid_from = forms.DateField(label=_("From"), widget=DATE)
    valid_until = forms.DateField(label=_("Until"), widget=DATE, required=False)

    def __init__(self, *args, seats=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = seats


class EndMembershipForm(forms.Form):
    valid_until = forms.DateField(label=_("Last day"), widget=DATE)


class MeetingForm(forms.Form):
    title = _text(_("Title"), 200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices, initial=MeetingKind.REGULAR)
    joint_with = _text(
        _("Joint with"),
        300,
        required=False,
        help_text=_("For a joint meeting: the other networks or organisations."),
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    location = _text(_("Location"), 300)


class PastMeetingForm(MeetingForm):
    """A meeting that already took place, recorded afterwards with its minutes."""

    minutes = _text(
        _("Minutes"),
        50000,
        rows=12,
        help_text=_("No personal data other than the names of participants (Art. 9(3))."),
    )


class AgendaItemForm(forms.Form):
    title = _text(_("Agenda item"), 300)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgendaKind.choices, initial=AgendaKind.DISCUSSION)
    description = _text(_("Description"), 5000, required=False, rows=3)


class AgendaItemEditForm(AgendaItemForm):
    """Change an agenda item and link it to the motion voted on under it."""

    motion = forms.TypedChoiceField(
        label=_("Motion voted on under this item"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("A vote in this meeting; each motion belongs to one item of the agenda."),
    )

    def __init__(self, *args, motions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motion"].choices = [("", _("No motion")), *((m.pk, m.title) for m in motions)]


class MoveAgendaItemForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Taking part as"),
        choices=[
            (ParticipantRole.OBSERVER, ParticipantRole.OBSERVER.label),
            (ParticipantRole.GUEST, ParticipantRole.GUEST.label),
            (ParticipantRole.CHAIR, ParticipantRole.CHAIR.label),
            (ParticipantRole.SECRETARIAT, ParticipantRole.SECRETARIAT.label),
        ],
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(p.pk), f"{p.user} – {p.get_role_display()}{f', {p.seat}' if p.seat_id else ''}")
            for p in participants
        ]


class MinutesForm(forms.Form):
    minutes = _text(
        _("Minutes"),
        50000,
        rows=12,
        help_text=_("No personal data other than the names of participants (Art. 9(3))."),
    )


class DocumentForm(forms.Form):
    title = _text(_("Title"), 200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, ODT or DOCX. No personal data (Art. 9(3))."))
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=None, required=False, empty_label=_("The meeting as a whole")
    )
    marking = forms.ChoiceField(
        label=_("Sensitivity marking (Art. 9(1))"),
        choices=(),
        initial="limited",
        required=False,
        help_text=_("Kept in the steering board's document space; a sensitive document is never in a ZIP."),
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("position") if meeting else None
        self.fields["marking"].choices = hooks.meeting_documents().markings()  # the store's (Art. 9(1))


class MotionForm(forms.Form):
    title = _text(_("Title"), 300)
    text = _text(_("Proposed decision"), 20000, rows=8)
    procedure = forms.ChoiceField(label=_("Procedure"), choices=Procedure.choices, widget=forms.RadioSelect)
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=None,
        required=False,
        empty_label=_("Choose the meeting (vote in a meeting)"),
    )
    closes_at = forms.DateTimeField(
        label=_("Deadline"), widget=DATETIME, required=False, help_text=_("For a written procedure.")
    )
    secret = forms.BooleanField(
        label=_("Secret ballot"),
        required=False,
        help_text=_("Only where the rules of procedure provide for it."),
    )
    communicate_to_ilos = forms.BooleanField(
        label=_("Deploying authorities pass the decision on to their officers (Art. 7(9))"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class AmendMotionForm(forms.Form):
    title = _text(_("Title"), 300)
    text = _text(_("Proposed decision"), 20000, rows=8)


class DeadlineForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("New deadline"), widget=DATETIME)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Choice.choices, widget=forms.RadioSelect)
    on_behalf_of = forms.TypedChoiceField(
        label=_("Vote"), required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, own_seat=None, proxies=(), **kwargs):
        super().__init__(*args, **kwargs)
        options = []
        if own_seat is not None:
            options.append(("", _("For my seat: %(seat)s") % {"seat": own_seat}))
        options += [
            (str(p.grantor_seat_id), _("On behalf of %(seat)s (proxy)") % {"seat": p.grantor_seat})
            for p in proxies
        ]
        if len(options) > 1:
            self.fields["on_behalf_of"].choices = options
        else:
            del self.fields["on_behalf_of"]


class ProxyForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the member who votes on your behalf"), max_length=254)


class CommentForm(forms.Form):
    text = _text(_("Statement"), 5000, rows=4)


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt"), max_length=40, help_text=_("As shown when you voted, e.g. ABCD-EFGH-…")
    )


class RulesForm(forms.Form):
    title = _text(_("Title"), 200)
    text = _text(_("Text"), 100000, rows=16)
    proxies_allowed = forms.BooleanField(
        label=_("A member may act on behalf of another (proxy)"), required=False
    )
    max_proxies_per_holder = forms.IntegerField(
        label=_("Proxies one member may hold"), min_value=1, max_value=5, initial=1
    )
    quorum_percent = forms.IntegerField(
        label=_("Quorum (percentage of the voting members)"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("0: no quorum."),
    )
    secret_ballot = forms.ChoiceField(label=_("Secret ballot"), choices=SecretBallot.choices)
    written_procedure_allowed = forms.BooleanField(
        label=_("Written procedure allowed"), required=False, initial=True
    )
    written_procedure_min_days = forms.IntegerField(
        label=_("Written procedure: minimum days open"), min_value=1, max_value=60, initial=5
    )


class PeriodForm(forms.Form):
    title = _text(_("Title"), 200)
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period until"), widget=DATE)


class ProgrammeForm(PeriodForm):
    summary = _text(_("Summary"), 20000, required=False, rows=6)


class ProgrammeItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    title = _text(_("Title"), 300)
    description = _text(_("Description"), 5000, required=False, rows=3)
    resources = _text(_("Resources needed"), 2000, required=False, rows=2)
    owner = forms.ModelChoiceField(
        label=_("Owner"), required=False, empty_label=_("No owner yet"), queryset=Organisation.objects.none()
    )
    due_on = forms.DateField(label=_("Due"), widget=DATE, required=False)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)


class EvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label=_("Evaluated on"), widget=DATE, initial=timezone.localdate)
    findings = _text(_("Findings"), 20000, rows=5)
    proposed_changes = _text(_("Proposed changes to the work programme"), 20000, required=False, rows=4)
    networks_progress = _text(_("Facilitators and progress of the networks"), 20000, required=False, rows=4)


class SentToParliamentForm(forms.Form):
    sent_to_ep_on = forms.DateField(label=_("Sent on"), widget=DATE, initial=timezone.localdate)


class AdHocActionForm(forms.Form):
    title = _text(_("Title"), 200)
    description = _text(_("Description"), 5000, rows=4)
    networks = _text(_("Networks concerned"), 500)
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE, initial=timezone.localdate)
    meeting = forms.ModelChoiceField(label=_("Agreed at the meeting"), queryset=None, required=False)
    due_on = forms.DateField(label=_("Due"), widget=DATE, required=False)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class AdHocUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    result = _text(_("Result"), 10000, required=False, rows=3)


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    title = _text(_("Title"), 200)
    description = _text(_("Description"), 5000, required=False, rows=3)
    provider = _text(_("Provided by"), 200, required=False)
    starts_on = forms.DateField(label=_("From"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("Until"), widget=DATE, required=False)
    programme = forms.ModelChoiceField(label=_("Work programme"), queryset=None, required=False)

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class ReportForm(PeriodForm):
    body = _text(_("Text"), 100000, required=False, rows=14)


class ReportEditForm(forms.Form):
    title = _text(_("Title"), 200)
    body = _text(_("Text"), 100000, required=False, rows=14)


class PassOnForm(forms.Form):
    note = _text(_("Note"), 500, required=False, help_text=_("How the officers were informed (optional)."))


def meeting_choices(queryset):
    """Meetings a vote can be attached to: not cancelled."""
    return queryset.exclude(status=MeetingStatus.CANCELLED).order_by("-starts_at")
