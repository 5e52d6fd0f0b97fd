"""English and Dutch from day one: a complete Dutch catalogue, compiled, and used."""

from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_dutch_catalogue_has_no_untranslated_or_fuzzy_entry():
    po = polib.pofile(str(PO))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert len(po.translated_entries()) > 100


@pytest.mark.parametrize("po_file", [PO, PO.parents[2] / "en" / "LC_MESSAGES" / "django.po"])
def test_compiled_catalogue_matches_the_source(po_file):
    source = {(e.msgid, e.msgctxt): (e.msgstr, e.msgstr_plural) for e in polib.pofile(str(po_file))
              if not e.obsolete}  # fmt: skip
    compiled = {(e.msgid, e.msgctxt): (e.msgstr, e.msgstr_plural)
                for e in polib.mofile(str(po_file.with_suffix(".mo")))}  # fmt: skip
    compiled.pop(("", None), None)  # the header
    assert compiled == source, "run `make messages` (or recompile the .mo) after editing the .po"


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(PO)):
        for marker in ("%(", "%s", "%d"):
            if entry.msgstr:
                assert entry.msgid.count(marker) == entry.msgstr.count(marker), entry.msgid


@pytest.mark.django_db
def test_not_found_page_speaks_the_users_language():
    response = Client(HTTP_ACCEPT_LANGUAGE="nl").get("/no-such-page/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/no-such-page/")
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_login_page_is_in_dutch_when_chosen():
    client = Client()
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    body = client.get(reverse("account_login")).content.decode()
    assert 'lang="nl"' in body and "Aanmelden" in body


def test_glossary_terms_are_used():
    with translation.override("nl"):
        from ilonet.accounts.roles import Role

        assert str(Role.ILO.label) == "Immigratieverbindingsfunctionaris"
        assert str(Role.RETURN_COORDINATOR.label) == "EU-terugkeercoördinator"
