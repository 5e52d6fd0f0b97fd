"""PDF: complete, parseable, not encrypted, no active content, nothing after its end.

The file is read in a stream (a 50 MB PDF never sits in memory): its names are scanned for
``/Encrypt`` and active content (JavaScript, launch actions, embedded files, rich media, XFA
forms), with ``#xx`` escapes decoded; pdfminer.six then reads the cross-reference table, the
trailer and the catalog, and finds a first page. Names inside compressed object streams are out
of reach of the scan; the catalog's actions and name trees, where JavaScript and embedded files
are registered, are read through pdfminer.
"""

from __future__ import annotations

import logging
import re
from typing import IO, BinaryIO, cast

from . import refusals
from .types import PDF

ENCRYPT = b"Encrypt"
ACTIVE_NAMES = {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA"}
NAME = re.compile(rb"/((?:[A-Za-z0-9_.+-]|#[0-9A-Fa-f]{2})+)")
ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
CHUNK = 1024 * 1024
OVERLAP = 256
WHITESPACE = b" \t\r\n\f\x00"

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _decode(name: bytes) -> bytes:
    return ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name) if b"#" in name else name


STREAM_START = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
END_STREAM = b"endstream"


def scan_names(fp: IO[bytes]) -> set[bytes]:
    """The PDF names of interest (``/Encrypt`` and the active ones) found in the raw bytes,
    outside stream data (compressed or image bytes hold any 3-byte sequence by chance)."""
    wanted = ACTIVE_NAMES | {ENCRYPT}
    found: set[bytes] = set()
    fp.seek(0)
    buffer, in_stream, final = b"", False, False
    while not final:
        chunk = fp.read(CHUNK)
        final = not chunk
        buffer += chunk
        position = 0
        while True:
            if in_stream:
                end = buffer.find(END_STREAM, position)
                if end == -1:
                    position = max(position, len(buffer) - len(END_STREAM))
                    break
                in_stream, position = False, end + len(END_STREAM)
                continue
            start = STREAM_START.search(buffer, position)
            stop = start.start() if start else (len(buffer) if final else len(buffer) - OVERLAP)
            for match in NAME.finditer(buffer, position, len(buffer)):
                if match.start() >= stop:
                    break
                if match.end() < len(buffer) or final:  # a name touching the end may go on
                    name = _decode(match.group(1))
                    if name in wanted:
                        found.add(name)
            if start is None:
                position = max(position, stop)
                break
            in_stream, position = True, start.end()
        buffer = buffer[position:]
    return found


def check_pdf(fp: IO[bytes], size: int, tail: bytes) -> None:
    """Refuses a PDF that is truncated, has something after its end, is encrypted, holds active
    content, or cannot be read."""
    end = tail.rstrip(WHITESPACE)
    if not end.endswith(b"%%EOF"):
        if b"%%EOF" in tail:
            raise refusals.polyglot()  # something after the document's end
        raise refusals.malformed(PDF.label)
    names = scan_names(fp)
    if ENCRYPT in names:
        raise refusals.encrypted()
    if names & ACTIVE_NAMES:
        raise refusals.active_content()
    _parse(fp)


def _parse(fp: IO[bytes]) -> None:
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    fp.seek(0)
    try:
        document = PDFDocument(PDFParser(cast(BinaryIO, fp)))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise refusals.encrypted() from None
    except Exception:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file
        raise refusals.malformed(PDF.label) from None
    if document.encryption:
        raise refusals.encrypted()
    try:
        catalog = document.catalog
        if (
            resolve1(catalog.get("Type")) is None
            or getattr(resolve1(catalog["Type"]), "name", "") != "Catalog"
        ):
            raise refusals.malformed(PDF.label)
        _check_catalog(catalog, resolve1)
        next(iter(PDFPage.create_pages(document)))
    except refusals.UploadRefused:
        raise
    except Exception:  # noqa: BLE001 - StopIteration (no page), broken page tree, bad objects
        raise refusals.malformed(PDF.label) from None


def _name(value) -> str:
    return getattr(value, "name", "")


def _check_catalog(catalog: dict, resolve1) -> None:
    """JavaScript and embedded files registered in the catalog, and actions run on opening."""
    names = resolve1(catalog.get("Names")) or {}
    if isinstance(names, dict) and ({"JavaScript", "EmbeddedFiles"} & set(names)):
        raise refusals.active_content()
    if "AA" in catalog:
        raise refusals.active_content()
    action = resolve1(catalog.get("OpenAction"))
    if isinstance(action, dict) and _name(resolve1(action.get("S"))) in ("JavaScript", "Launch"):
        raise refusals.active_content()
    form = resolve1(catalog.get("AcroForm"))
    if isinstance(form, dict) and "XFA" in form:
        raise refusals.active_content()
