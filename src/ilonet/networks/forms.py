from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from ilonet.directory import selectors as directory
from ilonet.shared.forms import FilterForm, SingleLineField
from ilonet.shared.widgets import FastSelect, FastSelectMultiple, IsoDateInput, country_choices

from .models import ActivityKind, FacilitatorBasis, FacilitatorNotificationKind, NetworkKind, Topic


@cache
def _third_countries() -> frozenset[str]:
    return frozenset(directory.deployable_third_countries())


def _third_country_choices() -> list[tuple[str, str]]:
    return country_choices(_third_countries())


def _any_country(label) -> list[tuple[str, str]]:
    return [("", str(label)), *country_choices()]


class NetworkFilterForm(FilterForm):
    search = SingleLineField(
        label=_("Search"), required=False, max_length=100, help_text=_("Name or country code")
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *NetworkKind.choices],
        widget=FastSelect,
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=lambda: _any_country(_("Any country")), widget=FastSelect
    )
    mine = forms.BooleanField(label=_("Only my networks"), required=False)

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


class NetworkForm(forms.Form):
    name = SingleLineField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=NetworkKind.choices)
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=_third_country_choices,
        widget=FastSelectMultiple(attrs={"size": 10}),
        help_text=_("One country for a local network, several for a regional network (Art. 5(1))."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AgreementForm(forms.Form):
    officer = forms.TypedChoiceField(
        label=_("Agreed facilitator"),
        coerce=int,
        error_messages={
            "invalid_choice": _(
                "The chosen officer is not a member of this network: only an officer deployed in one "
                "of its countries can facilitate it (Art. 5(1), Art. 5(2))."
            )
        },
    )
    agreed_on = forms.DateField(label=_("Agreed on"), widget=IsoDateInput())
    note = forms.CharField(
        label=_("How the members agreed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [(m.officer_id, f"{m.name} ({m.authority_name})") for m in members]


class AssociateForm(forms.Form):
    name = SingleLineField(label=_("Name"), max_length=200)
    deploying_country = forms.ChoiceField(
        label=_("Deploying country"), choices=lambda: _any_country(_("Choose")), widget=FastSelect
    )
    organisation = SingleLineField(label=_("Organisation"), required=False, max_length=200)
    joined_on = forms.DateField(label=_("Associated since"), widget=IsoDateInput())


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind (Art. 5(1))"), choices=ActivityKind.choices)
    title = SingleLineField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=IsoDateInput())
    summary = forms.CharField(
        label=_("Summary or minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("No personal data (Art. 9(3)): describe facts, trends and decisions."),
    )
    carriers = SingleLineField(
        label=_("Carriers concerned"),
        required=False,
        max_length=300,
        help_text=_("For a shared position towards carriers (Art. 5(1)(d))."),
    )
    audience = SingleLineField(
        label=_("Audience"),
        required=False,
        max_length=300,
        help_text=_("For trainings and information sessions (Art. 5(1)(e), Art. 5(1)(f))."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics (Art. 3(4))"),
        required=False,
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    participant_ids = forms.TypedMultipleChoiceField(
        label=_("Participants: members"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    associate_ids = forms.TypedMultipleChoiceField(
        label=_("Participants: associates"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=(), associates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_ids"].choices = [(m.officer_id, m.name) for m in members]
        self.fields["associate_ids"].choices = [(a.pk, str(a)) for a in associates]


class ActivityFilterForm(FilterForm):
    search = SingleLineField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *ActivityKind.choices]
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("Any topic")), *Topic.choices]
    )
    since = forms.DateField(label=_("From"), required=False, widget=IsoDateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=IsoDateInput())

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


class FacilitatorNotificationFilterForm(FilterForm):
    search = SingleLineField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Notification"),
        required=False,
        choices=[("", _("Any notification")), *FacilitatorNotificationKind.choices],
    )
    basis = forms.ChoiceField(
        label=_("Basis"), required=False, choices=[("", _("Any basis")), *FacilitatorBasis.choices]
    )

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


class OfficerListForm(forms.Form):
    title = SingleLineField(label=_("Title"), max_length=200)
    meeting = SingleLineField(label=_("For the board meeting"), required=False, max_length=200)
    activities_since = forms.DateField(
        label=_("Network activities since"),
        required=False,
        widget=IsoDateInput(),
        help_text=_("Empty: since the previous list (or the last twelve months)."),
    )


class EntryFilterForm(FilterForm):
    search = SingleLineField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=lambda: _any_country(_("Any country")), widget=FastSelect
    )

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}
