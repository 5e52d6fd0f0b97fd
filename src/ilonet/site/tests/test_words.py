"""The words of the platform follow four rules, in both languages and on every page, django-allauth's
sign-in and account pages included (their words are reworded in our catalogues,
``accounts/allauth_words.py``):

- one vocabulary for signing in: "Sign in", "Sign out", "Signed in." / "Aanmelden", "Afmelden";
- Dutch addresses the reader as "u", never "je";
- titles, headings, buttons, menu items and labels are in sentence case ("Sign in", not "Sign In");
- counts use plural forms ("1 meeting", "2 meetings"), never "meeting(s)" or "besluit(en)".
"""

import re
from pathlib import Path

import allauth
import polib
import pytest
from django.urls import reverse
from django.utils import translation

from ilonet.shared.testing import TEST_PASSWORD, totp_code

LOCALE = Path(__file__).resolve().parents[2] / "locale"
NL_PO = LOCALE / "nl" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
ALLAUTH_NL_PO = Path(allauth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"

# The allauth sources whose messages can appear on ILOnet's pages (e-mail login, no sign-up,
# TOTP, passkeys and recovery codes, optional single sign-on). Phone numbers, usernames, login
# by code, sign-up and the OpenID provider are switched off.
ALLAUTH_ON_OUR_PAGES = re.compile(
    r"^(account/(adapter|forms|fields)\.py|mfa/(adapter|base/forms|totp/forms|webauthn/forms)\.py"
    r"|socialaccount/adapter\.py"
    r"|templates/account/(account_inactive|base_reauthenticate|email\.html|email_confirm\.html|logout"
    r"|messages/(?!logged_)|password_|reauthenticate|signup_closed|snippets/already_logged_in|verification_sent"
    r"|email/(base_message|password_reset_key|unknown_account|email_confirmation_))"
    r"|templates/mfa/(authenticate|index|reauthenticate|recovery_codes|totp|messages"
    r"|webauthn/(add_form|authenticator_|edit_form|reauthenticate))"
    r"|templates/socialaccount/(authentication_error|connections|login\.html|login_cancelled|messages))"
)

# Messages of those sources that cannot be shown with ILOnet's settings (phone numbers,
# usernames, sign-up, login and verification by code, "remember me", the label of a sign-in
# field that takes several kinds of names): allauth's words, never ours. The messages after
# signing in and out are our own templates (templates/account/messages).
ALLAUTH_SWITCHED_OFF = re.compile(
    r"phone|username|sign ?up|signup|login code|sign-in code|verification code|same email"
    r"|Remember Me|^Login$",
    re.I,
)

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie|jij's)\b", re.I)
INFORMAL_ALLOWED: set[str] = set()  # whole msgstrs where such a word is not addressed to the reader

LOGIN_WORDS_EN = re.compile(r"(?i:\blog ?in|\blog ?out|\blogged (in|out)\b|\blogins?\b)|\bSign (In|Out)\b")
LOGIN_WORDS_NL = re.compile(r"inlog|uitlog|ingelogd|uitgelogd|\blog (in|uit)\b", re.I)

# Words that keep their capital inside a sentence: names, and the words of a citation.
PROPER_NOUNS = {
    "ILOnet", "Art", "Reg", "Regulation", "Directive", "European", "Parliament", "Commission", "Union",
    "Council", "Frontex", "Europol", "English", "Dutch", "French", "German", "Netherlands", "Rabat",
    "Embassy", "America",
    "Central", "Schengen", "Schengen-associated", "JavaScript", "Bearer", "Authorization", "Data",
    "Protection", "Supervisor", "General", "Web", "Content", "Accessibility", "Guidelines", "Court",
    "Justice", "Kosovo", "Opinion", "EU", "Login", "X-CSRFToken", "Victor", "Cazanave", "Ombudsman",
    "OpenAPI", "Python", "Eurostat", "Eurostat's",
    "Visa", "Code",  # the Visa Code, Regulation (EC) No 810/2009
    "No",  # "Regulation (EC) No 377/2004": the number of an act
    "External", "Action", "Service",  # the European External Action Service (EEAS)
}  # fmt: skip
PLACEHOLDERS = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|<[^>]+>|https?://\S+|(?<!\w)/[\w/.-]*[\w/]")
# The same in Dutch.
EIGENNAMEN = {
    "Art", "Verord", "Verordening", "Richtlijn", "Resolutie", "Europees", "Europese", "Parlement",
    "Commissie", "Unie", "Raad", "Frontex", "Europol", "Engels", "Nederlands", "Frans", "Duits", "Nederland",
    "Amerika",
    "Midden-Amerika", "Internationaal", "Gerechtshof", "Toezichthouder", "ILOnet", "JavaScript", "Kosovo",
    "Login", "Schengen", "Rabat", "X-CSRFToken-header", "Authorization", "Bearer", "Victor", "Cazanave",
    "Web", "Content", "Accessibility", "Guidelines", "Ombudsman", "OpenAPI", "Python", "Eurostat",
    "Visumcode", "Schengenbarometer",
    "Dienst",  # de Europese Dienst voor extern optreden (EDEO)
}  # fmt: skip
SENTENCE_START = re.compile(r"(?:^\W*|[.!?:;]\s+|\(\s*|[“„\"'‘]\s*|\n\s*|–\s+)$")


def _entries(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path)) if not e.obsolete and e.msgid]


def _texts(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return list(entry.msgstr_plural.values())
    return [entry.msgstr]


def _allauth_on_our_pages() -> list[polib.POEntry]:
    return [
        e
        for e in _entries(ALLAUTH_NL_PO)
        if any(ALLAUTH_ON_OUR_PAGES.match(path) for path, _line in e.occurrences)
        and not ALLAUTH_SWITCHED_OFF.search(e.msgid)
    ]


def _shown(entry: polib.POEntry, language: str) -> list[str]:
    """What a reader sees for a message in a language (our catalogues before allauth's)."""
    with translation.override(language):
        if entry.msgid_plural:
            return [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        if entry.msgctxt:
            return [translation.pgettext(entry.msgctxt, entry.msgid)]
        return [translation.gettext(entry.msgid)]


def not_sentence_case(text: str, names: set[str] = PROPER_NOUNS) -> list[str]:
    """The words of ``text`` that are capitalised although they do not start a sentence, a
    bracket or a quotation and are neither a name nor an acronym."""
    text = PLACEHOLDERS.sub(" ", text)
    found = []
    for match in re.finditer(r"[A-Za-zÀ-ÿ][\w'’-]*", text):
        word = match.group(0)
        if not word[0].isupper() or SENTENCE_START.search(text[: match.start()]):
            continue
        stem = word[:-1] if word.endswith("s") else word
        first = word.split("-")[0]
        if stem.isupper() or (first.isupper() and len(first) > 1) or first in names or word in names:
            continue  # an acronym (EU, ILOs, API-tokens) or a name
        found.append(word)
    return found


def test_the_sentence_case_check_finds_title_case():
    assert not_sentence_case("Change Password") == ["Password"]
    assert not_sentence_case("Sign In Via %(provider)s") == ["In", "Via"]
    assert not_sentence_case("Sign in with EU Login. Then use the API (Art. 7(2)).") == []
    assert not_sentence_case("The new user sets a password through “Forgot password”.") == []
    assert not_sentence_case("Met „Een uitnodiging verzenden” ontvangt u", set()) == []


def test_dutch_addresses_the_reader_as_u_never_je():
    informal = [
        f"{e.msgid!r} -> {text!r}"
        for e in _entries(NL_PO)
        for text in _texts(e)
        if INFORMAL.search(text) and text not in INFORMAL_ALLOWED
    ]
    assert not informal, "Use “u” (formal) in Dutch:\n" + "\n".join(informal)


def test_allauths_dutch_on_our_pages_addresses_the_reader_as_u():
    informal = [
        f"{e.msgid!r} -> {text!r}"
        for e in _allauth_on_our_pages()
        for text in _shown(e, "nl")
        if INFORMAL.search(text)
    ]
    assert not informal, "Reword in our Dutch catalogue (accounts/allauth_words.py):\n" + "\n".join(informal)


def test_signing_in_has_one_vocabulary_in_both_languages():
    ours = _entries(NL_PO)
    english = [text for e in ours + _allauth_on_our_pages() for text in _shown(e, "en")]
    dutch = [text for e in ours + _allauth_on_our_pages() for text in _shown(e, "nl")]
    wrong_english = [t for t in english if LOGIN_WORDS_EN.search(PLACEHOLDERS.sub(" ", t))]
    wrong_dutch = [t for t in dutch if LOGIN_WORDS_NL.search(PLACEHOLDERS.sub(" ", t))]
    assert not wrong_english, f"Say “Sign in”, “Sign out”, “Signed in”: {wrong_english}"
    assert not wrong_dutch, f"Zeg “Aanmelden”, “Afmelden”, “Aangemeld”: {wrong_dutch}"


def test_titles_headings_buttons_and_labels_are_in_sentence_case():
    """Every English message, ours and allauth's as shown on our pages: a capital starts a
    sentence, a bracket or a quotation, or a name (``PROPER_NOUNS``), or is an acronym."""
    wrong = [
        f"{text!r}: {words}"
        for e in _entries(NL_PO) + _allauth_on_our_pages()
        for text in _shown(e, "en")
        if (words := not_sentence_case(text))
    ]
    assert not wrong, "Use sentence case:\n" + "\n".join(wrong)


def test_dutch_titles_headings_buttons_and_labels_are_in_sentence_case_too():
    wrong = [
        f"{text!r}: {words}"
        for e in _entries(NL_PO) + _allauth_on_our_pages()
        for text in _shown(e, "nl")
        if (words := not_sentence_case(text, EIGENNAMEN))
    ]
    assert not wrong, "Gebruik een hoofdletter alleen aan het begin van een zin en voor namen:\n" + "\n".join(
        wrong
    )


def test_counts_use_plural_forms_not_brackets():
    entries = _entries(NL_PO)
    english = [e.msgid for e in entries if re.search(r"\w\((s|es)\)", e.msgid) or "/proxies" in e.msgid]
    dutch = [text for e in entries for text in _texts(e) if re.search(r"\w\((en|s|sen|n)\)", text)]
    assert not english, "Use ngettext or {% blocktranslate count %}: " + repr(english)
    assert not dutch, "Use the plural forms of the catalogue: " + repr(dutch)


def test_the_english_catalogue_only_rewords_allauths_messages():
    allauth_ids = {e.msgid for e in _entries(ALLAUTH_NL_PO)}
    ours = {e.msgid for e in _entries(NL_PO)}
    reworded = _entries(EN_PO)
    assert reworded, "locale/en holds allauth's rewording"
    assert all(e.msgid in allauth_ids and e.msgid in ours and e.msgstr for e in reworded)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "signed_in", "signed_out"),
    [("en", "Signed in.", "Signed out."), ("nl", "Aangemeld.", "Afgemeld.")],
)
def test_signing_in_and_out_says_signed_in_and_signed_out(client, make_user, language, signed_in, signed_out):
    user = make_user("ilo")
    client.cookies["django_language"] = language
    client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    home = client.post(reverse("mfa_authenticate"), {"code": totp_code()}, follow=True).content.decode()
    assert signed_in in home
    page = client.post(reverse("account_logout"), follow=True).content.decode()
    assert signed_out in page
    assert ("Sign in" if language == "en" else "Aanmelden") in page
