"""Template filters for showing countries the way EU documents do."""

from collections.abc import Iterable

from django import template

from ilonet.directory import reference, selectors

register = template.Library()


@register.filter
def eu_code(code: str) -> str:
    """A member state's code as EU documents show it (EL for Greece), upper case."""
    return reference.display_code(str(code or ""))


@register.filter
def eu_codes(codes: Iterable[str]) -> str:
    """Codes joined with commas, each as EU documents show it."""
    return ", ".join(reference.display_code(str(c)) for c in codes)


@register.filter
def country_name(code) -> str:
    """A country's name in the active language, from its code or a django-countries Country
    (cached per language: cheaper than ``{{ country.name }}`` in a table's every row)."""
    return selectors.country_name(str(getattr(code, "code", code)))


@register.filter
def country_names(countries: Iterable) -> str:
    """Country names in the active language, sorted by name, from codes or objects with a
    ``country`` (e.g. a region of responsibility, Art. 9(2)(d))."""
    codes = [str(getattr(c, "country", c)) for c in countries]
    return ", ".join(selectors.country_names(codes))
