"""The registry of event kinds on a return case's timeline (RS 2(a), RS 2(b), RS 2(c)).

Each kind declares its fields once, with their types and limits. The same declaration is used by

- the services, which validate an event's fields with ``clean_fields(kind, data)`` (a
  ``ValidationError`` naming each bad field, translated);
- forms (``form_fields(kind)``: Django form fields with exactly the fields the event needs);
- API schemas and interchange formats (``json_schema(kind)``, ``json_schema_all()``: JSON Schema,
  draft 2020-12, of an event's ``fields`` object);
- the state machines (``machine.py``), which name kinds only through ``Kind``.

Fields are stored as JSON on ``CaseEvent.fields`` (dates as ISO strings). Every event also has its
own date (``occurred_on``), never in the future. Kinds whose step needs a second person's approval
(``approval=True``) take effect only once approved (``models.Approval``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ilonet.shared.text import single_line_problem


class Kind(StrEnum):
    CASE_OPENED = "case_opened"
    LEGAL_STAY_ENDED = "legal_stay_ended"
    RETURN_DECISION = "return_decision"
    ENTRY_BAN = "entry_ban"
    APPEAL_LODGED = "appeal_lodged"
    APPEAL_DECIDED = "appeal_decided"
    COUNSELLING_SESSION = "counselling_session"
    ABSCONDING_RISK_ASSESSED = "absconding_risk_assessed"
    DETENTION_ORDERED = "detention_ordered"
    DETENTION_REVIEWED = "detention_reviewed"
    DETENTION_ENDED = "detention_ended"
    IDENTIFICATION_STEP = "identification_step"
    READMISSION_REQUESTED = "readmission_requested"
    READMISSION_ANSWERED = "readmission_answered"
    TRAVEL_DOCUMENT_REQUESTED = "travel_document_requested"
    TRAVEL_DOCUMENT_ISSUED = "travel_document_issued"
    SIS_ALERT_ENTERED = "sis_alert_entered"
    SIS_ALERT_DELETED = "sis_alert_deleted"
    AVR_APPLIED = "avr_applied"
    AVR_EVALUATION_STARTED = "avr_evaluation_started"
    AVR_ACCEPTED = "avr_accepted"
    AVR_REJECTED = "avr_rejected"
    DEPARTURE_SCHEDULED = "departure_scheduled"
    VOLUNTARY_DEPARTURE = "voluntary_departure"
    ENFORCED_RETURN_SCHEDULED = "enforced_return_scheduled"
    ENFORCED_RETURN_CANCELLED = "enforced_return_cancelled"
    ENFORCED_RETURN_CARRIED_OUT = "enforced_return_carried_out"
    REINTEGRATION_ASSISTANCE = "reintegration_assistance"
    ABSCONDED = "absconded"
    PERSON_LOCATED = "person_located"
    HANDED_OVER = "handed_over_to_enforced_return"
    IDENTITY_CHANGED = "identity_changed"
    HOLD_PLACED = "hold_placed"
    HOLD_RELEASED = "hold_released"
    RETRACTED = "retracted"
    CASE_CLOSED = "case_closed"


@dataclass(frozen=True)
class F:
    """One field of an event kind. ``type``: text, date, int, bool, choice."""

    name: str
    type: str
    label: Any
    required: bool = True
    choices: tuple[tuple[str, Any], ...] = ()
    min: int | None = None
    max: int | None = None
    max_length: int = 200

    def json_schema(self) -> dict[str, Any]:
        if self.type == "date":
            return {"type": "string", "format": "date"}
        if self.type == "int":
            schema: dict[str, Any] = {"type": "integer"}
            if self.min is not None:
                schema["minimum"] = self.min
            if self.max is not None:
                schema["maximum"] = self.max
            return schema
        if self.type == "bool":
            return {"type": "boolean"}
        if self.type == "choice":
            return {"type": "string", "enum": [value for value, _label in self.choices]}
        return {"type": "string", "maxLength": self.max_length}

    def form_field(self) -> forms.Field:
        from ilonet.shared.widgets import FastSelect, IsoDateInput

        common = {"label": self.label, "required": self.required}
        if self.type == "date":
            return forms.DateField(widget=IsoDateInput(), **common)
        if self.type == "int":
            return forms.IntegerField(min_value=self.min, max_value=self.max, **common)
        if self.type == "bool":
            return forms.BooleanField(label=self.label, required=False)
        if self.type == "choice":
            return forms.ChoiceField(choices=[("", "—"), *self.choices], widget=FastSelect, **common)
        return forms.CharField(max_length=self.max_length, **common)


@dataclass(frozen=True)
class EventKind:
    kind: Kind
    label: Any
    fields: tuple[F, ...] = ()
    approval: bool = False  # the step needs a second person's approval before it takes effect
    basis: str = "RS 2(c)"
    manual: bool = True  # officers record it (False: only the platform, e.g. the hand-over job)
    extra: dict[str, Any] = field(default_factory=dict)


CHANNELS = (
    ("rcms", _("Readmission case management system (RCMS)")),
    ("diplomatic", _("Diplomatic channel")),
    ("liaison_officer", _("Liaison officer")),
    ("other", _("Other channel")),
)
REASONS = (
    ("negative_asylum_decision", _("Negative asylum decision")),
    ("permit_expired", _("Residence permit expired")),
    ("permit_withdrawn", _("Residence permit withdrawn")),
    ("irregular_entry_or_stay", _("Irregular entry or stay")),
    ("other", _("Other reason")),
)
MEASURES = (
    ("detention", _("Detention")),
    ("reporting", _("Regular reporting (alternative)")),
    ("residence", _("Designated residence (alternative)")),
    ("financial_guarantee", _("Financial guarantee (alternative)")),
    ("document_surrender", _("Surrender of documents (alternative)")),
    ("electronic_monitoring", _("Electronic monitoring (alternative)")),
)
ID_METHODS = (
    ("documents", _("Documents")),
    ("individual_assessment", _("Individual assessment")),
    ("biometrics", _("Biometrics")),
    ("interview", _("Interview")),
    ("identification_mission", _("Identification mission of a third country's delegation")),
)
OUTCOMES = (
    ("returned_voluntarily", _("Returned voluntarily")),
    ("removed", _("Removed")),
    ("legal_stay_granted", _("Legal stay granted")),
    ("return_decision_annulled", _("Return decision annulled")),
    ("transferred", _("Transferred to another member state")),
    ("absconded", _("Absconded, whereabouts unknown")),
    ("other", _("Other outcome")),
)
TRAVEL_DOCUMENTS = (
    ("passport", _("Passport")),
    ("laissez_passer", _("Laissez-passer")),
    ("eu_travel_document", _("EU travel document for return")),
)
PACKAGES = (("cash", _("In cash")), ("in_kind", _("In kind")), ("cash_and_in_kind", _("In cash and in kind")))
YES_NO_PENDING = (
    ("identified", _("Identified")),
    ("not_identified", _("Not identified")),
    ("pending", _("Pending")),
)
RISK = (("low", _("Low")), ("medium", _("Medium")), ("high", _("High")))
ANSWERS = (("accepted", _("Accepted")), ("refused", _("Refused")))
APPEAL_RESULTS = (("dismissed", _("Dismissed")), ("upheld", _("Upheld: the decision is annulled")))
HOLD_REASONS = (("identity_changed", _("Identity data changed")), ("officer", _("Placed by an officer")))
CASE_TYPES = (
    ("voluntary", _("Assisted voluntary return")),
    ("enforced", _("Enforced return")),
    ("own_means", _("Departure by own means")),
)

K = Kind
KINDS: dict[Kind, EventKind] = {
    e.kind: e
    for e in [
        EventKind(
            K.CASE_OPENED,
            _("Case opened"),
            (F("case_type", "choice", _("case type"), choices=CASE_TYPES),),
            manual=False,
        ),
        EventKind(
            K.LEGAL_STAY_ENDED,
            _("End of legal stay"),
            (
                F("reason", "choice", _("reason"), choices=REASONS),
                F("decision_reference", "text", _("decision reference"), required=False, max_length=60),
            ),
            basis="RS 2(a)",
        ),
        EventKind(
            K.RETURN_DECISION,
            _("Return decision"),
            (
                F("voluntary_departure_days", "int", _("voluntary departure period (days)"), min=0, max=30),
                F("decision_reference", "text", _("decision reference"), required=False, max_length=60),
            ),
            approval=True,
            basis="RS 2(a)",
        ),
        EventKind(
            K.ENTRY_BAN,
            _("Entry ban"),
            (F("duration_years", "int", _("duration (years)"), min=1, max=20),),
            approval=True,
            basis="RS 2(a)",
        ),
        EventKind(
            K.APPEAL_LODGED,
            _("Appeal lodged"),
            (F("suspensive_effect", "bool", _("suspensive effect")),),
            basis="RS 2(a)",
        ),
        EventKind(
            K.APPEAL_DECIDED,
            _("Appeal decided"),
            (F("result", "choice", _("result"), choices=APPEAL_RESULTS),),
            basis="RS 2(a)",
        ),
        EventKind(
            K.COUNSELLING_SESSION,
            _("Return counselling session"),
            (
                F("remote", "bool", _("held remotely")),
                F("interpreter", "bool", _("with an interpreter")),
                F("interested_in_voluntary_return", "bool", _("interested in voluntary return")),
            ),
            basis="RS 2(b)",
        ),
        EventKind(
            K.ABSCONDING_RISK_ASSESSED,
            _("Absconding-risk assessment"),
            (F("risk", "choice", _("risk"), choices=RISK),),
            basis="RS 2(a)",
        ),
        EventKind(
            K.DETENTION_ORDERED,
            _("Detention or alternative ordered"),
            (
                F("measure", "choice", _("measure"), choices=MEASURES),
                F("review_on", "date", _("legal review date"), required=False),
            ),
            approval=True,
            basis="RS 2(a)",
        ),
        EventKind(
            K.DETENTION_REVIEWED,
            _("Detention re-assessed"),
            (
                F("continued", "bool", _("measure continued")),
                F("next_review_on", "date", _("next review date"), required=False),
            ),
            approval=True,
            basis="RS 2(a)",
        ),
        EventKind(K.DETENTION_ENDED, _("Detention or alternative ended"), basis="RS 2(a)"),
        EventKind(
            K.IDENTIFICATION_STEP,
            _("Identification step"),
            (
                F("method", "choice", _("method"), choices=ID_METHODS),
                F("result", "choice", _("result"), choices=YES_NO_PENDING),
            ),
            basis="RS 2(a)",
        ),
        EventKind(
            K.READMISSION_REQUESTED,
            _("Readmission request"),
            (
                F("channel", "choice", _("channel"), choices=CHANNELS),
                F("rcms_reference", "text", _("RCMS reference"), required=False, max_length=40),
            ),
            basis="RS 2(a)",
        ),
        EventKind(
            K.READMISSION_ANSWERED,
            _("Readmission answer"),
            (F("answer", "choice", _("answer"), choices=ANSWERS),),
            basis="RS 2(a)",
        ),
        EventKind(
            K.TRAVEL_DOCUMENT_REQUESTED,
            _("Travel document requested"),
            (F("document_type", "choice", _("document type"), choices=TRAVEL_DOCUMENTS),),
            approval=True,
        ),
        EventKind(
            K.TRAVEL_DOCUMENT_ISSUED,
            _("Travel document issued"),
            (
                F("document_type", "choice", _("document type"), choices=TRAVEL_DOCUMENTS),
                F("valid_until", "date", _("valid until")),
            ),
        ),
        EventKind(
            K.SIS_ALERT_ENTERED,
            _("SIS return alert entered"),
            (F("sis_reference", "text", _("SIS reference"), max_length=40),),
            basis="RS 2(a)",
        ),
        EventKind(K.SIS_ALERT_DELETED, _("SIS return alert deleted"), basis="RS 2(a)"),
        EventKind(
            K.AVR_APPLIED,
            _("Application for assisted voluntary return"),
            (F("programme", "text", _("programme"), max_length=100),),
            basis="RS 2(b)",
        ),
        EventKind(K.AVR_EVALUATION_STARTED, _("Application under evaluation"), basis="RS 2(b)"),
        EventKind(K.AVR_ACCEPTED, _("Application accepted"), basis="RS 2(b)"),
        EventKind(K.AVR_REJECTED, _("Application rejected"), basis="RS 2(b)"),
        EventKind(
            K.DEPARTURE_SCHEDULED,
            _("Voluntary departure scheduled"),
            (F("departure_on", "date", _("departure date")),),
            basis="RS 2(b)",
        ),
        EventKind(
            K.VOLUNTARY_DEPARTURE,
            _("Voluntary departure"),
            (F("assisted", "bool", _("assisted")),),
            basis="RS 2(b)",
        ),
        EventKind(
            K.ENFORCED_RETURN_SCHEDULED,
            _("Enforced return scheduled"),
            (
                F("departure_on", "date", _("departure date")),
                F("charter", "bool", _("charter flight")),
                F("frontex_supported", "bool", _("supported by Frontex")),
                F("escorted", "bool", _("escorted")),
            ),
            approval=True,
            basis="RS 2(a)",
        ),
        EventKind(K.ENFORCED_RETURN_CANCELLED, _("Enforced return cancelled"), basis="RS 2(a)"),
        EventKind(K.ENFORCED_RETURN_CARRIED_OUT, _("Enforced return carried out"), basis="RS 2(a)"),
        EventKind(
            K.REINTEGRATION_ASSISTANCE,
            _("Return incentive or reintegration package"),
            (
                F("package", "choice", _("package"), choices=PACKAGES),
                F("provider", "text", _("provider"), max_length=100),
                F("frontex_joint_reintegration", "bool", _("Frontex joint reintegration services")),
            ),
            approval=True,
            basis="RS 2(b)",
        ),
        EventKind(K.ABSCONDED, _("Absconded"), basis="RS 2(a)"),
        EventKind(K.PERSON_LOCATED, _("Person located again"), basis="RS 2(a)"),
        EventKind(
            K.HANDED_OVER,
            _("Handed over to enforced return"),
            (
                F(
                    "reason",
                    "choice",
                    _("reason"),
                    choices=(
                        ("voluntary_departure_period_expired", _("Voluntary departure period expired")),
                        ("absconding_risk", _("Risk of absconding")),
                        ("other", _("Other reason")),
                    ),
                ),
            ),
            basis="RS 2(a)",
        ),
        EventKind(
            K.IDENTITY_CHANGED,
            _("Identity data changed"),
            (F("changed", "text", _("changed fields"), max_length=200),),
            manual=False,
        ),
        EventKind(
            K.HOLD_PLACED, _("Case put on hold"), (F("reason", "choice", _("reason"), choices=HOLD_REASONS),)
        ),
        EventKind(K.HOLD_RELEASED, _("Hold released")),
        EventKind(K.RETRACTED, _("Recorded in error"), manual=False),
        EventKind(K.CASE_CLOSED, _("Case closed"), (F("outcome", "choice", _("outcome"), choices=OUTCOMES),)),
    ]
}
APPROVAL_KINDS = frozenset(k for k, e in KINDS.items() if e.approval)


_BY_NAME: dict[str, EventKind] = {k.value: e for k, e in KINDS.items()}


def kind_of(name: str) -> EventKind:
    try:
        spec = _BY_NAME.get(name)
    except TypeError:  # not hashable: not a kind
        spec = None
    if spec is None:
        raise ValidationError({"kind": _("Unknown event kind: %(kind)s.") % {"kind": name}})
    return spec


# Per kind, made once: its field names, and per choice field the set of its values (a bulk import
# checks millions of events; the checks and their words stay those of ``_clean_value``).
_KNOWN: dict[str, frozenset[str]] = {k.value: frozenset(f.name for f in e.fields) for k, e in KINDS.items()}
_CHOICES: dict[tuple[str, str], frozenset[str]] = {
    (k.value, f.name): frozenset(v for v, _label in f.choices)
    for k, e in KINDS.items()
    for f in e.fields
    if f.type == "choice"
}


def clean_fields(kind: str, data: dict[str, Any] | None) -> dict[str, Any]:
    """The event's fields, validated and made JSON-ready; every problem named by its field."""
    spec = kind_of(kind)
    data = data or {}
    name = spec.kind._value_  # the kind's text (the enum's ``value`` property costs a call each time)
    known = _KNOWN[name]
    errors: dict[str, list[str]] = {}
    if not data.keys() <= known:  # no set made of the data's keys (``issuperset`` makes one)
        for name in sorted(set(data) - known):
            errors.setdefault(name, []).append(_("This event has no such field."))
    cleaned: dict[str, Any] = {}
    for f in spec.fields:
        value = data.get(f.name)
        if value in (None, "") and f.type != "bool":
            if f.required:
                errors.setdefault(f.name, []).append(_("This field is required."))
            continue
        if f.type == "choice":  # the usual case first, without a set made per value
            try:
                allowed = value in _CHOICES[(name, f.name)]
            except TypeError:  # not hashable: not one of the values
                allowed = False
            if allowed:
                cleaned[f.name] = value
            else:
                errors.setdefault(f.name, []).append(_("Choose one of the listed values."))
            continue
        problem, result = _clean_value(f, value)
        if problem:
            errors.setdefault(f.name, []).append(problem)
        else:
            cleaned[f.name] = result
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_value(f: F, value: Any) -> tuple[str | None, Any]:
    if f.type == "bool":
        if value in (None, ""):
            return None, False
        if isinstance(value, bool):
            return None, value
        return _("Give true or false."), None
    if f.type == "int":
        if isinstance(value, bool) or not isinstance(value, int | str):
            return _("Give a whole number."), None
        try:
            number = int(value)
        except ValueError:
            return _("Give a whole number."), None
        if (f.min is not None and number < f.min) or (f.max is not None and number > f.max):
            return _("Give a number from %(min)s to %(max)s.") % {"min": f.min, "max": f.max}, None
        return None, number
    if f.type == "date":
        if isinstance(value, date):
            return None, value.isoformat()
        try:
            return None, date.fromisoformat(str(value)).isoformat()
        except ValueError:
            return _("Give a date as YYYY-MM-DD."), None
    if f.type == "choice":
        if value not in {v for v, _label in f.choices}:
            return _("Choose one of the listed values."), None
        return None, value
    text = str(value).strip()
    if len(text) > f.max_length:
        return _("At most %(n)s characters.") % {"n": f.max_length}, None
    return single_line_problem(text), text


def form_fields(kind: str) -> dict[str, forms.Field]:
    """Django form fields for exactly the fields this kind of event needs (plus its date is the
    form's own ``occurred_on``)."""
    return {f.name: f.form_field() for f in kind_of(kind).fields}


def json_schema(kind: str) -> dict[str, Any]:
    spec = kind_of(kind)
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {f.name: f.json_schema() for f in spec.fields},
        "required": [f.name for f in spec.fields if f.required and f.type != "bool"],
    }


def json_schema_all() -> dict[str, Any]:
    """The JSON Schema of one timeline event (``kind``, ``occurred_on``, ``fields``)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ILOnet return case event",
        "type": "object",
        "required": ["kind", "occurred_on", "fields"],
        "properties": {
            "kind": {"type": "string", "enum": [k.value for k in KINDS]},
            "occurred_on": {"type": "string", "format": "date"},
            "supersedes": {"type": "integer", "minimum": 1},
        },
        "oneOf": [
            {"properties": {"kind": {"const": k.value}, "fields": json_schema(k.value)}} for k in KINDS
        ],
    }
