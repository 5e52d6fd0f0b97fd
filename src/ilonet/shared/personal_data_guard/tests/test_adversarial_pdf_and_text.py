"""Art. 9(3) against a security tester, in PDF, CSV and plain text: each test is one way a
person could try to get personal data past the guard (an e-mail address, an IBAN, a
machine-readable zone) by drawing it in pieces or writing it so that a pattern would not see
it. Every one must be refused. The files are built in ``adversarial_files.py``,
deterministically; the last tests are plausible clean documents that must stay clean.

Which of these were holes before 2026-12-04 is said in each test's docstring ("hole") or not
("held")."""

from __future__ import annotations

import io

import pytest

from ilonet.shared.personal_data_guard import scan, scan_text
from ilonet.shared.personal_data_guard.tests.adversarial_files import (
    EMAIL,
    MRZ_TD3,
    PROSE,
    kinds,
    pdf_with_pieces,
    refused,
    xlsx,
)

# --- PDF: text in pieces -------------------------------------------------------------------


def test_pdf_email_in_fragments_far_apart_on_one_baseline_is_refused():
    """Hole (the one left last session): "jan." "jansen@" "exam" "ple.org" drawn far apart on
    one line became four text boxes, each scanned alone."""
    pieces = [
        (60, 700, PROSE),
        (60, 650, "jan."),
        (200, 650, "jansen@"),
        (340, 650, "exam"),
        (480, 650, "ple.org"),
    ]
    assert refused(pdf_with_pieces(pieces), "pdf")


def test_pdf_email_in_fragments_drawn_out_of_order_is_refused():
    """Hole: the pieces drawn in another order than they are read (right to left in the
    content stream) are put back in reading order by their position."""
    pieces = [
        (480, 650, "ple.org"),
        (340, 650, "exam"),
        (200, 650, "jansen@"),
        (60, 650, "jan."),
        (60, 700, PROSE),
    ]
    assert refused(pdf_with_pieces(pieces), "pdf")


def test_pdf_email_split_over_two_lines_is_refused():
    """Hole: the local part at the end of one line, the domain on the next."""
    pieces = [(60, 700, PROSE), (400, 650, "jan.jansen"), (60, 610, "@example.org")]
    assert refused(pdf_with_pieces(pieces), "pdf")


def test_pdf_iban_in_groups_far_apart_is_refused():
    """Hole: the IBAN's groups of four as separate boxes across the page."""
    groups = ["NL91", "ABNA", "0417", "1643", "00"]
    pieces = [(60, 700, PROSE)] + [(60 + 100 * i, 650, g) for i, g in enumerate(groups)]
    assert refused(pdf_with_pieces(pieces), "pdf", "iban")


def test_pdf_mrz_line_in_two_halves_is_refused():
    """Hole: a passport's second MRZ line drawn as two halves far apart."""
    line = MRZ_TD3[1]
    pieces = [(60, 700, PROSE), (40, 650, line[:22]), (330, 650, line[22:])]
    assert refused(pdf_with_pieces(pieces, font_size=9), "pdf", "mrz")


def test_pdf_label_and_number_in_separate_boxes_on_one_baseline_are_refused():
    """Held: "BSN" at the left margin, the number far to the right on the same line (the
    label box ends the text read before the number's box); kept for the pieced reading."""
    pieces = [(60, 700, PROSE), (60, 650, "BSN"), (420, 650, "111222333")]
    assert refused(pdf_with_pieces(pieces), "pdf", "national_id")


def test_pdf_email_in_one_piece_is_reported_once():
    """Held, and must stay so: the pieced-together page text does not report an address the
    ordinary reading already found a second time (one override must be enough)."""
    pieces = [(60, 700, PROSE), (60, 650, "Write to"), (300, 650, EMAIL), (60, 600, "for the figures.")]
    report = scan(io.BytesIO(pdf_with_pieces(pieces)), "pdf")
    assert report.counts() == {"email": 1}


# --- CSV and text: encodings and disguises --------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "latin-1", "utf-8-sig"])
def test_csv_in_other_encodings_is_refused(encoding):
    """Held for a byte-order mark and Latin-1; hole for UTF-16 without a byte-order mark (each
    character followed by a NUL byte reads as valid UTF-8, and the address was never seen)."""
    text = f"route;quarter;contact\nCentral Mediterranean;2026-Q3;{EMAIL}\n"
    assert refused(text.encode(encoding), "csv")


def test_an_address_with_accented_letters_is_refused():
    """Hole: a local part with letters outside ASCII (``amélie.dupont@``, allowed by RFC 6531 and
    common in Latin-1 CSV files) was not seen at all: the pattern started after the accent and
    the look-behind then refused the rest."""
    data = "nom;courriel\nDupont;amélie.dupont@exemple.fr\n".encode("latin-1")
    assert refused(data, "csv")


@pytest.mark.parametrize("mark", ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"])
def test_an_email_with_invisible_characters_inside_is_refused(mark):
    """Hole: zero-width characters or a soft hyphen inside the address."""
    assert scan_text(f"Write to jan.jan{mark}sen@exam{mark}ple.org").counts() == {"email": 1}


@pytest.mark.parametrize("mark", ["\u200b", "\u00ad"])
def test_an_iban_with_invisible_characters_inside_is_refused(mark):
    """Hole: the same for an IBAN."""
    assert scan_text(f"Account NL91 AB{mark}NA 0417 {mark}1643 00").counts() == {"iban": 1}


def test_full_width_characters_are_refused():
    """Hole: full-width digits and letters (U+FF10 and on) look like ASCII to a reader."""
    report = scan_text(
        "Ｗｒｉｔｅ ｔｏ ｊａｎ＠ｅｘａｍｐｌｅ．ｏｒｇ, account ＮＬ９１ＡＢＮＡ０４１７１６４３００"
    )
    assert report.counts() == {"email": 1, "iban": 1}


@pytest.mark.parametrize(
    "written",
    [
        "jan (at) example (dot) org",
        "jan [at] example [dot] org",
        "jan(at)example(dot)org",
        "jan at example dot org",
        "jan {at} example {dot} org",
    ],
)
def test_a_disguised_email_is_refused(written):
    """Held."""
    assert scan_text(f"Write to {written} for details.").counts() == {"email": 1}


@pytest.mark.parametrize(
    "written", ["NL91 ABNA 0417 1643 00", "NL91-ABNA-0417-1643-00", "nl91abna0417164300"]
)
def test_an_iban_with_spaces_dashes_or_lower_case_is_refused(written):
    """Held."""
    assert scan_text(f"Pay to {written} by Friday.").counts() == {"iban": 1}


def test_mrz_lines_split_across_text_lines_are_refused():
    """Hole: each 44-character line of a passport's zone broken in two text lines (a narrow
    column, a line length limit)."""
    text = "\n".join(
        ["Scan of the passport:", *(half for line in MRZ_TD3 for half in (line[:22], line[22:]))]
    )
    assert scan_text(text).counts().get("mrz", 0) >= 1
    data = ("Scan\n" + "\n".join(h for line in MRZ_TD3 for h in (line[:20], line[20:]))).encode()
    assert refused(data, "txt", "mrz")


# --- clean documents must stay clean -----------------------------------------------------------


def test_a_statistics_pdf_with_far_apart_cells_stays_clean():
    """The page text pieced together must not turn a table into findings: country codes,
    years, counts and invalid identifiers placed cell by cell."""
    rows = [
        ("Country", "Year", "Arrivals", "Returns", "Case no."),
        ("BE", "2025", "1 245", "3 456", "123456789"),
        ("DE", "2025", "12 001", "4 410", "987654321"),
        ("NL", "2026", "0", "612", "345678"),
        ("FR", "2026", "06", "12 34", "56 78"),
    ]
    pieces = [
        (60 + 100 * col, 700 - 20 * number, value)
        for number, row in enumerate(rows)
        for col, value in enumerate(row)
    ]
    assert kinds(pdf_with_pieces(pieces), "pdf") == {}


def test_a_spreadsheet_of_id_like_numbers_with_wrong_check_digits_stays_clean():
    """Nine- and eleven-digit figures, IBAN-shaped codes with a wrong check and dates without
    names: statistics, not personal data."""

    def build(workbook):
        sheet = workbook.active
        sheet.append(["Reference", "Account code", "Date", "Count"])
        sheet.append(["111222334", "NL92ABNA0417164300", "2026-03-01", 44])
        sheet.append(["85073003327", "DE89370400440532013001", "2026-04-15", 7])
        sheet.append(["L898902C46UTO7408122F1204159ZE184226B<<<<<10", "", "2025-12-31", 3])

    assert kinds(xlsx(build), "xlsx") == {}


def test_a_text_with_dates_and_no_names_stays_clean():
    """Was a false positive: "0417/164300" in a file reference written with slashes is a valid
    French phone number; digits after "2026/" are now read as part of the reference."""
    text = (
        "The board met on 12-03-2026 and on 4 May 2026.\n"
        "Reporting period: 01.01.2026 - 31.03.2026. Arrivals: 12 450 (+3.2%).\n"
        "Regulation (EU) 2019/1240, Art. 9(3); case C-123/45; file 2026/0417/164300."
    )
    assert scan_text(text).counts() == {}


def test_invisible_characters_in_clean_text_do_not_create_findings():
    """Removing soft hyphens and zero-width characters joins only what was one word."""
    text = "Statis\u00adtics of the net\u200bwork: 12\u200b450 arrivals, 3\u00ad456 returns in 2026."
    assert scan_text(text).counts() == {}
