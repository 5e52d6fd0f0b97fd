"""A select widget that renders its options in Python.

Django renders every ``<option>`` through a template include; for the ~250 countries of a
filter form that is most of a list page's time (measured: bench/deployments.py). This widget
produces the same ECL markup as ``templates/django/forms/widgets/select.html`` in one pass,
and caches the country choices per language.
"""

from functools import lru_cache

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_countries import countries


class FastSelect(forms.Select):
    ecl_class = "ecl-select"

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        attrs = dict(context["attrs"])
        attrs["class"] = (
            f"{self.ecl_class} {attrs['class']}".strip() if attrs.get("class") else self.ecl_class
        )
        selected = {str(v) for v in context["value"]}
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        parts = []
        for key, val in attrs.items():
            if val is True:
                parts.append(format_html(" {}", key))
            elif val is not False and val is not None:
                parts.append(format_html(' {}="{}"', key, val))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option_value, mark_safe(" selected") if str(option_value) in selected else "", label)
                for option_value, label in self._flat_choices()
            ),
        )
        attributes = mark_safe("".join(parts))  # noqa: S308  (each part built by format_html)
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)

    def _flat_choices(self):
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                yield from ((v, str(lbl)) for v, lbl in label)
            else:
                yield ("" if option_value is None else option_value, str(label))


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False


@lru_cache(maxsize=8)
def _country_choices(language: str, codes: frozenset[str] | None) -> tuple[tuple[str, str], ...]:
    return tuple((code, str(name)) for code, name in countries if codes is None or code in codes)


def country_choices(codes: frozenset[str] | None = None) -> list[tuple[str, str]]:
    """ISO countries (optionally only ``codes``) sorted by name in the active language."""
    return list(_country_choices(get_language() or "en", codes))


class IsoDateInput(forms.DateInput):
    """The browser's native date picker. It accepts only ISO values (``2026-12-02``) whatever
    the page's language: a Dutch page rendering ``02-12-2026`` loses the value, and saving the
    form unchanged then fails. The picker shows the date in the reader's own format."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class IsoDateTimeInput(forms.DateTimeInput):
    """The native date-and-time picker, with the ISO value it requires (see ``IsoDateInput``)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
