"""Every list is bounded: no page or API list counts all the rows of a table or links every page
(issue 9). Found by themselves, so a new list is covered the day it is written:

- the sources: no module but ``ilonet.shared.paging`` uses Django's paginator, and no template
  loops over every page number;
- every API operation that answers a list answers it through the bounded pagination (capped
  count, cursor) or the audit trail's cursor pagination (no count), never a bare list;
- every page of the site that shows a paginated list (``page_obj``), opened by a user who may
  see it, counts its rows only through a LIMITed subquery.
"""

import re
from pathlib import Path
from typing import get_origin

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja.pagination import CursorPagination

from ilonet.accounts.models import RoleAssignment
from ilonet.accounts.roles import Role
from ilonet.api.pagination import BoundedPagination

from .test_authorisation_path import API_OPERATIONS
from .test_view_permissions import SITE_PAGES

SRC = Path(__file__).resolve().parent.parent / "src" / "ilonet"


PAGINATOR = r"django\.core\.paginator|\bPaginator\(|ninja\.pagination import .*PageNumber"


def test_only_the_shared_paging_uses_djangos_paginator():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "tests" not in path.parts and path.name != "paging.py" and re.search(PAGINATOR, path.read_text())
    ]
    assert offenders == []


def test_no_template_walks_every_page_number():
    offenders = [
        str(path.relative_to(SRC))
        for path in (SRC / "templates").rglob("*.html")
        if re.search(r"\{%\s*for\b[^%]*(page_range|num_pages)|get_elided_page_range", path.read_text())
    ]
    assert offenders == []


def _list_responses(operation) -> list[tuple[int, type]]:
    found = []
    for status, model in operation.response_models.items():
        annotation = getattr(model, "__annotations__", {}).get("response") if model else None
        if annotation is not None:
            found.append((status, annotation))
    return found


# Lists bounded by what they are, answered whole: one user's own tokens, one board's warnings,
# one agenda, one motion's statements and vote receipts (one per seat at most).
SMALL_BY_NATURE = {
    "GET /api/v1/accounts/tokens",
    "GET /api/v1/board/warnings",
    "POST /api/v1/board/meetings/1/agenda/1/move",
    "GET /api/v1/board/motions/1/statements",
    "GET /api/v1/board/motions/1/receipts",
    # one row per country at most (the map of recent situation reports)
    "GET /api/v1/situation-reports/coverage",
    # the board's own decisions: openings to the Parliament and override authorisations
    "GET /api/v1/exchange/parliament/openings",
    "GET /api/v1/exchange/override-authorisations",
    # one document's versions; the spaces (the board, each network, working groups); one space's folders
    "GET /api/v1/exchange/documents/1/versions",
    "GET /api/v1/exchange/spaces",
    "GET /api/v1/exchange/spaces/1/folders",
    # one user's own follows (spaces and folders they read, the twelve topics of Art. 3(4))
    "GET /api/v1/exchange/follows",
    # the strategy's indicators and its targets: fixed lists declared in code
    "GET /api/v1/returns/indicators/definitions",
    "GET /api/v1/returns/indicators/targets",
    # a name search answers its first page of matches only (never a name in a URL, so no cursor)
    "POST /api/v1/personal-data/records/search",
    "POST /api/v1/returns/cases/search",
    # the registry of event kinds of a return case's timeline: a fixed list declared in code
    "GET /api/v1/returns/event-kinds",
}


def test_every_api_list_is_paginated_with_a_bound():
    bounded_fields = set(BoundedPagination.Output.model_fields) - {"items"}
    cursor_fields = set(CursorPagination.Output.model_fields)
    checked, bare = 0, []
    for _prefix, method, url, operation in API_OPERATIONS:
        for _status, annotation in _list_responses(operation):
            if get_origin(annotation) in (list, tuple, set):
                if f"{method} {url}" not in SMALL_BY_NATURE:
                    bare.append(f"{method} {url}")
                continue
            fields = set(getattr(annotation, "model_fields", {}))
            if {"items", "count"} <= fields or {"results", "next"} <= fields:
                assert bounded_fields <= fields or cursor_fields <= fields, f"{method} {url}: {fields}"
                checked += 1
    assert bare == []
    assert checked >= 20  # the discovery finds the lists of every app


LIST_PAGES = [
    (name, url) for name, url, _view in SITE_PAGES if "<" not in url and not re.search(r"/1(/|$)", url)
]


@pytest.fixture
def everyone(make_user, login):
    """A user holding the roles that open every list page."""
    user = make_user(Role.SECRETARIAT, organisation="com")
    for role in (Role.PLATFORM_ADMIN, Role.CHAIR, Role.DEPLOYING_AUTHORITY, Role.RETURN_COORDINATOR):
        RoleAssignment.objects.create(user=user, role=role)
    return login(user)


@pytest.mark.django_db
def test_every_list_page_counts_its_rows_with_a_bound(everyone):
    lists = 0
    for name, url in LIST_PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = everyone.get(url)
        if response.status_code != 200 or not response.context or "page_obj" not in response.context:
            continue
        lists += 1
        counts = [q["sql"] for q in queries if re.match(r"\s*SELECT COUNT\(", q["sql"], re.IGNORECASE)]
        unbounded = [sql for sql in counts if "LIMIT" not in sql.upper()]
        assert unbounded == [], f"{name} ({url}) counts without a bound: {unbounded}"
    assert lists >= 15, "the discovery finds the list pages of every app"


# Tables small by what they hold, counted whole: the board's seats, meetings, motions and the
# dispatches of its decisions (tens a year), and Django's database cache (it counts itself
# when it culls).
SMALL_TABLES = {"board_seat", "board_meeting", "board_motion", "board_decisiondispatch", "ilonet_cache"}
# Pages whose purpose is exact figures of a chosen period: the evidence for the Commission's
# report on the regulation (Art. 12(2)) counts deployments, networks and platform use exactly.
EXACT_FIGURES = {
    "situation_reports:evidence",
    "situation_reports:evidence_pdf",
    "situation_reports:evidence_csv",
}


@pytest.mark.django_db
def test_no_page_counts_a_growing_table_whole(everyone):
    """The home page's panels, the dashboards and the lists: every count of the rows of a table
    that grows with the work (deployments, notifications, networks, audit events, users) is
    LIMITed. (Grouped aggregates, one row per country or state, are the flat-cost tests' part:
    src/ilonet/deployments/tests/test_flat_cost.py.)"""
    unbounded = []
    for name, url in LIST_PAGES:
        if name in EXACT_FIGURES:
            continue
        with CaptureQueriesContext(connection) as queries:
            everyone.get(url)
        for query in queries:
            sql = query["sql"]
            if not re.match(r"\s*SELECT COUNT\(", sql, re.IGNORECASE) or "LIMIT" in sql.upper():
                continue
            tables = set(re.findall(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', sql, re.IGNORECASE)) - {"SELECT"}
            if tables - SMALL_TABLES:
                unbounded.append(f"{name} ({url}): {sorted(tables - SMALL_TABLES)}")
    assert unbounded == []
