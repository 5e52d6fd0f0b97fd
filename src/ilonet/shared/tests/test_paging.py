"""Bounded pagination (``ilonet.shared.paging``): capped counts, keyset pages that visit every
row once in order forwards and backwards, a bounded window of page links."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from ilonet.accounts.models import User
from ilonet.directory.models import Organisation
from ilonet.shared import paging

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """23 people in 5 surnames: ties in the leading ordering key, broken by id."""
    organisation = Organisation.objects.get(code="nl")
    User.objects.bulk_create(
        [
            User(email=f"p{i:02d}@example.eu", last_name=f"Name{i % 5}", organisation=organisation)
            for i in range(23)
        ]
    )
    return User.objects.filter(email__endswith="@example.eu", email__startswith="p").order_by(
        "last_name", "-id"
    )


def _get(query: str = ""):
    return RequestFactory().get("/list/" + query)


def test_a_count_stops_at_the_cap(people, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    with CaptureQueriesContext(connection) as queries:
        counted = paging.bounded_count(people)
    assert counted == paging.BoundedCount(10, True)
    assert "LIMIT 11" in queries[0]["sql"]
    assert paging.bounded_count(people, cap=100) == paging.BoundedCount(23, False)


def test_a_count_reads_only_the_keys_of_the_rows_it_counts(people):
    """The LIMITed subquery selects the primary key alone, not every column of 10,001 rows."""
    with CaptureQueriesContext(connection) as queries:
        paging.bounded_count(people)
    inner = queries[0]["sql"].split("FROM (", 1)[1]
    assert inner.split(" FROM ", 1)[0] == 'SELECT "accounts_user"."id" AS "pk"'
    assert paging.bounded_count(people.values("email", "last_name")) == paging.BoundedCount(23, False)


def _count_sql(rows) -> str:
    with CaptureQueriesContext(connection) as queries:
        counted = paging.bounded_count(rows)
    assert counted == paging.BoundedCount(len(list(rows)), False)
    return queries[0]["sql"]


def test_a_count_leaves_out_the_joins_only_the_selected_columns_need(people):
    """A list page's plain rows read columns of related rows (values() across foreign keys);
    counting them needs none of those joins (at millions of rows they were most of a page)."""
    assert "JOIN" not in _count_sql(
        people.values("email", "organisation__code", "organisation__parent__code")
    )


def test_a_count_keeps_the_joins_a_filter_or_a_multiplying_relation_needs(people):
    from ilonet.accounts.models import RoleAssignment

    filtered = people.filter(organisation__code="nl").values("email", "organisation__code")
    assert "JOIN" in _count_sql(filtered)
    for person in list(people)[:3]:
        RoleAssignment.objects.create(user=person, role="secretariat")
        RoleAssignment.objects.create(user=person, role="return_officer")
    many = people.values("email", "role_assignments__role")  # a row per role: the join counts
    assert len(list(many)) == 26
    assert "JOIN" in _count_sql(many)


def test_keyset_pages_visit_every_row_once_in_order_forwards_and_back(people):
    expected = list(people)
    pages, page = [], paging.keyset_paginate(_get(), people, per_page=5)
    while True:
        pages.append(list(page))
        if not page.has_next():
            break
        page = paging.keyset_paginate(_get(page.next_query), people, per_page=5)
    assert [row for rows in pages for row in rows] == expected and len(pages) == 5
    for expected_page in reversed(pages[:-1]):
        page = paging.keyset_paginate(_get(page.previous_query), people, per_page=5)
        assert list(page) == expected_page
    assert not page.has_previous()


def test_a_cursor_that_does_not_decode_gives_the_first_page(people):
    for bad in ("%%%", "bm90IGpzb24", "WzEsMiwzXQ", "x" * 2000):
        page = paging.keyset_paginate(_get(f"?after={bad}"), people, per_page=5)
        assert list(page) == list(people[:5]) and not page.has_previous()


def test_links_keep_the_filters_and_drop_the_old_cursor(people):
    first = paging.keyset_paginate(_get("?search=x&page=3"), people, per_page=5)
    assert first.next_query.startswith("?search=x&after=") and "page=" not in first.next_query
    second = paging.keyset_paginate(_get(first.next_query), people, per_page=5)
    assert second.first_query == "?search=x" and "after=" not in second.previous_query


def test_a_keyset_needs_a_unique_last_key_and_no_null():
    with pytest.raises(ImproperlyConfigured):
        paging.Keyset(User.objects.order_by("last_name"))
    with pytest.raises(ImproperlyConfigured):
        paging.Keyset(Organisation.objects.order_by("parent", "id"))


class _Many:
    """A list of a million pages without the rows."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, index):
        return list(range(index.start, min(index.stop, self.n)))


@pytest.mark.parametrize("number", [1, 2, 500_000, 1_000_000])
def test_the_page_links_are_a_bounded_window_whatever_the_number_of_pages(number):
    page = paging.BoundedPaginator(_Many(50_000_000), 50).get_page(number)
    request = _get(f"?page={number}")
    html = render_to_string("includes/pagination.html", {"page_obj": page}, request=request)
    assert html.count("<li") <= 9 and len(html) < 8000  # not a link, nor a blank line, per page
    assert "?page=1" in html or number == 1


def test_beyond_the_cap_the_last_page_is_not_linked(people, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    page = paging.paginate(_get("?page=1"), people, per_page=2)
    assert page.paginator.count == 10 and page.paginator.count_is_estimate
    assert page.window == [1, 2, 3]
    exact = paging.paginate(_get("?page=1"), people[:10], per_page=2)
    assert exact.window == [1, 2, 3, None, 5]
