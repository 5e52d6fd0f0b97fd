"""Art. 9(3) against a security tester, in DOCX, XLSX and ODT files: each test is one way a
person could try to get personal data past the guard (an e-mail address, an IBAN, a
machine-readable zone) by hiding it in a part of the file a reader can reveal. Every one must
be refused. The files are built in ``adversarial_files.py``, deterministically.

Which of these were holes before 2026-12-04 is said in each test's docstring ("hole") or not
("held")."""

from __future__ import annotations

import io
import zipfile

import pytest

from ilonet.shared.personal_data_guard.tests.adversarial_files import (
    EMAIL,
    IBAN,
    MRZ_TD3,
    PROSE,
    W_NS,
    docx_with_body,
    docx_with_part,
    kinds,
    odt,
    patch_zip,
    refused,
    run,
    xlsx,
)

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
    """Held: a frame's title and description (``svg:title``, ``svg:desc``: the alt text of an
    image) are read with the text of the paragraph that anchors the frame."""
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


def test_docx_mrz_line_broken_over_two_paragraphs_is_refused():
    """Hole: each half of the zone's second line in a paragraph of its own."""
    line = MRZ_TD3[1]
    halves = [line[:24].replace("<", "&lt;"), line[24:].replace("<", "&lt;")]
    body = f"<w:p>{run(PROSE)}</w:p><w:p>{run(halves[0])}</w:p><w:p>{run(halves[1])}</w:p>"
    assert refused(docx_with_body(body), "docx", "mrz")
