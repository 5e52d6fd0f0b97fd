"""PDF through pdfminer.six: page by page, text boxes in the order of its layout analysis (so the
columns of a two-column page are read one after the other, not line across line), text inside
form XObjects too; then, for the guard, the page's text boxes put together again by position
(:func:`_page_views`: a value drawn in pieces far apart); then each page's annotations
(comments, their authors' notes, link targets), the filled-in form fields and the document
information.

A PDF that needs a password to open raises :class:`EncryptedDocument`; one pdfminer cannot
parse raises :class:`CorruptDocument`; one with pages but not one character of text raises
:class:`NoReadableText` (a scan: the guard does not read images)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ilonet.shared.personal_data_guard.errors import (
    CorruptDocument,
    EncryptedDocument,
    LimitExceeded,
    NoReadableText,
)
from ilonet.shared.personal_data_guard.extract import Budget, TextChunk
from ilonet.shared.personal_data_guard.location import Location

MAX_ANNOTATIONS_PER_PAGE = 500
MAX_FORM_FIELDS = 5_000


def _text(value: Any) -> str:
    """A PDF string (bytes in PDFDocEncoding or UTF-16 with a BOM) as text."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, PSLiteral):
        return str(value.name)
    return ""


@dataclass(frozen=True)
class Piece:
    """A line of text as pdfminer's layout analysis gives it, with its place on the page."""

    x: float
    y: float
    height: float
    text: str


def _rows(items: list[Any]) -> list[list[Any]]:
    """Items (characters or pieces with ``y0``/``y`` and ``height``) grouped by baseline (within
    half a height), top to bottom; the order inside a row is the content's."""
    rows: list[list[Any]] = []
    for item in sorted(items, key=lambda i: -_y(i)):  # stable: the content's order is kept
        if rows and abs(_y(rows[-1][0]) - _y(item)) <= max(rows[-1][0].height, item.height, 1.0) / 2:
            rows[-1].append(item)
        else:
            rows.append([item])
    return rows


def _y(item: Any) -> float:
    return float(item.y if isinstance(item, Piece) else item.y0)


def _baseline_lines(chars: list[Any]) -> list[Piece]:
    """Characters the layout analysis left apart, as lines: grouped by baseline (within half a
    character's height), top to bottom, left to right, in the content's order where they share a
    position. A font without widths (a missing font resource: viewers draw the text with a
    fallback font) puts every character of a line at the same place, and pdfminer makes each one
    a line of its own: read one by one, "jan@example.nl" would never be seen as an e-mail address
    (Art. 9(3))."""
    lines = []
    for row in _rows(chars):
        row.sort(key=lambda c: c.x0)
        text = "".join(c.get_text() for c in row)
        if text.strip():
            lines.append(Piece(row[0].x0, row[0].y0, max(c.height for c in row), text))
    return lines


def _layout_lines(layout: Any, pieces: list[Piece]) -> Iterator[list[str]]:
    """The lines of each text box of a page (or figure), in layout order; characters the layout
    analysis could not group (lines of one character) joined by baseline at the end. Every line
    is also added to ``pieces`` with its place, for :func:`_page_views`."""
    from pdfminer.layout import LTChar, LTContainer, LTTextBox, LTTextLine

    loose: list[Any] = []
    for item in layout:
        if isinstance(item, LTTextBox | LTTextLine):
            text_lines = (
                [item] if isinstance(item, LTTextLine) else [li for li in item if isinstance(li, LTTextLine)]
            )
            lines = []
            for line in text_lines:
                text = line.get_text().rstrip("\n")
                if len(text.strip()) <= 1:  # one character (or a space) on a line of its own
                    loose.extend(char for char in line if isinstance(char, LTChar))
                else:
                    lines.append(text)
                    pieces.append(Piece(line.x0, line.y0, line.height, text.strip()))
            if lines:
                yield lines
        elif isinstance(item, LTChar):
            loose.append(item)
        elif isinstance(item, LTContainer):
            yield from _layout_lines(item, pieces)
    if loose:
        found = _baseline_lines(loose)
        pieces.extend(Piece(p.x, p.y, p.height, p.text.strip()) for p in found)
        yield [p.text for p in found]


# Detectors run on the page's pieces joined without a space: those whose values cannot arise
# from two neighbouring words or numbers by chance (an address needs its "@", an account number
# and a machine-readable zone their check digits over 15 to 44 characters).
JOINED_KINDS = ("email", "iban", "mrz")


def _page_views(pieces: list[Piece], number: int) -> Iterator[TextChunk]:
    """The page's pieces (pdfminer's lines, each already read on its own) put back together in
    reading order by position: grouped by baseline, left to right, top to bottom. A person who
    draws "jan." "jansen@" "exam" "ple.org" far apart on a page gets four boxes from the layout
    analysis; a reader still sees one address (Art. 9(3)). Two views: the pieces of a line
    joined by a space and lines by a line break (a label in one box, its number in another:
    every detector), and every piece joined to the next without a space (a value cut in
    pieces, even over lines: e-mail, IBAN and machine-readable zone only)."""
    if len(pieces) < 2:
        return
    spaced: list[str] = []
    spaced_joins: list[int] = []
    joined: list[str] = []
    joined_joins: list[int] = []
    spaced_length = joined_length = 0
    for row_number, row in enumerate(_rows(pieces)):
        row.sort(key=lambda p: p.x)
        for index, piece in enumerate(row):
            if row_number or index:
                spaced.append(" " if index else "\n")
                spaced_length += 1
                spaced_joins.append(spaced_length)
                joined_joins.append(joined_length)
            spaced.append(piece.text)
            spaced_length += len(piece.text)
            joined.append(piece.text)
            joined_length += len(piece.text)
    location = Location(part="page_text", page=number, line=1)
    yield TextChunk(location, "".join(spaced), tuple(spaced_joins))
    yield TextChunk(
        Location(part="page_text", page=number), "".join(joined), tuple(joined_joins), JOINED_KINDS
    )


def _annotations(page: Any, number: int) -> Iterator[TextChunk]:
    from pdfminer.pdftypes import resolve1

    annots = resolve1(page.annots) or []
    if not isinstance(annots, list):
        return
    for index, ref in enumerate(annots[:MAX_ANNOTATIONS_PER_PAGE], 1):
        annot = resolve1(ref)
        if not isinstance(annot, dict):
            continue
        subtype = _text(annot.get("Subtype"))
        pieces = [_text(annot.get(key)) for key in ("Contents", "T", "Subj", "RC")]
        action = resolve1(annot.get("A"))
        if isinstance(action, dict):
            uri = _text(action.get("URI")) or _text(action.get("F"))
            if uri:
                yield TextChunk(Location(part="link", page=number, number=index), uri)
        popup = "\n".join(piece for piece in pieces if piece.strip())
        if popup:
            part = "comment" if subtype in ("Text", "FreeText", "Popup", "") else "annotation"
            yield TextChunk(Location(part=part, page=number, number=index), popup)


def _form_fields(document: Any) -> Iterator[TextChunk]:
    from pdfminer.pdftypes import resolve1

    form = resolve1(document.catalog.get("AcroForm"))
    if not isinstance(form, dict):
        return
    pending = list(resolve1(form.get("Fields")) or [])
    seen = 0
    while pending and seen < MAX_FORM_FIELDS:
        node = resolve1(pending.pop(0))
        seen += 1
        if not isinstance(node, dict):
            continue
        value = _text(node.get("V"))
        if value.strip():
            yield TextChunk(Location(part="form_field", number=seen), value)
        kids = resolve1(node.get("Kids"))
        if isinstance(kids, list):
            pending.extend(kids)


def _info(document: Any) -> Iterator[TextChunk]:
    from pdfminer.pdftypes import resolve1

    for info in document.info or []:
        info = resolve1(info)
        if isinstance(info, dict):
            values = [_text(info.get(key)) for key in ("Title", "Author", "Subject", "Keywords", "Creator")]
            text = "\n".join(value for value in values if value.strip())
            if text:
                yield TextChunk(Location(part="properties"), text)


def extract_pdf(data: bytes, budget: Budget) -> Iterator[TextChunk]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    if not data.lstrip()[:1024].count(b"%PDF"):
        raise CorruptDocument("no PDF header")
    try:
        parser = PDFParser(io.BytesIO(data))
        document = PDFDocument(parser, password="")
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise EncryptedDocument(type(error).__name__) from error
    except Exception as error:
        raise CorruptDocument(type(error).__name__) from error
    if not document.is_extractable:
        # Opened with an empty user password but marked "no copying": we read it all the same
        # (the guard is not a reader); the restriction is the author's, not a protection.
        pass
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams(all_texts=True))
    interpreter = PDFPageInterpreter(resources, device)
    characters = 0
    pages = 0
    for number, page in enumerate(PDFPage.create_pages(document), 1):
        if number > budget.limits.max_pages:
            raise LimitExceeded("pages")
        budget.check_time()
        pages = number
        interpreter.process_page(page)
        line = 1
        pieces: list[Piece] = []
        for lines in _layout_lines(device.get_result(), pieces):
            if not lines:
                continue
            text = "\n".join(lines)
            characters += len(text.strip())
            yield TextChunk(Location(page=number, line=line), text)
            line += len(lines)
        if budget.page_views:
            yield from _page_views(pieces, number)
        yield from _annotations(page, number)
    if pages == 0:
        raise CorruptDocument("no pages")
    yield from _form_fields(document)
    yield from _info(document)
    if characters == 0:
        raise NoReadableText()
