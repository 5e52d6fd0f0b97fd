"""Files for the adversarial tests of the guard (Art. 9(3)): built here, deterministically, with the
libraries the project already uses (python-docx, openpyxl, odfpy, hand-written PDF objects)."""

from __future__ import annotations

import io
import re
import zipfile

from ilonet.shared.personal_data_guard import scan
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
