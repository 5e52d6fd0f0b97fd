"""Pagination for list pages: every list is paginated (guide: "pagination everywhere")."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    """The requested page; a bad or out-of-range page number gives the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
