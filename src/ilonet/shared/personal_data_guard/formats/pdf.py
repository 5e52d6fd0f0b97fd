"""PDF through pdfminer.six: page by page, text boxes in the order of its layout analysis (so the
columns of a two-column page are read one after the other, not line across line), text inside
form XObjects too; then each page's annotations (comments, their authors' notes, link targets),
the filled-in form fields and the document information.

A PDF that needs a password to open raises :class:`EncryptedDocument`; one pdfminer cannot
parse raises :class:`CorruptDocument`; one with pages but not one character of text raises
:class:`NoReadableText` (a scan: the guard does not read images)."""

from __future__ import annotations

import io
from collections.abc import Iterator
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


def _baseline_lines(chars: list[Any]) -> list[str]:
    """Characters the layout analysis left apart, as lines: grouped by baseline (within half a
    character's height), top to bottom, left to right, in the content's order where they share a
    position. A font without widths (a missing font resource: viewers draw the text with a
    fallback font) puts every character of a line at the same place, and pdfminer makes each one
    a line of its own: read one by one, "jan@example.nl" would never be seen as an e-mail address
    (Art. 9(3))."""
    rows: list[list[Any]] = []
    for char in sorted(chars, key=lambda c: -c.y0):  # stable: the content's order is kept
        if rows and abs(rows[-1][0].y0 - char.y0) <= max(rows[-1][0].height, char.height, 1.0) / 2:
            rows[-1].append(char)
        else:
            rows.append([char])
    lines = ["".join(c.get_text() for c in sorted(row, key=lambda c: c.x0)) for row in rows]
    return [line for line in lines if line.strip()]


def _layout_lines(layout: Any) -> Iterator[list[str]]:
    """The lines of each text box of a page (or figure), in layout order; characters the layout
    analysis could not group (lines of one character) joined by baseline at the end."""
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
            if lines:
                yield lines
        elif isinstance(item, LTChar):
            loose.append(item)
        elif isinstance(item, LTContainer):
            yield from _layout_lines(item)
    if loose:
        yield _baseline_lines(loose)


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
        for lines in _layout_lines(device.get_result()):
            if not lines:
                continue
            text = "\n".join(lines)
            characters += len(text.strip())
            yield TextChunk(Location(page=number, line=line), text)
            line += len(lines)
        yield from _annotations(page, number)
    if pages == 0:
        raise CorruptDocument("no pages")
    yield from _form_fields(document)
    yield from _info(document)
    if characters == 0:
        raise NoReadableText()
