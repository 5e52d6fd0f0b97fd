"""Reference data (issue 8, item 7): Kosovo, parts of member states, EL for Greece, names
sorted in the active language."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from ilonet.directory import reference, selectors
from ilonet.directory.models import Organisation, OrganisationKind
from ilonet.directory.templatetags.eu_countries import country_names, eu_code, eu_codes

pytestmark = pytest.mark.django_db


def test_kosovo_has_its_eu_name_in_both_languages_and_is_a_third_country():
    with translation.override("en"):
        assert countries.name("XK") == "Kosovo*"
    with translation.override("nl"):
        assert countries.name("XK") == "Kosovo*"
    assert selectors.is_known_country("XK") and selectors.is_third_country("XK")
    assert "XK" in selectors.deployable_third_countries()
    assert Organisation.objects.get(code="tc-xk").kind == OrganisationKind.THIRD_COUNTRY


def test_a_region_with_kosovo_reads_its_name_not_an_empty_one():
    with translation.override("en"):
        assert country_names(["AL", "XK"]) == "Albania, Kosovo*"


def test_kosovo_is_in_the_western_balkans_demo_network():
    from ilonet.networks.demo import REGIONAL

    balkans = dict(REGIONAL)["Western Balkans regional ILO network"]
    assert "XK" in balkans


@pytest.mark.parametrize("code", ["GF", "GP", "MQ", "RE", "YT", "MF", "AX"])
def test_parts_of_member_states_are_not_third_countries(code):
    """Art. 349 TFEU (outermost regions), Art. 355(4) TFEU (Åland)."""
    assert not selectors.is_third_country(code)
    assert code not in selectors.deployable_third_countries()
    assert not Organisation.objects.filter(code=f"tc-{code.lower()}").exists()


@pytest.mark.parametrize("code", ["NC", "PF", "AW", "CW", "GL", "FO", "BL", "PM"])
def test_overseas_countries_and_territories_stay_third_countries(code):
    """Not part of the Union (Annex II TFEU; Art. 355(5)(a) TFEU for the Faroe Islands)."""
    assert selectors.is_third_country(code)


def test_the_reason_names_the_member_state_and_the_treaty_article():
    with translation.override("en"):
        reason = selectors.not_third_country_reason("GF")
    assert reason == "French Guiana is an outermost region of France and part of the EU (Art. 349 TFEU)."
    with translation.override("nl"):
        assert "Frankrijk" in selectors.not_third_country_reason("GF")


def test_a_priority_cannot_be_set_for_an_outermost_region(make_user):
    from datetime import date

    from django.core.exceptions import ValidationError

    from ilonet.directory import services

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.set_priority_country(
            actor=make_user("chair", organisation="com"),
            country="RE",
            period_start=date(2026, 1, 1),
            set_by="steering_board",
        )
    assert "Art. 349 TFEU" in str(raised.value)


def test_greece_is_shown_as_el_but_stored_as_gr():
    assert eu_code("gr") == "EL" and eu_code("NL") == "NL"
    assert eu_codes(["DE", "GR"]) == "DE, EL"
    assert Organisation.objects.get(code="gr").country.code == "GR"


def test_the_directory_page_of_greece_shows_el(admin_user, login):
    page = login(admin_user).get(reverse("directory:organisation_detail", args=["gr"]))
    assert "(EL)" in page.content.decode() and "(GR)" not in page.content.decode()


def _member_state_names(client, language: str) -> list[str]:
    response = client.get(
        reverse("directory:organisation_list"), {"kind": "member_state"}, HTTP_ACCEPT_LANGUAGE=language
    )
    return [o.name for o in response.context["page_obj"]]


def test_the_directory_lists_member_states_by_name_in_the_active_language(admin_user, login):
    client = login(admin_user)
    with translation.override("en"):
        english = _member_state_names(client, "en")
    assert english.index("Czechia") < english.index("Denmark") < english.index("Germany")
    with translation.override("nl"):
        dutch = _member_state_names(client, "nl")
    assert dutch.index("Denemarken") < dutch.index("Duitsland") < dutch.index("Tsjechië")


def test_member_state_choices_of_the_deployment_form_are_sorted_by_name():
    from ilonet.deployments.forms import _member_state_choices

    with translation.override("en"):
        names = [name for _code, name in _member_state_choices()]
    assert names.index("Croatia") < names.index("Germany") < names.index("Greece")  # codes: DE, GR, HR


def test_display_codes_only_change_greece():
    assert {
        c: reference.display_code(c) for c in reference.EU_MEMBER_STATES if reference.display_code(c) != c
    } == {"GR": "EL"}


def test_the_directory_page_of_kosovo_carries_the_eu_footnote(admin_user, login):
    page = login(admin_user).get(
        reverse("directory:organisation_detail", args=["tc-xk"]), HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert "Kosovo*" in page.content.decode() and "Resolutie 1244/1999" in page.content.decode()
