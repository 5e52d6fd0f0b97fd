"""Pagination for every API list: page numbers and sizes are bounded, so no request can ask for
an offset the database cannot represent (a 500) or a page of unbounded size."""

from collections.abc import Callable
from typing import Any

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 500


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, page_size: int = 50, max_page_size: int = MAX_PAGE_SIZE, **kwargs) -> None:
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)


class BoundedPagination(PageNumberPagination):
    """The same bounds, with a hook that prepares the items of one page in a constant number of
    queries (e.g. the members and the facilitator of a page of networks): ``prepare`` receives
    the list of items of the page."""

    def __init__(self, prepare: Callable[[list], None] | None = None, **kwargs: Any) -> None:
        self.prepare = prepare
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        if self.prepare is not None:
            items = list(result[self.items_attribute])
            self.prepare(items)
            result[self.items_attribute] = items
        return result
