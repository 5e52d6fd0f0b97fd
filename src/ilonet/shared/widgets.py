"""A select widget that renders its options in Python.

Django renders every ``<option>`` through a template include; for the ~250 countries of a
filter form that is most of a list page's time (measured: bench/deployments.py). This widget
produces the same ECL markup as ``templates/django/forms/widgets/select.html`` in one pass,
caches the country choices per language and each escaped ``<option>`` per set of choices.
"""

from functools import lru_cache

from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_countries import countries


@lru_cache(maxsize=256)
def _options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """Each choice as (value, its <option>, the same option selected), escaped once."""
    return tuple(
        (
            value,
            format_html('<option value="{}">{}</option>', value, label),
            format_html('<option value="{}" selected>{}</option>', value, label),
        )
        for value, label in choices
    )


class FastSelect(forms.Select):
    ecl_class = "ecl-select"

    def render(self, name, value, attrs=None, renderer=None):
        # The base widget's context: attributes and value, without Django's per-option dicts.
        context = forms.Widget.get_context(self, name, value, attrs)["widget"]
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
        options = mark_safe(  # noqa: S308  (each option built by format_html)
            "".join(
                chosen if option_value in selected else plain
                for option_value, plain, chosen in _options(tuple(self._flat_choices()))
            )
        )
        attributes = mark_safe("".join(parts))  # noqa: S308  (each part built by format_html)
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)

    def _raw_choices(self):
        choices = self.choices
        if isinstance(choices, CallableChoiceIterator):
            # Our callables return (value, label) pairs already: skip Django's normalising
            # of each of the ~250 countries (abstract-class checks per choice).
            return choices.func()
        return choices

    def use_required_attribute(self, initial) -> bool:
        # As forms.Select, from the first choice only (Django's normalises every choice first).
        if not forms.Widget.use_required_attribute(self, initial) or self.allow_multiple_selected:
            return forms.Widget.use_required_attribute(self, initial)
        first_choice = next(iter(self._raw_choices()), None)
        return first_choice is not None and forms.Select._choice_has_empty_value(first_choice)  # type: ignore[attr-defined]

    def _flat_choices(self):
        for option_value, label in self._raw_choices():
            if isinstance(label, list | tuple):
                yield from ((str(v), str(lbl)) for v, lbl in label)
            else:
                yield ("" if option_value is None else str(option_value), str(label))


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
