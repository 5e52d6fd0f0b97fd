"""Date inputs carry ISO values in every language (issue 8): the browser's native date picker
accepts only ``2026-12-02``; a Dutch page that rendered ``02-12-2026`` lost every date, and
saving an edit form unchanged failed with "Dit veld is verplicht". Every form of every app is
found by itself, so a new date field without the ISO widget fails here."""

import importlib
import inspect
import pkgutil
from datetime import date, datetime

import pytest
from django import forms
from django.apps import apps
from django.utils import translation

from ilonet.shared.widgets import IsoDateInput, IsoDateTimeInput


def _form_classes():
    """Every form class defined in the ``forms`` module of an ILOnet app."""
    for config in apps.get_app_configs():
        if not config.name.startswith("ilonet."):
            continue
        package = importlib.import_module(config.name)
        if not any(m.name == "forms" for m in pkgutil.iter_modules(package.__path__)):
            continue
        module = importlib.import_module(f"{config.name}.forms")
        for _n, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


DATE_FIELDS = [
    (cls, name, field)
    for cls in _form_classes()
    for name, field in getattr(cls, "base_fields", {}).items()
    if isinstance(field, forms.DateField | forms.DateTimeField)
]


def test_the_scan_finds_the_date_fields_of_the_forms():
    assert len(DATE_FIELDS) > 20


@pytest.mark.parametrize(
    ("cls", "name", "field"),
    DATE_FIELDS,
    ids=[f"{c.__module__}.{c.__name__}.{n}" for c, n, _f in DATE_FIELDS],
)
def test_every_date_field_renders_an_iso_value_in_dutch(cls, name, field):
    expected = IsoDateTimeInput if isinstance(field, forms.DateTimeField) else IsoDateInput
    assert isinstance(field.widget, expected), (
        f"{cls.__name__}.{name}: use ilonet.shared.widgets.{expected.__name__}"
    )
    value = datetime(2026, 12, 2, 9, 30) if isinstance(field, forms.DateTimeField) else date(2026, 12, 2)
    with translation.override("nl"):
        html = field.widget.render(name, value)
    assert ('value="2026-12-02T09:30"' if expected is IsoDateTimeInput else 'value="2026-12-02"') in html
