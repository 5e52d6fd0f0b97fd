from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from ilonet.shared.forms import SingleLineField
from ilonet.shared.widgets import FastSelect, IsoDateInput, country_choices

from .models import NO_PERSONAL_DATA, Status, Subject
from .topics import TOPICS, Topic

SECTION_KEYS = ("text", "vulnerable_persons", "gender")


def last_quarter(today: date) -> tuple[date, date]:
    start_this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = start_this - timedelta(days=1)
    return date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end


class ReportForm(forms.Form):
    """A situation report: whose, the period, a summary and one section per topic of Art. 3(4),
    with the Art. 3(2) dimensions where relevant."""

    subject = forms.ChoiceField(label=_("Report of"), choices=Subject.choices, widget=forms.RadioSelect)
    network = forms.TypedChoiceField(label=_("Network"), coerce=int, required=False, empty_value=None)
    period_start = forms.DateField(label=_("Period from"), widget=IsoDateInput())
    period_end = forms.DateField(label=_("Period until"), widget=IsoDateInput())
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_PERSONAL_DATA,
    )

    def __init__(self, *args, networks=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = [("", _("Choose a network")), *[(n.pk, n.name) for n in networks]]
        if editing:
            del self.fields["subject"]
            del self.fields["network"]
        self.sections = []
        for info in TOPICS:
            names = {"text": f"{info.code}_text"}
            self.fields[names["text"]] = forms.CharField(
                label=_("Assessment"),
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            if info.dimensions:
                names["vulnerable_persons"] = f"{info.code}_vulnerable_persons"
                names["gender"] = f"{info.code}_gender"
                self.fields[names["vulnerable_persons"]] = forms.CharField(
                    label=_("Vulnerable persons (Art. 3(2))"),
                    required=False,
                    max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                self.fields[names["gender"]] = forms.CharField(
                    label=_("Gender dimension (Art. 3(2))"),
                    required=False,
                    max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            self.sections.append(
                {
                    "info": info,
                    "label": Topic(info.code).label,
                    "fields": [self[name] for name in names.values()],
                }
            )

    def clean(self):
        data = super().clean()
        if data.get("subject") == Subject.NETWORK and not data.get("network"):
            self.add_error("network", _("Choose the network."))
        return data

    def section_values(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            info.code: {key: data.get(f"{info.code}_{key}", "") or "" for key in SECTION_KEYS}
            for info in TOPICS
        }

    @staticmethod
    def initial_from(report) -> dict:
        initial = {
            "period_start": report.period_start,
            "period_end": report.period_end,
            "summary": report.summary,
        }
        for section in report.sections.all():
            for key in SECTION_KEYS:
                initial[f"{section.topic}_{key}"] = getattr(section, key)
        return initial


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What to revise"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PERSONAL_DATA,
    )


def _any_country(label) -> list[tuple[str, str]]:
    return [("", str(label)), *country_choices()]


class ReportFilterForm(forms.Form):
    search = SingleLineField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    subject = forms.ChoiceField(
        label=_("Report of"), required=False, choices=[("", _("Officers and networks")), *Subject.choices]
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=lambda: _any_country(_("Any country")), widget=FastSelect
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("Any topic")), *Topic.choices]
    )
    mine = forms.BooleanField(label=_("Only the reports I write"), required=False)

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


class OverviewForm(forms.Form):
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=lambda: _any_country(_("All countries")),
        widget=FastSelect,
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All topics")), *Topic.choices]
    )
    since = forms.DateField(label=_("From"), required=False, widget=IsoDateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=IsoDateInput())

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The period ends before it starts."))
        elif since and until and (until - since).days > 366 * 10:
            self.add_error("until", _("At most ten years."))
        else:
            _check_years(self, since, until, "until")
        return data


def _check_years(form: forms.Form, start, end, field: str) -> None:
    from .evidence.build import MAX_YEAR, MIN_YEAR

    if (start and start.year < MIN_YEAR) or (end and end.year > MAX_YEAR):
        form.add_error(
            field,
            _("Choose a period between %(first)s and %(last)s.") % {"first": MIN_YEAR, "last": MAX_YEAR},
        )


class PeriodForm(forms.Form):
    """The period of the evidence pack (Art. 12(2))."""

    period_start = forms.DateField(label=_("From"), widget=IsoDateInput())
    period_end = forms.DateField(label=_("Until"), widget=IsoDateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        elif start and end and (end - start).days > 366 * 10:
            self.add_error("period_end", _("At most ten years."))
        else:
            _check_years(self, start, end, "period_end")
        return data
