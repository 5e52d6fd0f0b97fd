"""OpenDocument text (ODT, odfpy): the body (paragraphs, headings, lists, tables, frames and text
boxes), comments (``office:annotation``), footnotes and endnotes, headers and footers of every
master page, link targets (``xlink:href``) and the document's metadata.

An ODT saved with a password keeps its content encrypted and says so in its manifest
(``manifest:encryption-data``): :class:`EncryptedDocument`."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from ilonet.shared.personal_data_guard.errors import CorruptDocument, EncryptedDocument
from ilonet.shared.personal_data_guard.extract import Budget, TextChunk
from ilonet.shared.personal_data_guard.formats.containers import open_zip, read_member
from ilonet.shared.personal_data_guard.location import Location

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
XLINK = "http://www.w3.org/1999/xlink"
PARAGRAPHS = {(TEXT, "p"), (TEXT, "h")}
HEADERS = {"header": "header", "header-left": "header", "header-first": "header"}
FOOTERS = {"footer": "footer", "footer-left": "footer", "footer-first": "footer"}
TEXT_NODE = 3


def _qname(node: Any) -> tuple[str, str]:
    return getattr(node, "qname", ("", ""))


def _attr(node: Any, namespace: str, name: str) -> str:
    return str(node.attributes.get((namespace, name), "") or "")


class _Walker:
    """Collects the paragraphs of a subtree in order; what hangs inside a paragraph (comments,
    notes, frames with their own paragraphs, link targets) is read after it."""

    def __init__(self, budget: Budget, part: str) -> None:
        self.budget = budget
        self.part = part
        self.paragraph = 0
        self.comments = 0
        self.notes = 0
        self.links = 0
        self.tables = 0

    def own_text(self, node: Any, deferred: list[tuple[str, Any]]) -> str:
        out: list[str] = []
        for child in node.childNodes:
            if child.nodeType == TEXT_NODE:
                out.append(str(child.data))
                continue
            name = _qname(child)
            if name == (TEXT, "s"):
                out.append(" " * max(1, int(_attr(child, TEXT, "c") or 1)))
            elif name in ((TEXT, "tab"), (TEXT, "line-break")):
                out.append(" " if name[1] == "tab" else "\n")
            elif name == (OFFICE, "annotation"):
                deferred.append(("comment", child))
            elif name == (TEXT, "note"):
                deferred.append(("note", child))
            elif name in PARAGRAPHS or name == (TABLE, "table"):
                deferred.append(("block", child))
            else:
                href = _attr(child, XLINK, "href")
                if href:
                    deferred.append(("link", href))
                out.append(self.own_text(child, deferred))
        return "".join(out)

    def walk(self, node: Any, table: int | None = None, row: int | None = None) -> Iterator[TextChunk]:
        for child in node.childNodes:
            if child.nodeType != 1:
                continue
            name = _qname(child)
            if name in PARAGRAPHS:
                yield from self.paragraph_chunks(child, table, row)
            elif name == (OFFICE, "annotation"):
                yield from self.comment(child)
            elif name == (TABLE, "table"):
                self.tables += 1
                yield from self.walk_table(child, self.tables)
            else:
                href = _attr(child, XLINK, "href")
                if href:
                    yield from self.link(href)
                yield from self.walk(child, table, row)

    def walk_table(self, node: Any, table: int) -> Iterator[TextChunk]:
        """A row as one chunk, cells prefixed by the header row's labels."""
        from ilonet.shared.personal_data_guard.formats.plain import labelled_row

        row = 0
        header: list[str] | None = None
        stack = list(reversed(node.childNodes))
        while stack:
            child = stack.pop()
            name = _qname(child)
            if name != (TABLE, "table-row"):
                if child.nodeType == 1:
                    stack.extend(reversed(child.childNodes))
                continue
            row += 1
            self.budget.take_row()
            location = Location(part=self.part, table=table, row=row)
            cells: list[str] = []
            others: list[TextChunk] = []
            for cell in child.childNodes:
                texts: list[str] = []
                for chunk in self.walk(cell, table, row):
                    if chunk.location == location:
                        texts.append(chunk.text)
                    else:
                        others.append(chunk)
                cells.append(" ".join(t for t in texts if t.strip()))
            if header is None and row == 1 and all(not any(ch.isdigit() for ch in c) for c in cells):
                header = cells
                yield TextChunk(location, " | ".join(c for c in cells if c))
            else:
                yield TextChunk(location, labelled_row(cells, header))
            yield from others

    def paragraph_chunks(self, node: Any, table: int | None, row: int | None) -> Iterator[TextChunk]:
        self.paragraph += 1
        if self.paragraph % 500 == 0:
            self.budget.check_time()
        deferred: list[tuple[str, Any]] = []
        text = self.own_text(node, deferred)
        if table is not None:
            location = Location(part=self.part, table=table, row=row)
        elif self.part == "body":
            location = Location(paragraph=self.paragraph)
        else:
            location = Location(part=self.part, line=self.paragraph)
        yield TextChunk(location, text)
        for kind, item in deferred:
            if kind == "comment":
                yield from self.comment(item)
            elif kind == "note":
                self.notes += 1
                yield TextChunk(Location(part="footnote", number=self.notes), self.block_text(item))
            elif kind == "link":
                yield from self.link(item)
            elif _qname(item) == (TABLE, "table"):
                self.tables += 1
                yield from self.walk_table(item, self.tables)
            else:
                yield from self.paragraph_chunks(item, table, row)

    def block_text(self, node: Any) -> str:
        chunks = list(_Walker(self.budget, self.part).walk(node))
        return "\n".join(chunk.text for chunk in chunks)

    def comment(self, node: Any) -> Iterator[TextChunk]:
        self.comments += 1
        yield TextChunk(Location(part="comment", number=self.comments), self.block_text(node))

    def link(self, href: str) -> Iterator[TextChunk]:
        self.links += 1
        yield TextChunk(Location(part="link", number=self.links), href)


def extract_odt(data: bytes, budget: Budget) -> Iterator[TextChunk]:
    from odf.opendocument import load

    archive = open_zip(data, budget)
    manifest = read_member(archive, "META-INF/manifest.xml") or b""
    if b"encryption-data" in manifest:
        raise EncryptedDocument("ODF encryption-data")
    if read_member(archive, "content.xml") is None:
        raise CorruptDocument("no content.xml")
    document = load(io.BytesIO(data))
    yield from _Walker(budget, "body").walk(document.text)
    for page in document.masterstyles.childNodes if document.masterstyles else []:
        for child in page.childNodes:
            local = _qname(child)[1]
            part = HEADERS.get(local) or FOOTERS.get(local)
            if part and _qname(child)[0] == STYLE:
                yield from _Walker(budget, part).walk(child)
    meta = "\n".join(
        str(node) for node in (document.meta.childNodes if document.meta else []) if str(node).strip()
    )
    if meta:
        yield TextChunk(Location(part="properties"), meta)
