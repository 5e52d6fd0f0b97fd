"""The accessibility statement has every part of the EU's model statement (Implementing Decision
(EU) 2018/1523 under Directive (EU) 2016/2102), in English and in Dutch: compliance status,
non-accessible content, preparation (date and method), feedback and contact, enforcement
procedure and the date of the last review; the operator's facts come from the settings."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from ilonet.site import accessibility

ROOT = Path(__file__).resolve().parents[4]
SECTIONS = ("compliance-status", "non-accessible-content", "preparation", "feedback", "enforcement")
# The heading of each part, in each language (the model statement's own words).
HEADINGS = {
    "en": ("Compliance status", "Non-accessible content", "Preparation of this accessibility statement",
           "Feedback and contact information", "Enforcement procedure"),
    "nl": ("Nalevingsstatus", "Niet-toegankelijke inhoud", "Opstelling van deze toegankelijkheidsverklaring",
           "Feedback en contactgegevens", "Handhavingsprocedure"),
}  # fmt: skip
STATUS = {"en": "partially compliant", "nl": "gedeeltelijk"}


def _statement(language: str) -> str:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/accessibility/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'lang="{language}"' in body
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_statement_has_every_part_of_the_model_statement(language, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "accessibility@ilonet.example.eu"
    settings.ACCESSIBILITY_ENFORCEMENT_BODY = "Nationale ombudsman"
    settings.ACCESSIBILITY_ENFORCEMENT_URL = "https://www.nationaleombudsman.nl/"
    body = _statement(language)

    for section, heading in zip(SECTIONS, HEADINGS[language], strict=True):
        assert f'<section id="{section}"' in body
        assert heading in body
    assert STATUS[language] in body and "WCAG 2.1" in body and "EN 301 549" in body
    assert "axe-core" in body  # the method of the self-assessment
    assert 'href="mailto:accessibility@ilonet.example.eu"' in body
    assert "Nationale ombudsman" in body and 'href="https://www.nationaleombudsman.nl/"' in body
    with translation.override(language):
        prepared = date_format(accessibility.PREPARED_ON, "DATE_FORMAT")
        reviewed = date_format(accessibility.last_reviewed_on(), "DATE_FORMAT")
    assert f'<time datetime="{accessibility.PREPARED_ON.isoformat()}">{prepared}</time>' in body
    assert f'<time datetime="{accessibility.last_reviewed_on().isoformat()}">{reviewed}</time>' in body


@pytest.mark.django_db
def test_the_defaults_name_the_european_ombudsman_in_the_readers_language(settings):
    settings.ACCESSIBILITY_ENFORCEMENT_BODY = ""
    assert "the European Ombudsman" in _statement("en")
    assert "de Europese Ombudsman" in _statement("nl")
    assert 'href="https://www.ombudsman.europa.eu/"' in _statement("en")


@pytest.mark.django_db
def test_the_operator_sets_the_date_of_the_last_review(settings):
    settings.ACCESSIBILITY_REVIEWED_ON = "2027-03-15"
    assert accessibility.last_reviewed_on() == date(2027, 3, 15)
    assert '<time datetime="2027-03-15">15 maart 2027</time>' in _statement("nl")


@pytest.mark.django_db
@pytest.mark.parametrize(("hours", "expected"), [(8, "8 hours"), (1, "1 hour")])
def test_the_session_limit_is_the_configured_one(settings, hours, expected):
    settings.SESSION_COOKIE_AGE = hours * 3600
    assert f"a session ends after {expected}," in _statement("en")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ILONET_ACCESSIBILITY_CONTACT_EMAIL", "not an address"),
        ("ILONET_ACCESSIBILITY_ENFORCEMENT_URL", "javascript:alert(1)"),
        ("ILONET_ACCESSIBILITY_REVIEWED_ON", "15/03/2027"),
    ],
)
def test_a_bad_setting_stops_start_up(variable, value):
    env = {**os.environ, variable: value, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(  # noqa: S603  (our own interpreter, fixed arguments)
        [sys.executable, "-c", "import ilonet.settings.test"], env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable}" in result.stderr
