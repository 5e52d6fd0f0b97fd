from django import template
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.directory import selectors as directory

from ..models import Need, SpecialNeed

register = template.Library()


@register.filter
def state_name(code: str) -> str:
    """A member state's or third country's name from its ISO code; ``EU`` is the Commission."""
    if not code:
        return "–"
    if code == "EU":
        return _("The Commission")
    return directory.country_name(code) if len(code) == 2 else code


@register.filter
def state_names(codes) -> str:
    return ", ".join(state_name(c) for c in codes or []) or "–"


@register.filter
def need_labels(codes) -> str:
    labels = {**dict(Need.choices), **dict(SpecialNeed.choices)}
    return ", ".join(str(labels.get(c, c)) for c in codes or []) or "–"


@register.simple_tag(takes_context=True)
def may_view_overview(context) -> bool:
    request = context.get("request")
    return bool(request) and policy.can(request.user, policy.Action.VIEW_COOPERATION_OVERVIEW)
