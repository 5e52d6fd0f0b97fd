"""The project's bounded page-number pagination (``ilonet.api.pagination``), with a hook that
prepares the items of one page in a constant number of queries (e.g. the members and the
facilitator of a page of networks)."""

from collections.abc import Callable
from typing import Any

from ilonet.api.pagination import PageNumberPagination


class BoundedPagination(PageNumberPagination):
    """Bounded ``page`` and ``page_size`` (a 422, never a database overflow); ``prepare``
    (optional) receives the list of items of the page."""

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
