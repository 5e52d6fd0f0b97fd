"""Forms of return coordination. Countries are offered from ISO 3166 (any code: the services
give the rule's reason for a code that is not a third country or not a member state)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ilonet.shared.dates import short_date
from ilonet.shared.widgets import FastSelect, FastSelectMultiple, IsoDateInput, country_choices

from .definitions import INDICATORS
from .eurostat.datasets import DATASETS, MEMBER_STATES
from .models import Capability, Ground, JointActionKind, ObstacleStatus


class CountryChoiceField(forms.ChoiceField):
    def __init__(self, *args, blank_label=None, **kwargs):
        kwargs.setdefault("widget", FastSelect)
        blank = str(blank_label or _("Choose a country"))
        super().__init__(*args, choices=lambda: [("", blank), *country_choices()], **kwargs)


class EurostatUploadForm(forms.Form):
    dataset = forms.ChoiceField(
        label=_("Eurostat table"),
        choices=[("", _("As named in the file (SDMX-CSV)"))]
        + [(code, f"{code}: {d.title}") for code, d in DATASETS.items()],
        required=False,
        help_text=_("A TSV file does not name its table: choose it."),
    )
    file = forms.FileField(
        label=_("File"), help_text=_("Eurostat's TSV layout or SDMX-CSV 1.0 or 2.0, uncompressed.")
    )


class DashboardFilterForm(forms.Form):
    indicator = forms.ChoiceField(
        label=_("Indicator"),
        required=False,
        choices=[(code, i.label) for code, i in INDICATORS.items() if i.source == "eurostat"],
    )
    period = forms.CharField(
        label=_("Period"), required=False, max_length=7, help_text=_("A year (2023) or a quarter (2023-Q4).")
    )


class CaseFilterForm(forms.Form):
    """The case-indicator page: the EU total or one member state, and a period for the tables by
    third country and the reconciliation."""

    geo = forms.ChoiceField(
        label=_("Member state"),
        required=False,
        choices=[("EU27_2020", _("EU total"))] + [(g, g) for g in MEMBER_STATES],
        widget=FastSelect,  # the 28 options without a template each
    )
    period = forms.RegexField(
        label=_("Period"),
        required=False,
        regex=r"^\d{4}(-Q[1-4])?$",
        max_length=7,
        help_text=_("A year (2023) or a quarter (2023-Q4)."),
    )


class CapabilityForm(forms.Form):
    country = CountryChoiceField(label=_("Member state or third country"))
    capability = forms.ChoiceField(label=_("Capability"), choices=Capability.choices)
    has = forms.TypedChoiceField(
        label=_("In place"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=IsoDateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class TargetForm(forms.Form):
    baseline = forms.FloatField(label=_("Baseline"), min_value=0)
    baseline_date = forms.DateField(label=_("Baseline date"), widget=IsoDateInput())
    value = forms.FloatField(label=_("Target"), min_value=0)
    deadline = forms.DateField(label=_("Deadline"), widget=IsoDateInput())


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=IsoDateInput())
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PriorityForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)], coerce=int
    )
    country = CountryChoiceField(label=_("Third country"))
    grounds = forms.MultipleChoiceField(label=_("Grounds"), choices=Ground.choices, widget=FastSelectMultiple)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
    meeting = forms.TypedChoiceField(
        label=_("Chosen at the meeting"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [
            ("", "–"),
            *[(m.pk, f"{short_date(m.held_on)} {m.title}") for m in meetings],
        ]


class JointActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=JointActionKind.choices)
    description = forms.CharField(label=_("Description"), max_length=500)
    planned_on = forms.DateField(label=_("Planned for"), required=False, widget=IsoDateInput())
    member_states = forms.CharField(
        label=_("Member states taking part"),
        required=False,
        max_length=200,
        help_text=_("ISO codes separated by commas, e.g. NL, BE."),
    )

    def clean_member_states(self) -> list[str]:
        return [c.strip().upper() for c in self.cleaned_data["member_states"].split(",") if c.strip()]


class ObstacleForm(forms.Form):
    member_state = CountryChoiceField(label=_("Member state"))
    third_country = CountryChoiceField(
        label=_("Third country (if any)"), required=False, blank_label=_("No third country")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("No personal data: describe the issue, not the people."),
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=IsoDateInput())


class ObstacleUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ObstacleStatus.choices)
    owner = forms.CharField(
        label=_("Owner"), required=False, max_length=120, help_text=_("A unit or body, not a person.")
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=IsoDateInput())
    resolution = forms.CharField(
        label=_("Resolution"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"Q{q}") for q in range(1, 5)], coerce=int
    )
