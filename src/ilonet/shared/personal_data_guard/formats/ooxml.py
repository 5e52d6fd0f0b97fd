"""Word (DOCX, python-docx) and Excel (XLSX, openpyxl) files.

DOCX: the body (paragraphs, tables, text boxes, hidden text, tracked insertions, deletions and
field codes, which stay in the file), headers, footers, comments, footnotes, endnotes, the
alternative text and title of pictures and the tooltips of links, chart and diagram data,
embedded Word documents and workbooks, every external link target, custom XML data and the
document properties (core, extended, custom).

XLSX: every sheet, hidden and "very hidden" ones too, row by row (cells prefixed by their
column's header, formulas as written), sheet names, cell comments (classic and threaded), text
boxes, print headers and footers, defined names, shared strings no cell uses, alternative texts
of pictures and link tooltips, cached data of charts, pivot tables and external links, every
external link target, custom XML data and the document properties (core, extended, custom)."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from ilonet.shared.personal_data_guard.extract import Budget, TextChunk
from ilonet.shared.personal_data_guard.formats.containers import (
    all_text,
    alt_texts,
    core_properties,
    custom_xml,
    external_links,
    open_zip,
    parse_xml,
    read_member,
    relationships,
)
from ilonet.shared.personal_data_guard.formats.plain import labelled_row
from ilonet.shared.personal_data_guard.location import Location

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
TEXT_TAGS = {W + "t", W + "delText", W + "instrText"}
BREAK_TAGS = {W + "br", W + "cr"}
CACHED_PREFIXES = ("word/charts/", "word/diagrams/", "xl/charts/", "xl/pivotCache/", "xl/externalLinks/")
VALUES_PER_CHUNK = 200


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# --- DOCX -------------------------------------------------------------------------------


def _own_text(paragraph: Any) -> str:
    """The text of a ``w:p`` without the paragraphs nested in it (text boxes are read apart)."""
    out: list[str] = []
    stack = list(reversed(list(paragraph)))
    while stack:
        element = stack.pop()
        tag = element.tag
        if tag == W + "p" or tag == MC_FALLBACK:
            continue
        if tag in TEXT_TAGS:
            out.append(element.text or "")
        elif tag in BREAK_TAGS:
            out.append("\n")
        elif tag == W + "tab":
            out.append(" ")
        else:
            stack.extend(reversed(list(element)))
    return "".join(out)


def _paragraphs(root: Any) -> Iterator[Any]:
    """Every ``w:p`` in document order, skipping the duplicate VML fallback of text boxes."""
    stack = [root]
    while stack:
        element = stack.pop()
        if element.tag == MC_FALLBACK:
            continue
        if element.tag == W + "p":
            yield element
        stack.extend(reversed(list(element)))


def _docx_body(root: Any, budget: Budget) -> Iterator[TextChunk]:
    """Paragraphs one by one; a table row as one chunk, its cells prefixed by the header row's
    labels (as in a spreadsheet), so that "Date of birth" stands next to each date."""
    tables = {table: number for number, table in enumerate(root.iter(W + "tbl"), 1)}
    headers: dict[Any, list[str]] = {}
    current: Any = None
    cells: dict[Any, list[str]] = {}

    def flush() -> Iterator[TextChunk]:
        if current is None or not cells:
            return
        table = current.getparent()
        texts = [" ".join(t for t in parts if t.strip()) for parts in cells.values()]
        rows = [child for child in table if child.tag == W + "tr"]
        location = Location(table=tables.get(table), row=rows.index(current) + 1)
        if table not in headers and all(not any(ch.isdigit() for ch in t) for t in texts):
            headers[table] = texts
            yield TextChunk(location, " | ".join(texts))
        else:
            headers.setdefault(table, [])
            yield TextChunk(location, labelled_row(texts, headers[table] or None))

    for number, paragraph in enumerate(_paragraphs(root), 1):
        if number % 500 == 0:
            budget.check_time()
        text = _own_text(paragraph)
        row = next(paragraph.iterancestors(W + "tr"), None)
        if row is not current:
            yield from flush()
            current, cells = row, {}
        if row is None:
            if text.strip():
                yield TextChunk(Location(paragraph=number), text)
        else:
            cell = next(paragraph.iterancestors(W + "tc"), None)
            cells.setdefault(cell, []).append(text)
    yield from flush()


def _docx_notes(root: Any, part: str, tag: str) -> Iterator[TextChunk]:
    number = 0
    for note in root.iter(W + tag):
        if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        number += 1
        text = "\n".join(_own_text(p) for p in _paragraphs(note))
        yield TextChunk(Location(part=part, number=number), text)


def _header_footer(root: Any, part: str) -> Iterator[TextChunk]:
    for line, paragraph in enumerate(_paragraphs(root), 1):
        yield TextChunk(Location(part=part, line=line), _own_text(paragraph))


def cached_data(archive: Any, budget: Budget) -> Iterator[TextChunk]:
    """Values kept for charts, diagrams, pivot tables and links to other workbooks: copies of
    data that may no longer be on any sheet."""
    from lxml import etree

    number = 0
    for name in archive.namelist():
        if not name.startswith(CACHED_PREFIXES) or not name.endswith(".xml"):
            continue
        number += 1
        budget.check_time()
        values: list[str] = []
        with archive.open(name) as stream:
            for _event, element in etree.iterparse(
                stream, events=("end",), resolve_entities=False, no_network=True, huge_tree=False
            ):
                for value in (element.text, element.get("v")):
                    if value and value.strip():
                        values.append(value.strip())
                element.clear(keep_tail=True)
                if len(values) >= VALUES_PER_CHUNK:
                    yield TextChunk(Location(part="cached_data", number=number), " | ".join(values))
                    values = []
        if values:
            yield TextChunk(Location(part="cached_data", number=number), " | ".join(values))


EMBEDDED = re.compile(r"(?i)^(?:word|xl|ppt)/embeddings/[^/]+\.(docx|docm|xlsx|xlsm)$")


def embedded_documents(archive: Any, budget: Budget) -> Iterator[TextChunk]:
    """Word documents and workbooks embedded as objects (an Excel table pasted into a report):
    read like the outer file, placed as "embedded document n". Deeper than ``max_depth``, the
    file is refused rather than read in part."""
    from dataclasses import replace

    from ilonet.shared.personal_data_guard.errors import LimitExceeded

    number = 0
    for name in archive.namelist():
        match = EMBEDDED.match(name)
        if not match:
            continue
        if budget.depth >= budget.limits.max_depth:
            raise LimitExceeded("embedding depth")
        number += 1
        reader = extract_docx if match.group(1).lower().startswith("doc") else extract_xlsx
        budget.depth += 1
        try:
            for chunk in reader(archive.read(name), budget):
                yield TextChunk(replace(chunk.location, part="embedded", number=number), chunk.text)
        finally:
            budget.depth -= 1


def extract_docx(data: bytes, budget: Budget) -> Iterator[TextChunk]:
    import docx

    archive = open_zip(data, budget)
    document = docx.Document(io.BytesIO(data))  # refuses a zip that is no Word document
    for part in document.part.package.iter_parts():
        name = str(part.partname).lstrip("/")
        budget.check_time()
        if name == "word/document.xml":
            yield from _docx_body(parse_xml(part.blob), budget)
        elif re.fullmatch(r"word/header\d*\.xml", name):
            yield from _header_footer(parse_xml(part.blob), "header")
        elif re.fullmatch(r"word/footer\d*\.xml", name):
            yield from _header_footer(parse_xml(part.blob), "footer")
        elif name == "word/comments.xml":
            yield from _docx_notes(parse_xml(part.blob), "comment", "comment")
        elif name == "word/footnotes.xml":
            yield from _docx_notes(parse_xml(part.blob), "footnote", "footnote")
        elif name == "word/endnotes.xml":
            yield from _docx_notes(parse_xml(part.blob), "endnote", "endnote")
        elif name == "word/glossary/document.xml":
            yield from (
                TextChunk(Location(part="cached_data"), c.text)
                for c in _docx_body(parse_xml(part.blob), budget)
            )
    yield from alt_texts(archive, budget, ("word/",))
    yield from cached_data(archive, budget)
    yield from embedded_documents(archive, budget)
    yield from external_links(archive, budget)
    yield from custom_xml(archive, budget)
    yield from core_properties(archive)


# --- XLSX -------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell's value as a reader sees it: dates in ISO form, whole floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def _sheet_parts(archive: Any) -> dict[str, str]:
    """Sheet name → its part (``xl/worksheets/sheet1.xml``), from the workbook's relationships."""
    data = read_member(archive, "xl/workbook.xml")
    if data is None:
        return {}
    targets = {rel.id: rel.target for rel in relationships(archive, "xl/workbook.xml")}
    out = {}
    for element in parse_xml(data).iter():
        if _local(element) == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            if rid in targets:
                out[element.get("name") or ""] = targets[rid]
    return out


HEADER_FOOTER = re.compile(rb"<(?:\w+:)?headerFooter\b.*?</(?:\w+:)?headerFooter>", re.DOTALL)
ELEMENT_TEXT = re.compile(rb">([^<]+)<")


def _sheet_extras(archive: Any, sheet: str, part: str, budget: Budget) -> Iterator[TextChunk]:
    xml = read_member(archive, part) or b""
    match = HEADER_FOOTER.search(xml)
    if match:
        texts = [html.unescape(t.decode("utf-8", "replace")) for t in ELEMENT_TEXT.findall(match.group(0))]
        # &L, &C, &R and the other codes of Excel's header language are kept: harmless.
        yield TextChunk(Location(part="header", sheet=sheet), "\n".join(texts))
    for rel in relationships(archive, part):
        if rel.external:
            continue
        target = read_member(archive, rel.target)
        if target is None:
            continue
        budget.check_time()
        if rel.type in ("comments", "threadedComment"):
            root = parse_xml(target)
            for number, comment in enumerate(
                (e for e in root.iter() if _local(e) in ("comment", "threadedComment")), 1
            ):
                yield TextChunk(
                    Location(part="comment", sheet=sheet, cell=comment.get("ref"), number=number),
                    all_text(comment),
                )
        elif rel.type == "drawing":
            texts = [all_text(e) for e in parse_xml(target).iter() if _local(e) == "txBody"]
            for number, text in enumerate(texts, 1):
                yield TextChunk(Location(part="text_box", sheet=sheet, number=number), text)


def extract_xlsx(data: bytes, budget: Budget) -> Iterator[TextChunk]:
    import openpyxl

    from ilonet.shared.personal_data_guard.errors import LimitExceeded

    archive = open_zip(data, budget)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    shown: set[str] = set()  # the text cells hold, to find the shared strings no cell uses
    try:
        if len(workbook.worksheets) > budget.limits.max_sheets:
            raise LimitExceeded("sheets")
        for sheet in workbook.worksheets:  # every state: visible, hidden and veryHidden
            yield TextChunk(Location(part="sheet_name", sheet=sheet.title), sheet.title)
            sheet.reset_dimensions()
            header: list[str] | None = None
            for number, row in enumerate(sheet.iter_rows(), 1):
                if not row:
                    if number % 10_000 == 0:
                        budget.check_time()
                    continue
                budget.take_row()
                cells = [cell_text(cell.value) for cell in row[: budget.limits.max_columns]]
                shown.update(
                    cell.value for cell in row[: budget.limits.max_columns] if isinstance(cell.value, str)
                )
                if not any(c.strip() for c in cells):
                    continue
                if header is None and all(not any(ch.isdigit() for ch in c) for c in cells):
                    header = cells
                    yield TextChunk(
                        Location(sheet=sheet.title, row=number), " | ".join(c for c in cells if c)
                    )
                    continue
                yield TextChunk(Location(sheet=sheet.title, row=number), labelled_row(cells, header))
    finally:
        workbook.close()
    for sheet_name, part in _sheet_parts(archive).items():
        yield from _sheet_extras(archive, sheet_name, part, budget)
    yield from _defined_names(archive)
    yield from _unused_strings(archive, shown, budget)
    yield from alt_texts(archive, budget, ("xl/drawings/", "xl/worksheets/"))
    yield from cached_data(archive, budget)
    yield from embedded_documents(archive, budget)
    yield from external_links(archive, budget)
    yield from custom_xml(archive, budget)
    yield from core_properties(archive)


def _defined_names(archive: Any) -> Iterator[TextChunk]:
    """Defined names (``<definedName name="contact">"jan@example.org"</definedName>``): a name may
    stand for a constant as well as a range, and the constant is shown by no cell."""
    data = read_member(archive, "xl/workbook.xml")
    if data is None:
        return
    texts = []
    for element in parse_xml(data).iter():
        if _local(element) == "definedName":
            texts.append(f"{element.get('name') or ''}: {element.text or ''}")
    if texts:
        yield TextChunk(Location(part="defined_name"), "\n".join(texts))


def _unused_strings(archive: Any, shown: set[str], budget: Budget) -> Iterator[TextChunk]:
    """The shared strings no cell uses: a cell cleared by editing the file's XML leaves its text
    in the shared-string table (``xl/sharedStrings.xml``, or wherever the workbook's
    relationship points), where anyone who unzips the file reads it."""
    from lxml import etree

    names = [rel.target for rel in relationships(archive, "xl/workbook.xml") if rel.type == "sharedStrings"]
    name = next((n for n in names if n in archive.namelist()), "xl/sharedStrings.xml")
    if name not in archive.namelist():
        return
    values: list[str] = []
    with archive.open(name) as stream:
        for _event, element in etree.iterparse(
            stream, events=("end",), resolve_entities=False, no_network=True, huge_tree=False
        ):
            if _local(element) != "si":
                continue
            text = all_text(element)
            element.clear(keep_tail=True)
            if text.strip() and text not in shown:
                values.append(text)
                if len(values) >= VALUES_PER_CHUNK:
                    budget.check_time()
                    yield TextChunk(Location(part="unused_strings"), "\n".join(values))
                    values = []
    if values:
        yield TextChunk(Location(part="unused_strings"), "\n".join(values))
