"""One page of a keyset-paged list, materialised inside the row scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ilonet.shared.paging import PAGE_SIZE, BadCursor, Keyset


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    next_cursor: str | None  # pass as ``after=`` for the next page
    previous_cursor: str | None  # pass as ``before=`` for the previous page


def keyset_page(
    queryset: QuerySet, *, after: str | None, before: str | None, size: int = PAGE_SIZE
) -> tuple[list, Page]:
    """The objects of one page (through the ordering's index) and its cursors; a cursor that
    does not decode gives the first page."""
    keyset = Keyset(queryset)
    size = max(1, min(int(size), 100))
    try:
        objects, has_previous, has_next = keyset.page(
            queryset, after=after or None, before=before or None, size=size
        )
    except BadCursor:
        objects, has_previous, has_next = keyset.page(queryset, after=None, before=None, size=size)
    return objects, Page(
        rows=[],
        next_cursor=keyset.encode(objects[-1]) if objects and has_next else None,
        previous_cursor=keyset.encode(objects[0]) if objects and has_previous else None,
    )
