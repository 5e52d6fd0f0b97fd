"""CSV and plain text: the encoding is detected (a byte-order mark, UTF-16 by its NUL bytes,
UTF-8, else Windows-1252, the encoding of spreadsheets saved as CSV on Western European
machines), the delimiter sniffed.
A CSV row becomes one chunk, its cells prefixed by their column's header ("Date of birth:
12-03-1980"), so that a label in the header is next to each value, as a reader sees it."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from ilonet.shared.personal_data_guard.extract import Budget, TextChunk
from ilonet.shared.personal_data_guard.location import Location

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Lines per chunk of plain text: a paragraph, or this many lines of a long one.
MAX_LINES_PER_CHUNK = 40


def _utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when most odd (or even) bytes of the start are NUL:
    Latin text in UTF-16 saved without a byte-order mark. Such bytes are valid UTF-8 too (a NUL
    after each letter), and read as UTF-8 no address in them would ever be seen."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 4:
        return None
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    if odd >= 0.6 * half and even < 0.1 * half:
        return "utf-16-le"
    if even >= 0.6 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """The text of ``data``: by its byte-order mark, else UTF-16 recognised by its NUL bytes,
    else UTF-8, else Windows-1252 (which maps nearly every byte; the five it leaves out become
    U+FFFD)."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def paragraphs(text: str, make_location) -> Iterator[TextChunk]:
    """Blocks of lines separated by blank lines (at most ``MAX_LINES_PER_CHUNK`` lines each),
    with the number of their first line."""
    block: list[str] = []
    first = 1
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or len(block) >= MAX_LINES_PER_CHUNK:
            if block:
                yield TextChunk(make_location(first), "\n".join(block))
            block = []
            if not line.strip():
                continue
        if not block:
            first = number
        block.append(line)
    if block:
        yield TextChunk(make_location(first), "\n".join(block))


def extract_txt(data: bytes, budget: Budget) -> Iterator[TextChunk]:
    text = decode(data)
    budget.take("")
    for chunk in paragraphs(text, lambda line: Location(line=line)):
        budget.check_time()
        yield chunk


def _looks_like_header(cells: list[str]) -> bool:
    filled = [cell.strip() for cell in cells if cell.strip()]
    return bool(filled) and not any(any(ch.isdigit() for ch in cell) for cell in filled)


def labelled_row(cells: list[str], header: list[str] | None) -> str:
    """``"Name: Jan | Date of birth: 1980-03-12"``, or the cells alone without a header."""
    out = []
    for index, cell in enumerate(cells):
        value = cell.strip()
        if not value:
            continue
        label = header[index].strip() if header and index < len(header) else ""
        out.append(f"{label}: {value}" if label and label != value else value)
    return " | ".join(out)


def extract_csv(data: bytes, budget: Budget) -> Iterator[TextChunk]:
    text = decode(data)
    sample = text[: 64 * 1024]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(budget.limits.max_chars)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header: list[str] | None = None
    try:
        for row in reader:
            budget.take_row()
            cells = row[: budget.limits.max_columns]
            if header is None and _looks_like_header(cells):
                header = cells
                yield TextChunk(Location(row=reader.line_num), " | ".join(c for c in cells if c.strip()))
                continue
            line = labelled_row(cells, header)
            if line:
                yield TextChunk(Location(row=reader.line_num), line)
    except csv.Error:
        # A broken quote: read what is left line by line rather than give up on the file.
        done = reader.line_num
        rest = "\n".join(text.splitlines()[done:])
        yield from paragraphs(rest, lambda line: Location(line=line + done))
