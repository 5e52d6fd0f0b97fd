"""Art. 9(3): the guard reads every part of a document a reader could see or reveal (body,
tables, headers, footers, comments, footnotes, hidden sheets, link targets, properties, both
columns of a page), and refuses what it cannot read through, with a clear error."""

import io
import zipfile

import pytest

from ilonet.shared.personal_data_guard import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    LimitExceeded,
    NoReadableText,
    UnsupportedType,
    scan,
)
from ilonet.shared.personal_data_guard.extract import Limits, extract
from ilonet.shared.personal_data_guard.tests.corpus.render import Spec, pdf_with_comment, render
from ilonet.shared.personal_data_guard.tests.pdfs import encrypted_pdf, image_only_pdf, text_pdf

SECRET = "willeke.debruijn@example.org"
PROSE = ["The network met in Rabat.", "Arrivals rose by 12% in the third quarter."]


def spec(fmt, **kwargs):
    kwargs.setdefault("paragraphs", list(PROSE))
    return Spec(
        name=f"x.{fmt}", fmt=fmt, lang="en", positive=True, kinds=(), where="", title="Report", **kwargs
    )


def chunks(data, content_type):
    return list(extract(io.BytesIO(data), content_type))


def where(data, content_type, needle=SECRET):
    return [c.location for c in chunks(data, content_type) if needle in c.text]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "odt"])
@pytest.mark.parametrize("place", ["header", "footer"])
def test_headers_and_footers_are_read(fmt, place):
    found = where(render(spec(fmt, **{place: f"Contact {SECRET}"})), fmt)
    assert found
    if fmt != "pdf":  # a PDF has no header part: its header is the top line of the page
        assert found[0].part == place
    else:
        assert found[0].page == 1


def test_a_spreadsheet_print_header_is_read():
    found = where(render(spec("xlsx", header=f"Contact {SECRET}")), "xlsx")
    assert [(loc.part, loc.sheet) for loc in found] == [("header", "Data")]


@pytest.mark.parametrize(
    "fmt, part", [("docx", "comment"), ("odt", "comment"), ("xlsx", "comment"), ("pdf", "comment")]
)
def test_comments_are_read(fmt, part):
    found = where(render(spec(fmt, comment=f"Ask {SECRET}")), fmt)
    assert found and found[0].part == part


def test_a_spreadsheet_comment_is_placed_on_its_cell():
    (location,) = where(render(spec("xlsx", comment=f"Ask {SECRET}")), "xlsx")
    assert location.label() == "sheet “Data”, comment 1, cell B2"


def test_an_odt_footnote_is_read():
    (location,) = where(render(spec("odt", footnote=f"Source: {SECRET}")), "odt")
    assert location.part == "footnote"


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_and_very_hidden_sheets_are_read(state):
    data = render(spec("xlsx", hidden=(state, [["Name", "E-mail"], ["Willeke", SECRET]])))
    (location,) = where(data, "xlsx")
    assert (location.sheet, location.row) == ("Archive", 2)
    assert scan(io.BytesIO(data), "xlsx").counts() == {"email": 1}


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "odt", "pdf"])
def test_a_link_target_behind_harmless_anchor_text_is_read(fmt):
    url = "https://www.linkedin.com/in/willeke-de-bruijn-42"
    data = render(spec(fmt, link=("our partner", url)))
    assert any(url in c.text and c.location.part == "link" for c in chunks(data, fmt))
    assert scan(io.BytesIO(data), fmt).counts() == {"personal_link": 1}


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_the_author_in_the_document_properties_is_read(fmt):
    data = render(spec(fmt, author=SECRET))
    assert [loc.part for loc in where(data, fmt)] == ["properties"]


REGISTER = (
    ["Name", "BSN"],
    [["Willeke", "111222333"], ["Pieter", "123456782"], ["Sanne", "100000009"], ["Daan", "999999990"]],
)


@pytest.mark.parametrize("fmt", ["docx", "odt", "xlsx", "csv"])
def test_a_table_column_header_labels_each_value(fmt):
    """A register with a "BSN" column: each row's bare number is read next to its label."""
    report = scan(io.BytesIO(render(spec(fmt, table=REGISTER))), fmt)
    assert report.counts() == {"national_id": 4}


def test_a_pdf_table_loses_its_columns_but_its_first_rows_stand_near_the_header():
    """A PDF keeps no table structure: the header's label reaches the first rows (enough to
    refuse the document), not necessarily all of them."""
    report = scan(io.BytesIO(render(spec("pdf", table=REGISTER))), "pdf")
    assert report.counts().get("national_id", 0) >= 1


def test_both_columns_of_a_two_column_pdf_are_read_column_by_column():
    left = (
        "The liaison officers met the border police in Dakar and agreed on a joint training plan "
        "for the spring."
    )
    paragraphs = (
        [left]
        + ["Filler sentence about routes and arrivals in the region. " * 3] * 6
        + [f"Write to {SECRET}"]
    )
    data = render(
        Spec(
            name="c.pdf",
            fmt="pdf",
            lang="en",
            positive=True,
            kinds=(),
            where="",
            title="Two columns",
            paragraphs=paragraphs,
            two_columns=True,
        )
    )
    text = [c.text for c in chunks(data, "pdf")]
    # The first paragraph comes out whole (its lines in order, not interleaved with the other column).
    joined = " ".join(" ".join(t.split("\n")) for t in text)
    assert left in joined
    assert scan(io.BytesIO(data), "pdf").counts() == {"email": 1}


def test_pdf_lines_are_numbered_on_their_page():
    data = render(spec("pdf", paragraphs=["First line.", "Second line.", f"Write to {SECRET}."]))
    (location,) = where(data, "pdf")
    assert (location.page, location.line) == (1, 4)  # title, two paragraphs, then this line


def test_pdf_text_in_a_font_without_widths_is_read_as_its_lines():
    """A font without a resource (viewers draw the text with a fallback font) puts every
    character of a line at one place; pdfminer leaves each one alone. Read one by one, the
    address and the phone number below were never seen (found 2026-12-04): they are read as the
    lines they are, spaces included, each on its own line."""
    from ilonet.shared.uploads.testing import pdf_bytes

    data = pdf_bytes(
        content=b"BT /F1 12 Tf 72 700 Td (Quarterly report of the network.) Tj ET "
        b"BT /F1 12 Tf 72 684 Td (Write to " + SECRET.encode() + b" or call +31 70 123 4567.) Tj ET"
    )
    text = [c.text for c in chunks(data, "pdf")]
    assert text == ["Quarterly report of the network.\nWrite to " + SECRET + " or call +31 70 123 4567."]
    assert scan(io.BytesIO(data), "pdf").counts() == {"email": 1, "phone": 1}


def test_a_pdf_with_a_font_keeps_its_lines_as_the_layout_groups_them():
    """The ordinary case is left to pdfminer's layout analysis: one line per text line."""
    data = text_pdf(f"Write to {SECRET} today")
    assert [c.text for c in chunks(data, "pdf")] == [f"Write to {SECRET} today"]


def test_a_pdf_comment_made_with_pydyf_is_read():
    data = pdf_with_comment(["Quarterly figures"], f"Call {SECRET}")
    (location,) = where(data, "pdf")
    assert location.label() == "page 1, comment 1"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_encodings_are_detected(encoding):
    data = "Nom;Courriel\nHélène Lefèvre;helene.lefevre@example.fr\n".encode(encoding)
    found = chunks(data, "text/csv")
    assert found[1].text == "Nom: Hélène Lefèvre | Courriel: helene.lefevre@example.fr"
    assert found[1].location.row == 2


def test_a_txt_file_is_read_in_paragraphs_with_line_numbers():
    data = f"Title\n\nFirst paragraph\nsecond line {SECRET}\n".encode()
    (location,) = where(data, "text/plain")
    report = scan(io.BytesIO(data), "text/plain")
    assert location.line == 3 and report.findings[0].location.line == 4


# --- bad input ----------------------------------------------------------------------------


def test_a_password_protected_pdf_is_refused_as_encrypted():
    with pytest.raises(EncryptedDocument) as error:
        scan(io.BytesIO(encrypted_pdf(f"Mail {SECRET}")), "application/pdf")
    assert "password" in error.value.message


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n" + bytes(range(256)) * 8,
        text_pdf("hello")[:150],
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj trailer << /Root 1 0 R >> %%EOF",
        b"this is not a pdf at all",
    ],
)
def test_a_damaged_pdf_is_refused_as_corrupt(data):
    with pytest.raises(CorruptDocument) as error:
        scan(io.BytesIO(data), "application/pdf")
    assert error.value.message


def test_a_scanned_pdf_without_text_is_refused():
    with pytest.raises(NoReadableText):
        scan(io.BytesIO(image_only_pdf()), "application/pdf")


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "odt"])
def test_a_damaged_office_file_is_refused_as_corrupt(fmt):
    data = render(spec(fmt))
    with pytest.raises(CorruptDocument):
        scan(io.BytesIO(data[: len(data) // 2]), fmt)


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_a_password_protected_office_file_is_refused_as_encrypted(fmt):
    # Office saves a protected file as an OLE compound file holding an "EncryptedPackage".
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 512
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 512
    )
    with pytest.raises(EncryptedDocument):
        scan(io.BytesIO(data), fmt)


def test_a_password_protected_odt_is_refused_as_encrypted():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"\x8a\x01 encrypted bytes")
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
            "</manifest:file-entry></manifest:manifest>",
        )
    with pytest.raises(EncryptedDocument):
        scan(io.BytesIO(out.getvalue()), "odt")


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "odt", "csv", "txt"])
def test_an_empty_file_is_refused_as_empty(fmt):
    with pytest.raises(EmptyDocument) as error:
        scan(io.BytesIO(b""), fmt)
    assert error.value.message == "The file is empty."


def test_an_unsupported_type_is_refused():
    with pytest.raises(UnsupportedType):
        scan(io.BytesIO(b"GIF89a..."), "image/gif")


def test_a_zip_that_unpacks_past_the_limit_is_refused():
    data = render(spec("docx"))
    with pytest.raises(LimitExceeded):
        scan(io.BytesIO(data), "docx", limits=Limits(max_unpacked_bytes=10_000))


@pytest.mark.parametrize(
    "limits, data, fmt",
    [
        (Limits(max_chars=100), ("word " * 100).encode(), "text/plain"),
        (Limits(max_rows=3), b"a;b\n1;2\n3;4\n5;6\n7;8\n", "text/csv"),
        (Limits(max_bytes=10), b"x" * 11, "text/plain"),
    ],
)
def test_documents_past_a_limit_are_refused_not_read_in_part(limits, data, fmt):
    with pytest.raises(LimitExceeded) as error:
        scan(io.BytesIO(data), fmt, limits=limits)
    assert "too large" in error.value.message


def test_a_pdf_past_the_page_limit_is_refused():
    data = render(spec("pdf", paragraphs=["x"] * 150))
    with pytest.raises(LimitExceeded):
        scan(io.BytesIO(data), "pdf", limits=Limits(max_pages=1))


def test_a_spreadsheet_past_the_row_limit_is_refused():
    data = render(spec("xlsx", table=(["A"], [["1"]] * 20)))
    with pytest.raises(LimitExceeded):
        scan(io.BytesIO(data), "xlsx", limits=Limits(max_rows=5))


def _embed(outer: bytes, name: str, inner: bytes) -> bytes:
    """``outer`` (a DOCX or XLSX) with ``inner`` added as an embedded object's package."""
    source, out = zipfile.ZipFile(io.BytesIO(outer)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, inner)
    return out.getvalue()


def test_a_workbook_embedded_in_a_word_document_is_read():
    workbook = render(spec("xlsx", table=(["Name", "E-mail"], [["Willeke", SECRET]])))
    data = _embed(render(spec("docx")), "word/embeddings/Microsoft_Excel_Worksheet.xlsx", workbook)
    report = scan(io.BytesIO(data), "docx")
    assert [(f.kind, f.location.label()) for f in report.findings] == [
        ("email", "sheet “Data”, embedded document 1, row 2")
    ]


def test_embedding_past_the_depth_limit_is_refused():
    inner = render(spec("docx"))
    for _ in range(3):
        inner = _embed(render(spec("docx")), "word/embeddings/Document.docx", inner)
    with pytest.raises(LimitExceeded):
        scan(io.BytesIO(inner), "docx")


def test_a_hyperlink_formula_in_a_cell_is_read():
    url = "https://www.linkedin.com/in/willeke-de-bruijn-42"
    data = render(spec("xlsx", table=(["Link"], [[f'=HYPERLINK("{url}","profile")']])))
    assert scan(io.BytesIO(data), "xlsx").counts() == {"personal_link": 1}
