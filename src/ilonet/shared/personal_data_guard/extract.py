"""Text extraction for the personal-data guard (Art. 9(3)): every part of a document a reader
could see or reveal (body, tables, headers, footers, comments, footnotes, hidden sheets, text
boxes, link targets, document properties, form fields), as :class:`TextChunk` items with their
place, in reading order (multi-column PDF pages through pdfminer's layout analysis).

Bounded: the bytes read, the unpacked size of a zip container, the pages, sheets, rows and
characters, and the time (checked between pages and rows) are capped by :class:`Limits`; past a
cap :class:`LimitExceeded` is raised, since a document read only in part cannot be vouched for.
Damaged, encrypted, empty and unsupported files raise the other :class:`ExtractionError`
subclasses, each with a translated message. Nothing here stores or logs document content.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from ilonet.shared.personal_data_guard.errors import (
    CorruptDocument,
    EmptyDocument,
    ExtractionError,
    LimitExceeded,
    UnsupportedType,
)
from ilonet.shared.personal_data_guard.location import Location

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
CSV = "text/csv"
TXT = "text/plain"

ALIASES = {
    "pdf": PDF,
    "docx": DOCX,
    "xlsx": XLSX,
    "odt": ODT,
    "csv": CSV,
    "txt": TXT,
    "application/csv": CSV,
    "text/comma-separated-values": CSV,
    "application/vnd.ms-excel.sheet.macroenabled.12": XLSX,
}
SUPPORTED = (PDF, DOCX, XLSX, ODT, CSV, TXT)


@dataclass(frozen=True)
class TextChunk:
    """A piece of a document's text and where it is. A chunk may span several lines; its
    ``location.line`` (when set) is the line of its first line.

    A *pieced* chunk (``joins`` not empty) is text the document keeps apart, put together as a
    reader sees it (the separate text boxes of a PDF page, joined by position): ``joins`` are
    the offsets where a piece starts. Each piece was scanned alone already, so only a finding
    no piece shows alone counts; ``kinds`` limits the detectors run on it (empty: all)."""

    location: Location
    text: str
    joins: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Limits:
    """Caps on the work one document may cause; the defaults suit an exchange platform's
    reports and statistics tables, well above what a reader would upload."""

    max_bytes: int = 64 * 1024 * 1024
    max_unpacked_bytes: int = 256 * 1024 * 1024
    max_zip_members: int = 5_000
    max_chars: int = 5_000_000
    max_pages: int = 2_000
    max_sheets: int = 200
    max_rows: int = 500_000
    max_columns: int = 1_000
    max_seconds: float = 120.0
    max_depth: int = 2  # a workbook embedded in a document embedded in a document, no deeper


@dataclass
class Budget:
    """The running count against :class:`Limits` for one document."""

    limits: Limits = field(default_factory=Limits)
    page_views: bool = False  # also the pieced views of PDF pages (the guard's, not a reader's)
    chars: int = 0
    rows: int = 0
    depth: int = 0
    started: float = field(default_factory=time.monotonic)

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.limits.max_seconds:
            raise LimitExceeded("time")

    def take(self, text: str) -> str:
        self.chars += len(text)
        if self.chars > self.limits.max_chars:
            raise LimitExceeded("characters")
        return text

    def take_row(self) -> None:
        self.rows += 1
        if self.rows > self.limits.max_rows:
            raise LimitExceeded("rows")
        if self.rows % 1000 == 0:
            self.check_time()


def normalise_content_type(content_type: str) -> str:
    """``"application/pdf; charset=binary"`` or ``"PDF"`` to the canonical MIME type."""
    value = (content_type or "").split(";", 1)[0].strip().lower()
    return ALIASES.get(value, value)


def read_bounded(file_obj: IO[bytes], limits: Limits) -> bytes:
    """The whole file, refused past ``max_bytes`` (uploads are size-capped before this too)."""
    if hasattr(file_obj, "seek"):
        with contextlib.suppress(OSError, ValueError):
            file_obj.seek(0)
    data = file_obj.read(limits.max_bytes + 1)
    if not isinstance(data, bytes | bytearray):
        raise UnsupportedType("not a binary file object")
    if len(data) > limits.max_bytes:
        raise LimitExceeded("bytes")
    if not data or data.isspace():  # ``not data.strip()`` without a copy of the whole file
        raise EmptyDocument()
    return bytes(data)


def extract(
    file_obj: IO[bytes], content_type: str, *, limits: Limits | None = None, page_views: bool = False
) -> Iterator[TextChunk]:
    """The text of a PDF, DOCX, XLSX, ODT, CSV or TXT file, chunk by chunk with its place.
    With ``page_views`` (the guard's scan), each PDF page is followed by its pieced chunks
    (:class:`TextChunk` with ``joins``): the page's separate text boxes put together by
    position, a second reading of text already given, not for a search index.

    ``content_type`` should be the sniffed type (the uploads pipeline's), never the name's.
    Raises :class:`ExtractionError` subclasses; any other failure inside a format library is
    turned into :class:`CorruptDocument`, so that a caller handles one exception type.
    """
    from ilonet.shared.personal_data_guard.formats import odf, ooxml, pdf, plain

    kind = normalise_content_type(content_type)
    readers = {
        PDF: pdf.extract_pdf,
        DOCX: ooxml.extract_docx,
        XLSX: ooxml.extract_xlsx,
        ODT: odf.extract_odt,
        CSV: plain.extract_csv,
        TXT: plain.extract_txt,
    }
    reader = readers.get(kind)
    if reader is None:
        raise UnsupportedType(kind)
    budget = Budget(limits or Limits(), page_views)
    data = read_bounded(file_obj, budget.limits)
    try:
        for chunk in reader(data, budget):
            if chunk.text.strip():
                if not chunk.joins:  # a pieced view repeats characters already counted
                    budget.take(chunk.text)
                yield chunk
    except ExtractionError:
        raise
    except RecursionError as error:
        raise LimitExceeded("nesting") from error
    except MemoryError as error:
        raise LimitExceeded("memory") from error
    except Exception as error:  # any library's failure on a hostile or broken file
        raise CorruptDocument(type(error).__name__) from error
