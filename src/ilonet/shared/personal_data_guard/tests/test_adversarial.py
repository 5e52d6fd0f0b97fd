"""Art. 9(3) against a security tester: each test is one way a person could try to get personal
data past the guard (an e-mail address, an IBAN, a machine-readable zone) by hiding it in a
part of the file a reader can reveal, or by writing it so that a pattern would not see it. Every
one must be refused. The files are built here, deterministically, with the libraries the
project already uses (python-docx, openpyxl, odfpy, hand-written PDF objects); the last tests
are plausible clean documents that must stay clean.

Which of these were holes before 2026-12-04 is said in each test's docstring ("hole") or not
("held")."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from ilonet.shared.personal_data_guard import scan, scan_text
from ilonet.shared.personal_data_guard.tests.pdfs import assemble

EMAIL = "jan.jansen@example.org"
IBAN = "NL91ABNA0417164300"
MRZ_TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
PROSE = "Arrivals on the central Mediterranean route rose by 12% in the third quarter."


def kinds(data: bytes, content_type: str) -> dict[str, int]:
    return scan(io.BytesIO(data), content_type).counts()


def refused(data: bytes, content_type: str, kind: str = "email") -> bool:
    return kinds(data, content_type).get(kind, 0) >= 1


# --- file builders -----------------------------------------------------------------------


def patch_zip(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """The zip ``data`` with members replaced or added, everything else copied as it was."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = (replace or {}).get(item.filename, source.read(item.filename))
            target.writestr(item.filename, body)
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out.getvalue()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_with_body(body_xml: str) -> bytes:
    """A python-docx document whose body is ``body_xml`` (``w:p`` elements)."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    data = buffer.getvalue()
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    document = re.sub(
        r"<w:body>.*?(<w:sectPr)", lambda m: "<w:body>" + body_xml + m.group(1), document, flags=re.S
    )
    return patch_zip(data, replace={"word/document.xml": document.encode()})


def docx_with_part(part: str, rel_type: str, content_type: str, xml: str, body: str = "") -> bytes:
    """A document with one more part (footnotes, endnotes, a header) related from the body."""
    data = docx_with_body(body or f"<w:p><w:r><w:t>{PROSE}</w:t></w:r></w:p>")
    archive = zipfile.ZipFile(io.BytesIO(data))
    rels = archive.read("word/_rels/document.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/{rel_type}" Target="{part.removeprefix("word/")}"/></Relationships>',
    )
    types = archive.read("[Content_Types].xml").decode()
    types = types.replace("</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>')
    return patch_zip(
        data,
        replace={"word/_rels/document.xml.rels": rels.encode(), "[Content_Types].xml": types.encode()},
        add={part: xml.encode()},
    )


def run(text: str, props: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def xlsx(build) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Arrivals"
    workbook.active.append(["Route", "Quarter", "Arrivals"])
    workbook.active.append(["Central Mediterranean", "2026-Q3", 12450])
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odt(build) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=PROSE))
    build(document)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def pdf_with_pieces(pieces: list[tuple[float, float, str]], *, font_size: int = 11) -> bytes:
    """A page with Helvetica text: each piece at (x, y), in the order given."""
    content = b" ".join(
        b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET" % (font_size, x, y, text.encode("latin-1"))
        for x, y, text in pieces
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    return assemble(objects, b"<< /Size 6 /Root 1 0 R >>")


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
    """Hole: "BSN" at the left margin, the number far to the right on the same line."""
    pieces = [(60, 700, PROSE), (60, 650, "BSN"), (420, 650, "111222333")]
    assert refused(pdf_with_pieces(pieces), "pdf", "national_id")


def test_pdf_email_in_one_piece_is_reported_once():
    """Held, and must stay so: the pieced-together page text does not report an address the
    ordinary reading already found a second time (one override must be enough)."""
    pieces = [(60, 700, PROSE), (60, 650, "Write to"), (300, 650, EMAIL), (60, 600, "for the figures.")]
    report = scan(io.BytesIO(pdf_with_pieces(pieces)), "pdf")
    assert report.counts() == {"email": 1}


# --- DOCX ---------------------------------------------------------------------------------


def test_docx_email_split_across_runs_is_refused():
    """Held: runs of one paragraph are joined."""
    body = "<w:p>" + run("Write to jan.") + run("jansen@", "<w:b/>") + run("example") + run(".org") + "</w:p>"
    assert refused(docx_with_body(body), "docx")


def test_docx_email_in_a_text_box_is_refused():
    """Held."""
    body = (
        f"<w:p>{run(PROSE)}</w:p><w:p><w:r><mc:AlternateContent "
        f'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        f'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p>{run(EMAIL)}</w:p>'
        f"</w:txbxContent></wps:txbx></w:drawing></mc:Choice></mc:AlternateContent></w:r></w:p>"
    )
    assert refused(docx_with_body(body), "docx")


@pytest.mark.parametrize("note", ["footnote", "endnote"])
def test_docx_email_in_a_footnote_or_endnote_is_refused(note):
    """Held."""
    xml = f'<w:{note}s {W_NS}><w:{note} w:id="1"><w:p>{run("Source: " + EMAIL)}</w:p></w:{note}></w:{note}s>'
    data = docx_with_part(
        f"word/{note}s.xml",
        f"{note}s",
        f"application/vnd.openxmlformats-officedocument.wordprocessingml.{note}s+xml",
        xml,
    )
    assert refused(data, "docx")


def test_docx_email_in_the_header_of_a_later_section_is_refused():
    """Held: every header part, not only the first section's."""
    import docx

    document = docx.Document()
    document.add_paragraph(PROSE)
    section = document.add_section()
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = f"Contact {EMAIL}"
    buffer = io.BytesIO()
    document.save(buffer)
    assert refused(buffer.getvalue(), "docx")


def test_docx_email_in_a_comment_is_refused():
    """Held."""
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph(PROSE)
    document.add_comment(paragraph.runs, text=f"Ask {EMAIL}", author="Reviewer")
    buffer = io.BytesIO()
    document.save(buffer)
    assert refused(buffer.getvalue(), "docx")


def test_docx_email_in_a_tracked_insertion_and_deletion_is_refused():
    """Held: inserted and deleted text both stay in the file."""
    ins = f'<w:p><w:ins w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">{run(EMAIL)}</w:ins></w:p>'
    deleted = (
        '<w:p><w:del w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>'
        f"{IBAN}</w:delText></w:r></w:del></w:p>"
    )
    assert kinds(docx_with_body(ins + deleted), "docx") == {"email": 1, "iban": 1}


def test_docx_hidden_text_is_refused():
    """Held: ``w:vanish`` hides a run from the page, not from the file."""
    body = f"<w:p>{run(PROSE)}{run(EMAIL, '<w:vanish/>')}</w:p>"
    assert refused(docx_with_body(body), "docx")


def test_docx_email_in_the_alt_text_of_an_image_is_refused():
    """Hole: the description (alt text) and title of a drawing (``wp:docPr``) were not read."""
    body = (
        f"<w:p>{run(PROSE)}<w:r><w:drawing><wp:inline "
        f'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        f'<wp:extent cx="100" cy="100"/><wp:docPr id="1" name="Picture 1" descr="Photo sent by {EMAIL}"'
        f' title="Passport scan"/></wp:inline></w:drawing></w:r></w:p>'
    )
    assert refused(docx_with_body(body), "docx")


def test_docx_mailto_and_profile_link_targets_are_refused():
    """Held: relationship targets behind harmless anchor text."""
    body = (
        f'<w:p><w:hyperlink r:id="rId90" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships">{run("write to us")}</w:hyperlink></w:p>'
    )
    data = docx_with_body(body)
    rels = zipfile.ZipFile(io.BytesIO(data)).read("word/_rels/document.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'hyperlink" Target="mailto:{EMAIL}" TargetMode="External"/>'
        '<Relationship Id="rId91" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'hyperlink" Target="https://www.linkedin.com/in/jan-jansen-1234/" TargetMode="External"/>'
        "</Relationships>",
    )
    data = patch_zip(data, replace={"word/_rels/document.xml.rels": rels.encode()})
    assert kinds(data, "docx") == {"personal_link": 2}


def test_docx_email_as_author_in_the_core_properties_is_refused():
    """Held: core.xml (author, last modified by, title, keywords) is read."""
    import docx

    document = docx.Document()
    document.add_paragraph(PROSE)
    document.core_properties.author = EMAIL
    document.core_properties.last_modified_by = "Jan Jansen"
    buffer = io.BytesIO()
    document.save(buffer)
    assert kinds(buffer.getvalue(), "docx") == {"email": 1}


def test_docx_email_in_the_extended_and_custom_properties_is_refused():
    """Hole: docProps/app.xml (company, manager) and docProps/custom.xml (any named property)
    were not read."""
    data = docx_with_body(f"<w:p>{run(PROSE)}</w:p>")
    app = zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml").decode()
    app = app.replace("</Properties>", f"<Manager>{EMAIL}</Manager></Properties>")
    custom = (
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Account">'
        f"<vt:lpwstr>{IBAN}</vt:lpwstr></property></Properties>"
    )
    data = patch_zip(
        data, replace={"docProps/app.xml": app.encode()}, add={"docProps/custom.xml": custom.encode()}
    )
    assert kinds(data, "docx") == {"email": 1, "iban": 1}


def test_docx_email_in_a_custom_xml_data_part_is_refused():
    """Hole: customXml/item*.xml (data bound to content controls) was not read."""
    data = docx_with_body(f"<w:p>{run(PROSE)}</w:p>")
    item = f'<?xml version="1.0"?><contact xmlns="urn:x-test"><mail>{EMAIL}</mail></contact>'
    assert refused(patch_zip(data, replace={"customXml/item1.xml": item.encode()}), "docx")


# --- XLSX ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_xlsx_email_on_a_hidden_sheet_is_refused(state):
    """Held."""

    def build(workbook):
        sheet = workbook.create_sheet("Contacts")
        sheet.append(["Officer", EMAIL])
        sheet.sheet_state = state

    assert refused(xlsx(build), "xlsx")


def test_xlsx_email_in_a_cell_comment_is_refused():
    """Held."""
    from openpyxl.comments import Comment

    def build(workbook):
        workbook.active["C2"].comment = Comment(f"Figures from {EMAIL}", "Reviewer")

    assert refused(xlsx(build), "xlsx")


def test_xlsx_email_in_a_defined_name_is_refused():
    """Hole: a defined name's value (``<definedName>``) was not read."""
    from openpyxl.workbook.defined_name import DefinedName

    def build(workbook):
        workbook.defined_names["contact"] = DefinedName("contact", attr_text=f'"{EMAIL}"')

    assert refused(xlsx(build), "xlsx")


def test_xlsx_shared_string_used_by_no_cell_is_refused():
    """Hole: a string left in the shared-string table (a cell cleared by hand-editing the file,
    or written there on purpose) is in the file though no cell shows it."""
    data = xlsx(lambda workbook: None)  # openpyxl writes its strings inline: no table of its own
    archive = zipfile.ZipFile(io.BytesIO(data))
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        f"<si><t>{EMAIL}</t></si></sst>"
    )
    rels = (
        archive.read("xl/_rels/workbook.xml.rels")
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="strings.xml"/></Relationships>',
        )
    )
    types = (
        archive.read("[Content_Types].xml")
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/strings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    )
    data = patch_zip(
        data,
        replace={"xl/_rels/workbook.xml.rels": rels.encode(), "[Content_Types].xml": types.encode()},
        add={"xl/strings.xml": strings.encode()},
    )
    assert refused(data, "xlsx")


def test_xlsx_email_in_the_alt_text_of_a_picture_is_refused():
    """Hole: the description of a drawing object (``xdr:cNvPr descr``) was not read."""

    def build(workbook):
        workbook.active.append(["Note", "see picture"])

    data = xlsx(build)
    drawing = (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:oneCellAnchor>'
        "<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff>"
        '</xdr:from><xdr:ext cx="100" cy="100"/><xdr:pic><xdr:nvPicPr>'
        f'<xdr:cNvPr id="2" name="Picture 1" descr="Sent by {EMAIL}"/><xdr:cNvPicPr/></xdr:nvPicPr>'
        "<xdr:blipFill/><xdr:spPr/></xdr:pic><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace(
        "</worksheet>",
        '<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>'
        "</worksheet>",
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'drawing" Target="../drawings/drawing1.xml"/></Relationships>'
    )
    types = (
        archive.read("[Content_Types].xml")
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/drawings/drawing1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
        )
    )
    data = patch_zip(
        data,
        replace={"xl/worksheets/sheet1.xml": sheet.encode(), "[Content_Types].xml": types.encode()},
        add={
            "xl/worksheets/_rels/sheet1.xml.rels": rels.encode(),
            "xl/drawings/drawing1.xml": drawing.encode(),
        },
    )
    assert refused(data, "xlsx")


# --- ODT ----------------------------------------------------------------------------------


def test_odt_email_in_an_annotation_is_refused():
    """Held."""
    from odf.office import Annotation
    from odf.text import P

    def build(document):
        paragraph = P(text="See the note.")
        note = Annotation()
        note.addElement(P(text=f"Ask {EMAIL}"))
        paragraph.addElement(note)
        document.text.addElement(paragraph)

    assert refused(odt(build), "odt")


def test_odt_email_in_the_description_of_a_frame_is_refused():
    """Hole: a frame's title and description (``svg:title``, ``svg:desc``: the alt text of an
    image) were walked past, since they hold no paragraph."""
    from odf.draw import Frame, Image
    from odf.svg import Desc, Title
    from odf.text import P

    def build(document):
        frame = Frame(width="2cm", height="2cm", anchortype="paragraph")
        frame.addElement(Image(href="Pictures/none.png"))
        frame.addElement(Title(text="Passport scan"))
        frame.addElement(Desc(text=f"Sent by {EMAIL}"))
        paragraph = P(text="Figure 1")
        paragraph.addElement(frame)
        document.text.addElement(paragraph)

    assert refused(odt(build), "odt")


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


def test_docx_mrz_line_broken_over_two_paragraphs_is_refused():
    """Hole: each half of the zone's second line in a paragraph of its own."""
    line = MRZ_TD3[1]
    halves = [line[:24].replace("<", "&lt;"), line[24:].replace("<", "&lt;")]
    body = f"<w:p>{run(PROSE)}</w:p><w:p>{run(halves[0])}</w:p><w:p>{run(halves[1])}</w:p>"
    assert refused(docx_with_body(body), "docx", "mrz")


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
