"""Forms of the deployment pages. They check shape and give early, translated messages; the
services check every rule again (the API reaches them without these forms)."""

from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ilonet.directory import selectors as directory
from ilonet.directory.models import PrioritySetter
from ilonet.shared.forms import ConfirmUnusualDates, FilterForm, SingleLineField
from ilonet.shared.widgets import FastSelect, FastSelectMultiple, IsoDateInput, country_choices

from . import selectors
from .geo import Continent
from .models import DeploymentStatus, NotificationKind, PlaceKind
from .validators import normalise_phone


def _country_choices(blank: str | None = None) -> list[tuple[str, str]]:
    choices = country_choices()
    return [("", blank), *choices] if blank is not None else choices


@cache
def _third_countries() -> frozenset[str]:
    return frozenset(directory.deployable_third_countries())


def _third_country_choices() -> list[tuple[str, str]]:
    return country_choices(_third_countries())


def _member_state_choices() -> list[tuple[str, str]]:
    return [(o.code, o.name) for o in directory.sorted_by_name(directory.participating_member_states())]


class CountryField(forms.ChoiceField):
    """Any ISO country, so that a member state gets the rule's message (Art. 2(2)), not
    "select a valid choice"."""

    def __init__(self, *args, blank=None, **kwargs):
        label = blank or _("Choose a country")
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, choices=lambda: _country_choices(str(label)), **kwargs)


class DeploymentFilterForm(FilterForm):
    search = SingleLineField(
        label=_("Search"), required=False, max_length=100, help_text=_("Officer, city or post")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *DeploymentStatus.choices],
        widget=FastSelect,
    )
    country = forms.ChoiceField(
        label=_("Country of deployment"),
        required=False,
        choices=lambda: _country_choices(str(_("Any country"))),
        widget=FastSelect,
    )
    authority = forms.ChoiceField(label=_("Deploying authority"), required=False, widget=FastSelect)
    place_kind = forms.ChoiceField(
        label=_("Place of deployment"),
        required=False,
        choices=[("", _("Any place")), *PlaceKind.choices],
        widget=FastSelect,
    )
    joint = forms.ChoiceField(
        label=_("Joint deployment"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Joint (Art. 6)")), ("no", _("Not joint"))],
        widget=FastSelect,
    )
    continent = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("Any region")), *Continent.choices],
        widget=FastSelect,
    )

    def __init__(self, *args, authorities=(), **kwargs):
        """``authorities``: organisations, or (code, name) pairs
        (``selectors.deploying_authority_choices``)."""
        super().__init__(*args, **kwargs)
        self.fields["authority"].choices = [
            ("", _("Any authority")),
            *[o if isinstance(o, tuple) else (o.code, o.name) for o in authorities],
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = {k: v for k, v in self.cleaned_data.items() if v}
        if "joint" in data:
            data["joint"] = data["joint"] == "yes"
        return data


class ContactFilterForm(FilterForm):
    search = SingleLineField(
        label=_("Search"), required=False, max_length=100, help_text=_("Name, city or post")
    )
    country = forms.ChoiceField(
        label=_("Country of deployment"),
        required=False,
        choices=lambda: _country_choices(str(_("Any country"))),
        widget=FastSelect,
    )
    covers = forms.ChoiceField(
        label=_("Region of responsibility includes"),
        required=False,
        choices=lambda: _country_choices(str(_("Any country"))),
        widget=FastSelect,
    )
    continent = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("Any region")), *Continent.choices],
        widget=FastSelect,
    )

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


class NotificationFilterForm(FilterForm):
    search = SingleLineField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Notification"),
        required=False,
        choices=[("", _("Any notification")), *NotificationKind.choices],
        widget=FastSelect,
    )
    country = forms.ChoiceField(
        label=_("Country of deployment"),
        required=False,
        choices=lambda: _country_choices(str(_("Any country"))),
        widget=FastSelect,
    )
    since = forms.DateField(label=_("Since"), required=False, widget=IsoDateInput())

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


class _DeploymentFields(ConfirmUnusualDates):
    country = CountryField(label=_("Country of deployment"))
    place_kind = forms.ChoiceField(label=_("Place of deployment (Art. 2(2))"), choices=PlaceKind.choices)
    place_name = SingleLineField(
        label=_("Name of the post"),
        max_length=200,
        help_text=_("For example: Embassy of the Netherlands in Rabat."),
    )
    city = SingleLineField(label=_("City"), max_length=100)
    task_summary = forms.CharField(
        label=_("Task summary (Art. 4(1))"), max_length=4000, widget=forms.Textarea
    )
    start_date = forms.DateField(label=_("Start"), widget=IsoDateInput())
    planned_end_date = forms.DateField(label=_("Planned end"), widget=IsoDateInput())
    region = forms.MultipleChoiceField(
        label=_("Region of responsibility"),
        required=False,
        choices=_third_country_choices,
        help_text=_(
            "Other third countries the officer covers; the country of deployment is always included."
        ),
        widget=FastSelectMultiple(attrs={"size": 8}),
    )
    phone = SingleLineField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("International format, e.g. +212 5 37 12 34 56"),
    )
    email = forms.EmailField(label=_("E-mail address at the post"), required=False)
    represented = forms.MultipleChoiceField(
        label=_("Also represents (joint deployment, Art. 6(1))"),
        required=False,
        choices=_member_state_choices,
        widget=FastSelectMultiple(attrs={"size": 6}),
    )
    representation_tasks = forms.CharField(
        label=_("Tasks divided between the member states (Art. 6(2))"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    eu_funding_reference = SingleLineField(
        label=_("EU funding reference (Art. 6(3))"), max_length=100, required=False
    )

    def clean_country(self) -> str:
        code = self.cleaned_data["country"].upper()
        problem = selectors.country_problem(code, what=str(_("The country of deployment")))
        if problem:
            raise ValidationError(problem)
        return code

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("planned_end_date")
        if start and end and end < start:
            self.add_error("planned_end_date", _("The planned end cannot be before the start."))
        return data

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        tasks = data.pop("representation_tasks", "")
        data["represented"] = [(code, tasks) for code in data.get("represented", [])]
        return data


class DeploymentCreateForm(_DeploymentFields):
    deploying_authority = forms.ModelChoiceField(
        label=_("Deploying authority"), queryset=None, empty_label=None
    )
    officer_email = forms.EmailField(
        label=_("Officer's e-mail address"), help_text=_("The officer's ILOnet account.")
    )
    invite_officer = forms.BooleanField(
        label=_("The officer has no ILOnet account yet: invite them"),
        required=False,
        help_text=_("The officer gets a link by e-mail to set a password and a second factor."),
    )
    officer_first_name = SingleLineField(label=_("Officer's first name"), max_length=150, required=False)
    officer_last_name = SingleLineField(label=_("Officer's last name"), max_length=150, required=False)
    status = forms.ChoiceField(
        label=_("What do you notify? (Art. 4(1))"),
        choices=[
            (DeploymentStatus.PLANNED, _("A plan of deployment")),
            (DeploymentStatus.ACTIVE, _("An actual deployment (already started)")),
        ],
        widget=forms.RadioSelect,
        initial=DeploymentStatus.PLANNED,
    )
    field_order = [
        "deploying_authority", "officer_email", "invite_officer", "officer_first_name",
        "officer_last_name", "status",
    ]  # fmt: skip

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deploying_authority"].queryset = authorities

    def clean(self):
        data = super().clean()
        if data.get("invite_officer"):
            for name in ("officer_first_name", "officer_last_name"):
                if not data.get(name):
                    self.add_error(name, _("Give the officer's name to invite them."))
        return data


class DeploymentUpdateForm(_DeploymentFields):
    pass


class StartForm(ConfirmUnusualDates):
    start_date = forms.DateField(label=_("Actual start"), widget=IsoDateInput())


class EndForm(forms.Form):
    end_date = forms.DateField(label=_("Actual end"), widget=IsoDateInput())


class GapFilterForm(FilterForm):
    search = SingleLineField(
        label=_("Search"), required=False, max_length=100, help_text=_("Country name or code")
    )
    continent = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Whole world")), *Continent.choices]
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=[("", _("All countries")), ("yes", _("Priority countries")), ("no", _("Other countries"))],
    )
    level = forms.ChoiceField(label=_("Coverage"), required=False)
    on = forms.DateField(label=_("Situation on"), required=False, widget=IsoDateInput())

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("Any coverage")), *levels]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = {k: v for k, v in self.cleaned_data.items() if v}
        if "priority" in data:
            data["priority"] = data["priority"] == "yes"
        return data


class PriorityCountryForm(forms.Form):
    country = CountryField(label=_("Third country"))
    set_by = forms.ChoiceField(label=_("Set by"), choices=PrioritySetter.choices)
    period_start = forms.DateField(label=_("Priority from"), widget=IsoDateInput())
    period_end = forms.DateField(
        label=_("Priority until"),
        required=False,
        widget=IsoDateInput(),
        help_text=_("Leave empty for an open-ended priority."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, setters=(), **kwargs):
        super().__init__(*args, **kwargs)
        if setters:
            self.fields["set_by"].choices = [c for c in PrioritySetter.choices if c[0] in setters]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period cannot be before its start."))
        return data
