from django import template

from ilonet.directory import selectors as directory

from ..eurostat.datasets import iso_country
from ..models import Ground

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """A country's name in the active language from an ISO or Eurostat code (EL is Greece)."""
    return directory.country_name(iso_country(code)) if code else "–"


@register.filter
def grounds(priority) -> str:
    labels = dict(Ground.choices)
    return ", ".join(str(labels.get(g, g)) for g in priority.grounds)
