"""Where in a document a piece of text was found, told in the reader's language: "page 3,
line 12", "sheet “Data”, row 5", "header", "comment 2". Serialisable, so that a refusal report
can be kept without the document."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from django.utils.translation import gettext

# The parts of a document besides its body.
PARTS = (
    "body",
    "header",
    "footer",
    "comment",
    "footnote",
    "endnote",
    "annotation",
    "link",
    "properties",
    "sheet_name",
    "form_field",
    "text_box",
    "cached_data",
    "embedded",
    "field",
    "page_text",
    "alt_text",
    "defined_name",
    "custom_xml",
    "unused_strings",
)


def _part_label(part: str) -> str:
    labels = {
        "header": gettext("header"),
        "footer": gettext("footer"),
        "comment": gettext("comment"),
        "footnote": gettext("footnote"),
        "endnote": gettext("endnote"),
        "annotation": gettext("annotation"),
        "link": gettext("link target"),
        "properties": gettext("document properties"),
        "sheet_name": gettext("sheet name"),
        "form_field": gettext("form field"),
        "text_box": gettext("text box"),
        "cached_data": gettext("cached data (charts, pivot tables, links to other files)"),
        "embedded": gettext("embedded document"),
        "page_text": gettext("text pieced together from separate pieces of the page"),
        "alt_text": gettext("alternative text or tooltip"),
        "defined_name": gettext("defined name"),
        "custom_xml": gettext("custom XML data"),
        "unused_strings": gettext("text kept in the file but shown in no cell"),
    }
    return labels.get(part, "")


@dataclass(frozen=True)
class Location:
    """A place in a document. Every field is optional; ``label()`` joins those that are set."""

    part: str = "body"
    page: int | None = None
    sheet: str | None = None
    table: int | None = None
    row: int | None = None
    cell: str | None = None
    paragraph: int | None = None
    line: int | None = None
    number: int | None = None  # the n-th comment, footnote, link
    field: str | None = None  # scan_text: the label of the form field

    def at_line_offset(self, lines: int) -> Location:
        """The same place, ``lines`` lines further down (a finding inside a multi-line chunk)."""
        if lines and self.line is not None:
            return replace(self, line=self.line + lines)
        return self

    def label(self) -> str:
        """The place in the active language, e.g. "page 3, line 12"."""
        pieces: list[str] = []
        if self.field is not None:
            pieces.append(gettext("field “%(name)s”") % {"name": self.field})
        if self.page is not None:
            pieces.append(gettext("page %(number)s") % {"number": self.page})
        if self.sheet is not None:
            pieces.append(gettext("sheet “%(name)s”") % {"name": self.sheet})
        part = _part_label(self.part)
        if part:
            pieces.append(part if self.number is None else f"{part} {self.number}")
        if self.table is not None:
            pieces.append(gettext("table %(number)s") % {"number": self.table})
        if self.row is not None:
            pieces.append(gettext("row %(number)s") % {"number": self.row})
        if self.cell is not None:
            pieces.append(gettext("cell %(ref)s") % {"ref": self.cell})
        if self.paragraph is not None:
            pieces.append(gettext("paragraph %(number)s") % {"number": self.paragraph})
        if self.line is not None:
            pieces.append(gettext("line %(number)s") % {"number": self.line})
        return ", ".join(pieces) or gettext("document")

    __str__ = label

    def as_dict(self) -> dict[str, str | int]:
        return {key: value for key, value in asdict(self).items() if value is not None}
