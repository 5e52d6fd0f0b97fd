"""Labels of a return case's derived stage and status, flags and event kinds."""

from django import template

from ..events import KINDS, Kind
from ..machine import STAGES, STATUSES
from ..models import CaseType, FlagKind

register = template.Library()


@register.filter
def stage_label(value: str) -> str:
    return str(STAGES.get(value, value))


@register.filter
def status_label(value: str) -> str:
    return str(STATUSES.get(value, value))


@register.filter
def flag_label(value: str) -> str:
    return str(dict(FlagKind.choices).get(value, value))


@register.filter
def case_type_label(value: str) -> str:
    return str(dict(CaseType.choices).get(value, value))


@register.filter
def kind_label(value: str) -> str:
    spec = KINDS.get(Kind(value)) if value in Kind._value2member_map_ else None
    return str(spec.label) if spec else value
