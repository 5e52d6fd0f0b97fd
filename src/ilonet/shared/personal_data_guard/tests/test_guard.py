"""Art. 9(3): the guard's report refuses a document with personal data and says where and
what, masked; it can be kept for the audit trail without any value, and its fingerprints let
the exchange app record an override without storing the number."""

import io
import json

import pytest
from django.test import override_settings
from django.utils import translation

from ilonet.shared.personal_data_guard import GuardReport, scan, scan_text
from ilonet.shared.personal_data_guard.detect import Finding, fingerprint, mask
from ilonet.shared.personal_data_guard.guard import MAX_FINDINGS

TEXT = "Contact jan.jansen@example.org.\nIBAN NL91 ABNA 0417 1643 00\nBel +31 20 123 4567"


def test_a_clean_text_gives_a_clean_report():
    report = scan_text("Arrivals rose by 12% (Art. 9(2)(b)).", "Situation")
    assert report.clean and report.findings == ()
    assert report.summary() == "No personal data was found."


def test_findings_are_placed_by_field_and_line():
    report = scan_text(TEXT, "Free text")
    assert [(f.kind, f.location.label()) for f in report.findings] == [
        ("email", "field “Free text”, line 1"),
        ("iban", "field “Free text”, line 2"),
        ("phone", "field “Free text”, line 3"),
    ]


@pytest.mark.parametrize(
    "value, masked",
    [
        ("NL91ABNA0417164300", "NL**************00"),
        ("abcdefg", "a*****g"),
        ("abcd", "****"),
        ("abcdefgh", "ab****gh"),
    ],
)
def test_masking_keeps_the_first_and_last_two_characters(value, masked):
    assert mask(value) == masked


def test_the_report_keeps_no_value_only_masks_and_fingerprints():
    report = scan_text(TEXT, "Free text")
    serialised = json.dumps(report.as_dict())
    for value in ("jan.jansen@example.org", "NL91ABNA0417164300", "0417 1643", "+31201234567", "1234567"):
        assert value not in serialised
    assert report.as_dict()["counts"] == {"email": 1, "iban": 1, "phone": 1}
    again = [Finding.from_dict(item) for item in json.loads(serialised)["findings"]]
    assert again == list(report.findings)


def test_the_same_value_has_the_same_fingerprint_in_a_new_version():
    first = scan_text("IBAN NL91 ABNA 0417 1643 00", "a").findings[0]
    second = scan_text("Rekening: NL91ABNA0417164300 (gewijzigd)", "b").findings[0]
    assert first.fingerprint == second.fingerprint
    assert first.location != second.location


def test_the_fingerprint_is_keyed():
    plain = fingerprint("iban", "NL91ABNA0417164300")
    with override_settings(PERSONAL_DATA_GUARD_KEY="another-key-for-this-test"):
        assert fingerprint("iban", "NL91ABNA0417164300") != plain
    assert fingerprint("phone", "NL91ABNA0417164300") != plain


def test_an_override_sets_aside_only_the_finding_it_names():
    """A switchboard number judged false by an authorised user: its fingerprint is recorded by
    the exchange app; the other findings still refuse the document."""
    report = scan_text(TEXT, "Free text")
    phone = next(f for f in report.findings if f.kind == "phone")
    remaining = report.remaining({phone.fingerprint})
    assert [f.kind for f in remaining] == ["email", "iban"]
    assert report.remaining({f.fingerprint for f in report.findings}) == ()


def test_the_summary_and_lines_are_translated_to_dutch():
    report = scan_text(TEXT, "Vrije tekst")
    with translation.override("nl"):
        summary = report.summary()
        lines = report.lines()
    assert "geweigerd" in summary and "Art. 9(3)" in summary
    assert lines[0].startswith("veld “Vrije tekst”, regel 1: e-mailadres")
    with translation.override("en"):
        assert report.summary().startswith("The document was refused and not stored")


def test_errors_are_translated_to_dutch():
    from ilonet.shared.personal_data_guard import EncryptedDocument

    with translation.override("nl"):
        assert "wachtwoord" in EncryptedDocument().message


def test_the_guard_stops_counting_at_its_limit():
    text = "\n".join(f"mail{i}@example.org" for i in range(MAX_FINDINGS + 50))
    report = scan_text(text, "x")
    assert len(report.findings) == MAX_FINDINGS and report.truncated
    assert "possibly more" in report.summary()


def test_scan_reports_the_source_type():
    report = scan(io.BytesIO(b"Tel. +31 20 123 4567\n"), "text/plain; charset=utf-8")
    assert isinstance(report, GuardReport) and report.source == "text/plain"
    assert report.counts() == {"phone": 1}


def test_the_regulations_own_text_holds_no_personal_data():
    from ilonet.shared.personal_data_guard.tests.corpus.build import REGULATION

    report = scan(io.BytesIO(REGULATION.read_bytes()), "text/plain")
    assert report.chunks > 500 and report.clean, report.lines()
