"""Art. 9(3): each detector finds personal data validated by a maintained validator or a check
digit, and lets pass the look-alikes an exchange platform is full of (Art. 9(2)(a),
Art. 9(2)(b)): statistics, article and case numbers, wrong check digits, institutional links."""

import pytest

from ilonet.shared.personal_data_guard.detect import find_matches


def kinds(text):
    return [(m.kind, m.detail) for m in find_matches(text)]


def values(text):
    return [m.value for m in find_matches(text)]


@pytest.mark.parametrize(
    "text, address",
    [
        ("Write to anna.schmidt@example.org today.", "anna.schmidt@example.org"),
        ("anna.schmidt [at] example [dot] org", "anna.schmidt@example.org"),
        ("anna.schmidt(at)example.org", "anna.schmidt@example.org"),
        ("anna.schmidt {at} example (dot) org", "anna.schmidt@example.org"),
        ("mail anna at example dot org please", "anna@example.org"),
        ("Jan.De.Vries@Politie.NL", "jan.de.vries@politie.nl"),
    ],
)
def test_email_addresses_plain_and_disguised(text, address):
    assert values(text) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "The officers at frontex.europa.eu published a report.",
        "logo@2x.png and icon@3x.svg",
        "Meet at 10.30 at the embassy",
        "user@localhost",
    ],
)
def test_things_that_look_like_email_addresses_pass(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text, e164, country",
    [
        ("Call +31 20 123 4567 please", "+31201234567", "NL"),
        ("Bel 020-1234567", "+31201234567", "NL"),
        ("GSM 0470 12 34 56", "+32470123456", "BE"),
        ("Tél. : 06 12 34 56 78", "+31612345678", "FR"),  # valid in NL and FR
        ("Telefon 0221 1234567", "+492211234567", "DE"),
        ("0044 20 7946 0123", "+442079460123", "GB"),
        ("+212 6 61 23 45 67", "+212661234567", "MA"),
        ("Tel.: 612 34 56 78", "+34612345678", "ES"),
    ],
)
def test_phone_numbers_valid_in_their_country(text, e164, country):
    found = [m for m in find_matches(text) if m.kind == "phone"]
    assert len(found) == 1
    # A national number may be valid in several countries: all are named, its own among them.
    assert country in found[0].detail.split(", ")
    assert found[0].value == e164


@pytest.mark.parametrize(
    "text",
    [
        "Arrivals 2023: 12345 | 23456 | 34567 | 45678",
        "Population 447 706 209 on 1 January 2023",
        "Reference date 04-05-2023 and 31.12.2024",
        "Budget 612 34 56 78 EUR",  # no trunk prefix, no label: a figure
        "Growth +12.5% against 2019",
        "Case 0000 123 456",
        "Document 15234/24, ECLI:EU:C:2020:559",
        "Ratio 0.0612345678 and share 0,0201234567",  # decimal fractions
        "Coordinates +33.5731, -7.5898; change +31.2%",
    ],
)
def test_statistics_dates_and_references_are_not_phone_numbers(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text, country",
    [
        ("IBAN NL91 ABNA 0417 1643 00", "NL"),
        ("DE89370400440532013000", "DE"),
        ("pay to be71 0961 2345 6769 today", "BE"),
        ("FR14 2004 1010 0505 0001 3M02 606 BIC PSSTFRPPXXX", "FR"),
    ],
)
def test_ibans_with_valid_check_digits(text, country):
    assert kinds(text) == [("iban", country)]


@pytest.mark.parametrize(
    "text", ["NL92 ABNA 0417 1643 00", "DE88370400440532013000", "GB00 0000 0000 0000 00"]
)
def test_ibans_with_wrong_check_digits_pass(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text, detail",
    [
        ("BSN: 111222333", "nl.bsn"),
        ("burgerservicenummer 1112.22.333", "nl.bsn"),
        ("1112.22.333", "nl.bsn"),
        ("Rijksregisternummer 85.07.30-033.28", "be.nn"),
        ("NIR 2 84 12 76 451 089 93", "fr.nir"),
        ("Steuer-ID 86095742719", "de.idnr"),
        ("CF: RSSMRA85T10A562S", "it.codicefiscale"),
        ("DNI 54362315K", "es.dni"),
        ("NIE X1234567L", "es.nie"),
        ("PESEL 44051401359", "pl.pesel"),
    ],
)
def test_national_identity_numbers_with_valid_check_digits(text, detail):
    assert kinds(text) == [("national_id", detail)]


@pytest.mark.parametrize(
    "text",
    [
        "BSN: 111222334",  # 11-test fails
        "Rijksregisternummer 85.07.30-033.29",
        "NIR 2 84 12 76 451 089 94",
        "Steuer-ID 86095742718",
        "CF: RSSMRA85T10A562T",
        "DNI 54362315L",
        "PESEL 44051401358",
        "Total 111222333 euro",  # passes the 11-test, but a figure without a label
        "Arrivals 86095742719",  # a valid German tax id shape, no label
    ],
)
def test_numbers_failing_their_check_or_without_a_label_pass(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Date of birth: 12 March 1980",
        "born on 3 May 1985 in Rabat",
        "geboren op 12-03-1980 te Utrecht",
        "Geboortedatum: 1980-03-12",
        "née le 1er mars 1985",
        "Date de naissance : 01/03/1985",
        "Geburtsdatum: 12.03.1980",
        "geb. 12.03.1980",
        "Jan de Vries (04-05-1975) attended",
        "Anna Schmidt, 3 May 1985",
    ],
)
def test_dates_of_birth_after_a_label_or_a_name(text):
    assert [m.kind for m in find_matches(text)] == ["date_of_birth"]


@pytest.mark.parametrize(
    "text",
    [
        "The meeting of 12 March 2024 adopted the programme.",
        "The Schengen Agreement (14 June 1985) preceded it.",
        "Das Schengener Übereinkommen (14. Juni 1985) ging voraus.",
        "European Council (25 March 1957)",
        "Reference date 2024-03-31; 2019-06-20",
        "The network was born in 2019.",
        "Date of the meeting: 12 March 1980 archive",
    ],
)
def test_other_dates_are_not_dates_of_birth(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text, site",
    [
        ("https://www.linkedin.com/in/jan-jansen-123", "linkedin"),
        ("linkedin.com/in/jan-jansen", "linkedin"),
        ("https://www.facebook.com/jan.jansen.77", "facebook"),
        ("https://facebook.com/profile.php?id=1000123", "facebook"),
        ("https://x.com/janjansen", "x"),
        ("https://twitter.com/janjansen/status/123", "x"),
        ("https://www.instagram.com/jan.jansen/", "instagram"),
        ("https://vk.com/id12345", "vk"),
        ("https://t.me/janjansen", "telegram"),
        ("https://www.tiktok.com/@janjansen", "tiktok"),
        ("https://drive.google.com/file/d/1AbC/view", "cloud share"),
        ("https://docs.google.com/spreadsheets/d/1AbC/edit", "cloud share"),
        ("https://www.dropbox.com/s/abc123/list.xlsx?dl=0", "cloud share"),
        ("https://contoso-my.sharepoint.com/personal/jan_contoso_eu/Documents/a.xlsx", "cloud share"),
        ("https://contoso.sharepoint.com/:x:/g/personal/abc", "cloud share"),
        ("https://we.tl/t-AbC123", "cloud share"),
        ("mailto:jan@example.org", "mailto"),
    ],
)
def test_links_to_personal_profiles_and_shares(text, site):
    assert kinds(text) == [("personal_link", site)]


@pytest.mark.parametrize(
    "text",
    [
        "https://www.linkedin.com/company/frontex",
        "https://eur-lex.europa.eu/eli/reg/2019/1240/oj",
        "https://home-affairs.ec.europa.eu/policies/migration-and-asylum_en",
        "https://x.com/search?q=frontex",
        "https://www.facebook.com/sharer/sharer.php?u=x",
        "https://drive.google.com/",
        "https://contoso.sharepoint.com/sites/ilo-network/Shared%20Documents",
    ],
)
def test_institutional_and_generic_links_pass(text):
    assert kinds(text) == []


def test_article_citations_and_case_numbers_pass():
    text = (
        "Art. 9(2)(d), Art. 9(3) and Art. 10(3)(e) of Regulation (EU) 2019/1240; Case C-311/18; "
        "Az. 1 BvR 2345/19; RG n° 21/04567; zaaknummer 200.123.456/01; ECLI:NL:RVS:2021:1234"
    )
    assert kinds(text) == []


def test_overlapping_detectors_report_once():
    # A valid IBAN is not also a phone number or an identity number.
    assert kinds("NL91ABNA0417164300") == [("iban", "NL")]
