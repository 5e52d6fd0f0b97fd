"""Writers of the corpus's six formats with python-docx, openpyxl, odfpy, WeasyPrint (and, for
a PDF comment, which WeasyPrint cannot make, pydyf), each able to put text where the guard must
look: body, table, header, footer, comment, footnote, hidden or very hidden sheet, two columns,
a link target behind anchor text, the document properties."""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field


@dataclass
class Spec:
    name: str
    fmt: str
    lang: str
    positive: bool
    kinds: tuple[str, ...]
    where: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: tuple[list[str], list[list[str]]] | None = None
    header: str | None = None
    footer: str | None = None
    comment: str | None = None
    footnote: str | None = None
    link: tuple[str, str] | None = None
    hidden: tuple[str, list[list[str]]] | None = None
    two_columns: bool = False
    author: str = "Secretariat"


def render(spec: Spec) -> bytes:
    return {
        "txt": txt,
        "csv": csv_file,
        "docx": docx_file,
        "xlsx": xlsx_file,
        "odt": odt_file,
        "pdf": pdf_file,
    }[spec.fmt](spec)


def txt(spec: Spec) -> bytes:
    lines = [spec.title, ""]
    for paragraph in spec.paragraphs:
        lines += [paragraph, ""]
    if spec.table:
        header, rows = spec.table
        lines += [" | ".join(header)] + [" | ".join(row) for row in rows] + [""]
    if spec.link:
        lines.append(f"{spec.link[0]}: {spec.link[1]}")
    encoding = "cp1252" if spec.lang == "fr" else "utf-8"
    return "\n".join(lines).encode(encoding, errors="replace")


def csv_file(spec: Spec) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="," if spec.lang == "en" else ";")
    header, rows = spec.table or (["Note"], [])
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    for paragraph in spec.paragraphs:
        writer.writerow([paragraph] + [""] * (len(header) - 1))
    encoding = {"fr": "cp1252", "de": "utf-8-sig"}.get(spec.lang, "utf-8")
    return out.getvalue().encode(encoding, errors="replace")


def _docx_hyperlink(paragraph, url: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    node = OxmlElement("w:t")
    node.text = text
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def docx_file(spec: Spec) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.author = spec.author
    document.core_properties.title = spec.title
    document.add_heading(spec.title, level=1)
    first = None
    for text in spec.paragraphs:
        paragraph = document.add_paragraph(text)
        first = first or paragraph
    if spec.table:
        header, rows = spec.table
        table = document.add_table(rows=1 + len(rows), cols=len(header))
        for column, value in enumerate(header):
            table.cell(0, column).text = value
        for r, row in enumerate(rows, 1):
            for column, value in enumerate(row):
                table.cell(r, column).text = value
    if spec.header:
        document.sections[0].header.paragraphs[0].text = spec.header
    if spec.footer:
        document.sections[0].footer.paragraphs[0].text = spec.footer
    if spec.comment and first is not None:
        document.add_comment(first.runs, text=spec.comment, author="Reviewer", initials="R")
    if spec.link:
        _docx_hyperlink(document.add_paragraph("See "), spec.link[1], spec.link[0])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _cell(value: str):
    """Figures as numbers and ISO dates as dates, as a spreadsheet holds them."""
    import re
    from datetime import date

    if value.isdigit() and len(value) < 9:
        return int(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    return value


def xlsx_file(spec: Spec) -> bytes:
    import openpyxl
    from openpyxl.comments import Comment

    workbook = openpyxl.Workbook()
    workbook.properties.creator = spec.author
    sheet = workbook.active
    sheet.title = "Data"
    header, rows = spec.table or (["Note"], [])
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    notes = workbook.create_sheet("Notes")
    notes.append([spec.title])
    for paragraph in spec.paragraphs:
        notes.append([paragraph])
    if spec.hidden:
        state, hidden_rows = spec.hidden
        archive = workbook.create_sheet("Archive")
        for row in hidden_rows:
            archive.append(row)
        archive.sheet_state = state
    if spec.comment:
        sheet["B2"].comment = Comment(spec.comment, "Reviewer")
    if spec.header:
        sheet.oddHeader.center.text = spec.header
    if spec.footer:
        sheet.oddFooter.center.text = spec.footer
    if spec.link:
        cell = notes.cell(row=notes.max_row + 1, column=1, value=spec.link[0])
        cell.hyperlink = spec.link[1]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odt_file(spec: Spec) -> bytes:
    from odf import dc
    from odf.office import Annotation
    from odf.opendocument import OpenDocumentText
    from odf.style import Footer, Header, MasterPage, PageLayout
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import A, H, Note, NoteBody, NoteCitation, P

    document = OpenDocumentText()
    document.meta.addElement(dc.Creator(text=spec.author))
    layout = PageLayout(name="Layout")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    if spec.header:
        header = Header()
        header.addElement(P(text=spec.header))
        master.addElement(header)
    if spec.footer:
        footer = Footer()
        footer.addElement(P(text=spec.footer))
        master.addElement(footer)
    document.masterstyles.addElement(master)
    document.text.addElement(H(outlinelevel=1, text=spec.title))
    for index, text in enumerate(spec.paragraphs):
        paragraph = P(text=text)
        if index == 0 and spec.comment:
            note = Annotation()
            note.addElement(P(text=spec.comment))
            paragraph.addElement(note)
        if index == 0 and spec.footnote:
            note = Note(noteclass="footnote", id="ftn1")
            note.addElement(NoteCitation(text="1"))
            body = NoteBody()
            body.addElement(P(text=spec.footnote))
            note.addElement(body)
            paragraph.addElement(note)
        document.text.addElement(paragraph)
    if spec.table:
        header_cells, rows = spec.table
        table = Table(name="Table1")
        table.addElement(TableColumn(numbercolumnsrepeated=len(header_cells)))
        for row in [header_cells, *rows]:
            tr = TableRow()
            for value in row:
                cell = TableCell()
                cell.addElement(P(text=value))
                tr.addElement(cell)
            table.addElement(tr)
        document.text.addElement(table)
    if spec.link:
        paragraph = P(text="")
        paragraph.addElement(A(href=spec.link[1], text=spec.link[0]))
        document.text.addElement(paragraph)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pdf_file(spec: Spec) -> bytes:
    if spec.comment:
        return pdf_with_comment([spec.title, *spec.paragraphs], spec.comment)
    from weasyprint import HTML

    page = []
    if spec.header:
        page.append(f"@top-center {{ content: {_css_string(spec.header)}; font-size: 9pt }}")
    if spec.footer:
        page.append(f"@bottom-center {{ content: {_css_string(spec.footer)}; font-size: 9pt }}")
    style = f"@page {{ size: A4; margin: 2cm; {' '.join(page)} }}"
    style += " body { font-family: sans-serif; font-size: 10pt }"
    style += " .cols { column-count: 2; column-gap: 1.5cm } td, th { padding: 2px 6px }"
    body = [f"<h1>{html.escape(spec.title)}</h1>"]
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in spec.paragraphs)
    body.append(f'<div class="cols">{paragraphs}</div>' if spec.two_columns else paragraphs)
    if spec.table:
        header, rows = spec.table
        cells = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        lines = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in rows)
        body.append(f"<table><tr>{cells}</tr>{lines}</table>")
    if spec.link:
        body.append(f'<p>See <a href="{html.escape(spec.link[1])}">{html.escape(spec.link[0])}</a>.</p>')
    document = (
        f'<html><head><meta name="author" content="{html.escape(spec.author)}"><style>{style}</style></head>'
        f"<body>{''.join(body)}</body></html>"
    )
    return HTML(string=document).write_pdf()


def _pdf_text(value: str) -> bytes:
    data = value.encode("cp1252", errors="replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_with_comment(lines: list[str], comment: str) -> bytes:
    """A one-page PDF (pydyf, Helvetica) with a sticky-note comment (a ``/Text`` annotation)."""
    import pydyf

    pdf = pydyf.PDF()
    font = pydyf.Dictionary(
        {"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica", "Encoding": "/WinAnsiEncoding"}
    )
    pdf.add_object(font)
    stream = pydyf.Stream()
    stream.begin_text()
    stream.set_font_size("F1", 10)
    stream.set_text_matrix(1, 0, 0, 1, 56, 780)
    for line in lines:
        for piece in [line[i : i + 90] for i in range(0, len(line), 90)] or [""]:
            stream.stream.append(_pdf_text(piece) + b" Tj")
            stream.stream.append(b"0 -14 Td")
    stream.end_text()
    pdf.add_object(stream)
    note = pydyf.Dictionary(
        {
            "Type": "/Annot",
            "Subtype": "/Text",
            "Rect": pydyf.Array([500, 760, 520, 780]),
            "Contents": pydyf.String(comment),
            "T": pydyf.String("Reviewer"),
        }
    )
    pdf.add_object(note)
    page = pydyf.Dictionary(
        {
            "Type": "/Page",
            "Parent": pdf.pages.reference,
            "MediaBox": pydyf.Array([0, 0, 595, 842]),
            "Contents": stream.reference,
            "Annots": pydyf.Array([note.reference]),
            "Resources": pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})}),
        }
    )
    pdf.add_page(page)
    out = io.BytesIO()
    pdf.write(out)
    return out.getvalue()
