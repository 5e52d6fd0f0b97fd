"""Forms of the return case pages. The event form is generated from the event-kind registry
(``events.form_fields``): exactly the fields the chosen kind needs. Every writing form carries
the case's ``version`` as the officer saw it: a stale save is refused by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ilonet.shared.forms import FilterForm
from ilonet.shared.widgets import FastSelect, IsoDateInput, country_choices

from .events import KINDS, Kind, form_fields
from .identity import DOCUMENT_TYPES, SCRIPTS
from .machine import STAGES, STATUSES
from .models import CaseType, FlagKind, WorklistRule

MANUAL_KINDS = [(k.value, e.label) for k, e in KINDS.items() if e.manual]
SCRIPT_LABELS = {
    "latin": _("Latin"),
    "arabic": _("Arabic"),
    "cyrillic": _("Cyrillic"),
    "greek": _("Greek"),
    "chinese": _("Chinese"),
    "devanagari": _("Devanagari"),
    "other": _("Other script"),
}
DOCUMENT_LABELS = {
    "passport": _("Passport"),
    "identity_card": _("Identity card"),
    "residence_permit": _("Residence permit"),
    "other": _("Other document"),
}


def _any(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class WorklistFilterForm(FilterForm):
    rule = forms.ChoiceField(widget=FastSelect, label=_("Rule"), required=False)
    stage = forms.ChoiceField(widget=FastSelect, label=_("Stage"), required=False)
    status = forms.ChoiceField(widget=FastSelect, label=_("Status"), required=False)
    third_country = forms.ChoiceField(widget=FastSelect, label=_("Third country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = _any(_("Every rule")) + list(WorklistRule.choices)
        self.fields["stage"].choices = _any(_("Every stage")) + [(k, v) for k, v in STAGES.items()]
        self.fields["status"].choices = _any(_("Every status")) + [(k, v) for k, v in STATUSES.items()]
        self.fields["third_country"].choices = _any(_("Every third country")) + country_choices()


class CaseFilterForm(WorklistFilterForm):
    case_type = forms.ChoiceField(widget=FastSelect, label=_("Case type"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["rule"]
        self.fields["case_type"].choices = _any(_("Every case type")) + list(CaseType.choices)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Reference or name"),
        max_length=100,
        help_text=_("A name is looked up through keyed digests: it is never stored or logged."),
    )


class KindForm(forms.Form):
    kind = forms.ChoiceField(widget=FastSelect, label=_("Event"), choices=MANUAL_KINDS)


class EventForm(forms.Form):
    """An event of one kind: its date, its own fields, and the case's version."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    kind = forms.ChoiceField(widget=FastSelect, label=_("Event"), choices=MANUAL_KINDS)
    occurred_on = forms.DateField(
        label=_("Date"),
        widget=IsoDateInput(),
        required=False,
        help_text=_("Today when left empty; never in the future."),
    )
    supersedes = forms.IntegerField(
        label=_("Corrects event number"),
        required=False,
        min_value=1,
        help_text=_("Only for a correction: the number of the event it replaces."),
    )

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = kind if kind in dict(MANUAL_KINDS) else MANUAL_KINDS[0][0]
        self.kind = chosen
        self.fields["kind"].initial = chosen
        self.event_field_names = []
        for name, field in form_fields(chosen).items():
            self.fields[f"f_{name}"] = field
            self.event_field_names.append(name)

    def event_fields(self) -> dict[str, Any]:
        data = {}
        for name in self.event_field_names:
            value = self.cleaned_data.get(f"f_{name}")
            data[name] = value
        return data


def event_field_errors(error_dict: dict[str, list[str]]) -> dict[str, list[str]]:
    """A service's errors named by event field, renamed to the form's ``f_`` fields."""
    known = {"version", "kind", "occurred_on", "supersedes"}
    return {(k if k in known or k == "__all__" else f"f_{k}"): v for k, v in error_dict.items()}


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class FlagForm(VersionForm):
    kind = forms.ChoiceField(widget=FastSelect, label=_("Flag"), choices=FlagKind.choices)


class OpenCaseForm(forms.Form):
    """A new case: its type, third country of return, and the person's identity."""

    case_type = forms.ChoiceField(widget=FastSelect, label=_("Case type"), choices=CaseType.choices)
    third_country = forms.ChoiceField(widget=FastSelect, label=_("Third country of return"))
    member_state = forms.ChoiceField(widget=FastSelect, label=_("Member state"), required=False)
    opened_on = forms.DateField(
        label=_("Opened on"), widget=IsoDateInput(), required=False, help_text=_("Today when left empty.")
    )
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    given_names = forms.CharField(label=_("Given names"), max_length=100, required=False)
    script = forms.ChoiceField(
        widget=FastSelect,
        label=_("Script"),
        choices=[(s, SCRIPT_LABELS[s]) for s in SCRIPTS],
        initial="latin",
    )
    birth_date = forms.DateField(label=_("Date of birth"), widget=IsoDateInput(), required=False)
    birth_place = forms.CharField(label=_("Place of birth"), max_length=100, required=False)
    nationality = forms.ChoiceField(widget=FastSelect, label=_("Nationality"), required=False)
    document_type = forms.ChoiceField(
        widget=FastSelect,
        label=_("Identity document"),
        required=False,
        choices=[("", _("None"))] + [(d, DOCUMENT_LABELS[d]) for d in DOCUMENT_TYPES],
    )
    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)

    def __init__(self, *args: Any, member_states: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["third_country"].choices = _any("—") + country_choices()
        self.fields["nationality"].choices = _any("—") + country_choices()
        states = member_states or []
        if len(states) > 1:
            self.fields["member_state"].choices = country_choices(frozenset(states))
            self.fields["member_state"].required = True
        else:
            del self.fields["member_state"]

    def person(self) -> dict[str, Any]:
        d = self.cleaned_data
        person: dict[str, Any] = {
            "names": [{"family": d["family_name"], "given": d.get("given_names", ""), "script": d["script"]}],
            "birth_date": d.get("birth_date"),
            "birth_place": d.get("birth_place", ""),
            "nationalities": [d["nationality"]] if d.get("nationality") else [],
            "documents": [],
        }
        if d.get("document_type"):
            person["documents"].append(
                {
                    "type": d["document_type"],
                    "number": d.get("document_number", ""),
                    "issuing_country": d.get("nationality") or "",
                    "valid_until": None,
                }
            )
        return person


IDENTITY_ERRORS = {
    "names": "family_name",
    "names.0.family": "family_name",
    "names.0.given": "given_names",
    "names.0.script": "script",
    "nationalities": "nationality",
    "documents.0.type": "document_type",
    "documents.0.number": "document_number",
    "documents.0.issuing_country": "nationality",
}


def kind_choices() -> list[tuple[str, Any]]:
    return MANUAL_KINDS


def is_manual(kind: str) -> bool:
    return kind in dict(MANUAL_KINDS) and Kind(kind) in KINDS


class DuplicateDecisionForm(forms.Form):
    """An officer's decision on a suspected duplicate person: the same person or two persons."""

    decision = forms.ChoiceField(
        widget=FastSelect,
        label=_("Decision"),
        choices=[("merge", _("Same person")), ("separate", _("Different persons"))],
    )
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)
