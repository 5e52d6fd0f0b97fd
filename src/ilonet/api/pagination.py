"""Pagination for every API list, bounded like the pages (``ilonet.shared.paging``).

Every list answers ``{"items": […], "count": n, "count_is_estimate": bool, "next": cursor}``:

- ``count`` is exact up to 10,000 rows; beyond, it is 10,000 and ``count_is_estimate`` is
  true ("more than 10,000"): no request counts millions of rows.
- ``next`` is a cursor naming the last row of the page (``null`` on the last page); pass it as
  ``?cursor=`` for the next page. A cursor reads through the index of the list's ordering
  (keyset), so the millionth page costs what the first does.
- ``?page=`` (with ``page_size`` up to 500) still numbers the pages within the first 10,000
  rows; beyond them, a 422 asks for the cursor, so no request skips over millions of rows.
"""

import base64
import binascii
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase

from ilonet.shared import paging
from ilonet.shared.paging import MAX_CURSOR_LENGTH, BadCursor, Keyset, bounded_count

from .prepared import BoundList

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 500


def _max_offset() -> int:
    """Page numbers reach as far as counts go (``paging.COUNT_CAP``)."""
    return paging.COUNT_CAP


def _cursor_error(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("query", field), "msg": message}])


class BoundedPagination(PaginationBase):
    """The one pagination of the API. ``prepare`` (optional) receives the list of items of the
    page, to load what they show in a constant number of queries (e.g. the members and the
    facilitator of a page of networks). ``keyset=False`` for a list that stays small and is
    ordered by an expression (the directory): its cursor is an offset within the first 10,000
    rows, like the page numbers."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, within the first 10,000 rows")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
        cursor: str | None = Field(
            None, max_length=MAX_CURSOR_LENGTH, description="The `next` of the previous page"
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="Exact up to 10,000; see count_is_estimate")
        count_is_estimate: bool = Field(..., description="True: there are more than `count` rows")
        next: str | None = Field(..., description="Cursor of the next page (?cursor=), null on the last")

    def __init__(
        self,
        page_size: int = 50,
        max_page_size: int = MAX_PAGE_SIZE,
        prepare: Callable[[list], None] | None = None,
        keyset: bool = True,
        **kwargs: Any,
    ) -> None:
        self.keyset = keyset
        self.page_size = page_size
        self.max_page_size = max_page_size
        self.prepare = prepare
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        size = min(pagination.page_size or self.page_size, self.max_page_size)
        if isinstance(queryset, BoundList):  # SQL compiled once per shape (ilonet.api.prepared)
            items, next_cursor = self._prepared_page(queryset, pagination, size)
        elif isinstance(queryset, QuerySet) and self.keyset and _is_keyset(queryset):
            items, next_cursor = self._keyset_page(queryset, pagination, size)
        else:
            items, next_cursor = self._offset_page(queryset, pagination, size)
        if self.prepare is not None:
            self.prepare(items)
        count = queryset.bounded_count() if isinstance(queryset, BoundList) else bounded_count(queryset)
        return {
            "items": items,
            "count": count.value,
            "count_is_estimate": count.is_estimate,
            "next": next_cursor,
        }

    @staticmethod
    def _offset(pagination, size: int) -> int:
        offset = (pagination.page - 1) * size
        if offset >= _max_offset():
            message = _("Page numbers reach the first %(count)s rows; go further with the cursor (next).")
            raise _cursor_error("page", message % {"count": f"{_max_offset():,}"})
        return offset

    def _keyset_page(self, queryset: QuerySet, pagination, size: int) -> tuple[list, str | None]:
        keyset = Keyset(queryset)
        if pagination.cursor:
            try:
                rows, _previous, more = keyset.page(queryset, after=pagination.cursor, before=None, size=size)
            except BadCursor:
                raise _cursor_error("cursor", _("This cursor does not name a row of this list.")) from None
        else:
            offset = self._offset(pagination, size)
            ordered = queryset.order_by(*keyset.ordering(forward=True))
            rows = list(ordered[offset : offset + size + 1])
            more = len(rows) > size
            rows = rows[:size]
        return rows, keyset.encode(rows[-1]) if more and rows else None

    def _prepared_page(self, prepared: BoundList, pagination, size: int) -> tuple[list, str | None]:
        """``_keyset_page`` read through the prepared list's SQL: the same rows and cursor."""
        keyset = prepared.keyset
        if pagination.cursor:
            try:
                after = keyset.decode(pagination.cursor)
            except BadCursor:
                raise _cursor_error("cursor", _("This cursor does not name a row of this list.")) from None
            rows = prepared.rows_after(after, size + 1)
        else:
            rows = prepared.rows(self._offset(pagination, size), size + 1)
        more = len(rows) > size
        rows = rows[:size]
        return rows, keyset.encode(rows[-1]) if more and rows else None

    def _offset_page(self, rows, pagination, size: int) -> tuple[list, str | None]:
        """A list that stays small (computed in Python, e.g. the third countries, or ordered by
        an expression): the cursor is the offset of the next row, within the first 10,000."""
        if pagination.cursor:
            try:
                offset = int(base64.urlsafe_b64decode(pagination.cursor + "==").decode())
            except (binascii.Error, ValueError, UnicodeDecodeError):
                offset = -1
            if not 0 <= offset < _max_offset():
                raise _cursor_error("cursor", _("This cursor does not name a row of this list."))
        else:
            offset = self._offset(pagination, size)
        page = list(rows[offset : offset + size + 1])
        end = offset + size
        more = len(page) > size and end < _max_offset()
        return page[:size], base64.urlsafe_b64encode(str(end).encode()).decode().rstrip("=") if more else None


def _is_keyset(queryset: QuerySet) -> bool:
    """Whether the list's ordering can page by cursor (non-null keys ending with a unique one).
    An ordering that cannot (a nullable date, no unique tie-break) pages by a bounded offset
    instead of failing; a list that grows past ``_max_offset()`` rows needs a keyset ordering."""
    try:
        Keyset(queryset)
    except ImproperlyConfigured:
        return False
    return True


# Every list of the API uses the one bounded class; the old names stay for the routers.
PageNumberPagination = BoundedPagination
