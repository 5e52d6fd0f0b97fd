"""Geographic regions (continents) of countries, for the gap analysis filter (Art. 8(2)(e)).

Read once from the vendored ``countries-list`` data (MIT, static/vendor/countries-list/).
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(settings.SRC_DIR) / "static" / "vendor" / "countries-list" / "3.4.1" / "countries.min.json"


class Continent(models.TextChoices):
    AFRICA = "AF", _("Africa")
    ASIA = "AS", _("Asia")
    EUROPE = "EU", _("Europe")
    NORTH_AMERICA = "NA", _("North and Central America")
    SOUTH_AMERICA = "SA", _("South America")
    OCEANIA = "OC", _("Oceania")
    ANTARCTICA = "AN", _("Antarctica")


# Codes django-countries knows that the data file lacks (or places elsewhere).
_EXTRA = {"XK": "EU"}


@cache
def continent_of_all() -> dict[str, str]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    mapping = {code: row.get("continent", "") for code, row in data.items()}
    mapping.update(_EXTRA)
    return mapping


def continent_of(country_code: str) -> str:
    """The continent code of a country ("" if unknown)."""
    return continent_of_all().get(country_code.upper(), "")


def countries_in(continent: str) -> frozenset[str]:
    return frozenset(code for code, cont in continent_of_all().items() if cont == continent)


@cache
def _capitals() -> dict[str, str]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return {code: row.get("capital", "") for code, row in data.items()}


def capital_of(country_code: str) -> str:
    """The capital city of a country ("" if unknown), for demo data and suggestions."""
    return _capitals().get(country_code.upper(), "")
