"""Files for tests and benchmarks: valid documents of each accepted type, and the bad ones.

Nothing here is used by the running site. The EICAR test string is assembled from two halves so
that no file of the project holds it whole.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

_EICAR_HALVES = (rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$", b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")


def eicar() -> bytes:
    """The 68-byte EICAR anti-virus test string (harmless; every scanner reports it)."""
    return b"".join(_EICAR_HALVES)


def pdf_bytes(
    *,
    pages: int = 1,
    catalog_extra: bytes = b"",
    trailer_extra: bytes = b"",
    content: bytes = b"BT /F1 12 Tf 72 720 Td (ILOnet) Tj ET",
    extra_objects: tuple[bytes, ...] = (),
) -> bytes:
    """A small valid PDF (cross-reference table, trailer, ``%%EOF``) with ``pages`` pages."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    objects += list(extra_objects)
    return _assemble_pdf(objects, trailer_extra)


def _assemble_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def write_large_pdf(path: Path, size: int, *, seed: int = 1) -> int:
    """Write a valid PDF of about ``size`` bytes to ``path`` without holding it in memory: one
    page whose image stream is ``size`` bytes of seeded random data. Returns the size written."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    header = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    fixed = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> >>",
    ]
    length = max(0, size - 1024)
    with open(path, "wb") as out:
        out.write(header)
        offsets = []
        for number, body in enumerate(fixed, 1):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        offsets.append(out.tell())
        out.write(
            b"4 0 obj\n<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n" % length
        )
        left = length
        while left:
            block = min(left, 1024 * 1024)
            out.write(rng.randbytes(block))
            left -= block
        out.write(b"\nendstream\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 5\n0000000000 65535 f \n")
        out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
        out.write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return os.path.getsize(path)


def zip_bytes(entries: dict[str, bytes], *, stored: tuple[str, ...] = (), comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
        archive.comment = comment
    return buffer.getvalue()


_WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_EXCEL_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _content_types(main_part: bytes, main_type: bytes, extra: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Override PartName="'
        + main_part
        + b'" ContentType="'
        + main_type
        + b'"/>'
        + extra
        + b"</Types>"
    )


def docx_bytes(*, main_type: bytes = _WORD_MAIN, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal DOCX (``main_type`` changes its main part's content type, e.g. to a DOCM's)."""
    entries = {
        "[Content_Types].xml": _content_types(b"/word/document.xml", main_type),
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document><w:body><w:p><w:r><w:t>ILOnet</w:t></w:r></w:p></w:body>"
        b"</w:document>",
    }
    entries.update(extra or {})
    return zip_bytes(entries)


def xlsx_bytes(*, extra: dict[str, bytes] | None = None) -> bytes:
    entries = {
        "[Content_Types].xml": _content_types(b"/xl/workbook.xml", _EXCEL_MAIN),
        "_rels/.rels": b"<Relationships/>",
        "xl/workbook.xml": b"<workbook><sheets><sheet name='1' sheetId='1'/></sheets></workbook>",
        "xl/worksheets/sheet1.xml": b"<worksheet><sheetData/></worksheet>",
    }
    entries.update(extra or {})
    return zip_bytes(entries)


def odf_bytes(mimetype: bytes, *, extra: dict[str, bytes] | None = None, content: bytes = b"<x/>") -> bytes:
    entries = {
        "mimetype": mimetype,
        "content.xml": content,
        "META-INF/manifest.xml": b"<manifest:manifest/>",
    }
    entries.update(extra or {})
    return zip_bytes(entries, stored=("mimetype",))


def odt_bytes(**kwargs) -> bytes:
    return odf_bytes(b"application/vnd.oasis.opendocument.text", **kwargs)


def ods_bytes(**kwargs) -> bytes:
    return odf_bytes(b"application/vnd.oasis.opendocument.spreadsheet", **kwargs)


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 51, 153)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(width: int = 16, height: int = 16) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (255, 204, 0)).save(buffer, format="JPEG")
    return buffer.getvalue()


def encrypted_ooxml_bytes() -> bytes:
    """An OLE compound file laid out as Office stores an encrypted DOCX: a directory sector with
    the streams ``EncryptionInfo`` and ``EncryptedPackage`` (their content does not matter here)."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x18:0x1A] = (0x3E).to_bytes(2, "little")
    header[0x1A:0x1C] = (3).to_bytes(2, "little")
    header[0x1C:0x1E] = b"\xfe\xff"
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    header[0x20:0x22] = (6).to_bytes(2, "little")
    header[0x30:0x34] = (0).to_bytes(4, "little")  # directory starts in sector 0

    def entry(name: str, kind: int) -> bytes:
        raw = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        raw[0 : len(encoded)] = encoded
        raw[64:66] = len(encoded).to_bytes(2, "little")
        raw[66] = kind
        return bytes(raw)

    directory = entry("Root Entry", 5) + entry("EncryptionInfo", 2) + entry("EncryptedPackage", 2)
    directory += bytes(512 - len(directory))
    return bytes(header) + directory + bytes(512)
