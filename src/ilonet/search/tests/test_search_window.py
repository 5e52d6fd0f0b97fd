"""The window of a search is the newest matches the caller may open, whatever way the backend
finds them (on PostgreSQL: the newest ids first, the range widened when it holds too few; many
access keys looked up in a hashed constant array)."""

import pytest
from django.db import connection

from ilonet.search import selectors
from ilonet.search.backends import Ranked, backend, postgres
from ilonet.search.models import Entry
from ilonet.search.query import Query

pytestmark = pytest.mark.django_db

MANY_KEYS = ["space:1", *[f"space:{n}" for n in range(100, 140)]]  # more than the keys' index takes


def _ranked(keys: list[str], window: int) -> set[int]:
    engine = backend()
    entries = selectors.filtered(keys, keys_checked_by_backend=engine.checks_keys)
    return {hit.pk for hit in engine.ranked(entries, Query.parse("needle"), keys=keys, window=window)}


PLANS = {
    # PostgreSQL's plans of a search with few keys (``ranked``): the words' index over ranges of
    # ids (the keys open many rows), the two indexes intersected in one statement (few rows,
    # words rarer than ``COMMON``), the keys' rows walked newest first (few rows, common words).
    "ranges": (0.0, -1),
    "keyed window": (0.0, postgres.KEYED_ROWS_MAX),
    "walk": (1.0, postgres.KEYED_ROWS_MAX),
}


PLAN_FUNCTIONS = {"_keyed_window": postgres._keyed_window, "_walk": postgres._walk}


def _plan(monkeypatch, plan: str) -> None:
    fraction, keyed_rows_max = PLANS[plan]
    monkeypatch.setattr(postgres, "match_fraction", lambda forms: fraction)
    monkeypatch.setattr(postgres, "KEYED_ROWS_MAX", keyed_rows_max)


@pytest.mark.parametrize("plan", list(PLANS))
@pytest.mark.parametrize("first_range", [2, 5, 1000])
def test_the_window_is_the_newest_matches_the_caller_may_open(add, monkeypatch, first_range, plan):
    """On PostgreSQL, whichever plan finds the matches of a search with few keys (the words'
    index over ranges of ids, the keys' and the words' indexes intersected in one statement,
    the keys' rows walked newest first): the same window. Many keys: the ranges."""
    monkeypatch.setattr(postgres, "FIRST_RANGE", first_range)
    _plan(monkeypatch, plan)
    for n in range(1, 31):
        matching = n in (2, 3, 9, 17, 24, 29)
        access = ("space:2",) if n == 29 else ("space:1",)  # the newest match is not the caller's
        add(n, title=f"Note {n}", body="a needle in the hay" if matching else "only hay", access=access)
    pk = dict(Entry.objects.values_list("object_id", "pk"))
    assert _ranked(MANY_KEYS, 3) == {pk[24], pk[17], pk[9]}
    assert _ranked(MANY_KEYS, 10) == {pk[2], pk[3], pk[9], pk[17], pk[24]}
    assert _ranked(["space:2"], 3) == {pk[29]}


def test_the_keys_rows_are_estimated_from_the_statistics_of_the_keys_index(add):
    """On PostgreSQL the plan for a common word with few keys is chosen by the planner's
    estimate of the rows the keys open (the same window either way: the test above); after
    ANALYZE it is near the real number. SQLite has one plan, whose window is checked too."""
    for n in range(1, 241):
        space = 2 if n % 4 == 0 else 1
        add(n, title=f"Note {n}", body="needle" if n % 3 == 0 else "hay", access=[f"space:{space}"])
    pk = dict(Entry.objects.values_list("object_id", "pk"))
    assert _ranked(["space:2"], 1000) == {pk[n] for n in range(12, 241, 12)}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_entry")
            assert 90 <= postgres._keyed_rows(cursor, ["space:1"]) <= 360  # 180 entries
            assert 30 <= postgres._keyed_rows(cursor, ["space:2"]) <= 120  # 60 entries


@pytest.mark.parametrize("margin", [0, 3, 100])
def test_a_common_words_walk_over_the_keys_rows_ranks_the_same_window_as_the_words_index(
    add, monkeypatch, margin
):
    """On PostgreSQL a common word with few keys reads the ids of the keys' rows, then tests and
    ranks the rows newest first, in slices sized by the share of matches, until the window is
    full. However short the slices (the share taken as every row: slices no longer than what the
    window still needs, plus ``margin``), the window and every score are those of the plans
    through the words' index (the keys' and the words' indexes intersected in one statement, and
    the words' index over ranges of ids), with the caller's filters applied in every statement,
    and each match carries its entry's kind and object. SQLite has one plan: the same answer."""
    monkeypatch.setattr(postgres, "SLICE_MARGIN", margin)
    monkeypatch.setattr(postgres, "FIRST_RANGE", 7)

    def access(n: int) -> tuple[str, ...]:
        return ("space:2",) if n % 5 == 0 else ("space:1", f"doc:{n}")

    def space(n: int) -> str:
        return "b" if n % 7 == 0 else "a"

    for n in range(1, 61):
        body = "a needle in the hay" + (" needle" * (n % 4)) if n % 3 else "only hay"
        add(n, title=f"Note {n}", body=body, access=access(n), space=space(n))
    engine = backend()

    def ranked(plan: str, keys: list[str], window: int, **filters) -> list[Ranked]:
        _plan(monkeypatch, plan)
        used: list[str] = []  # the plan that ran, on PostgreSQL
        for name, function in PLAN_FUNCTIONS.items():
            monkeypatch.setattr(postgres, name, lambda *a, _f=function, _n=name: used.append(_n) or _f(*a))
        entries = selectors.filtered(keys, keys_checked_by_backend=engine.checks_keys, **filters)
        result = engine.ranked(entries, Query.parse("needle"), keys=keys, window=window)
        if connection.vendor == "postgresql":
            assert used == {"ranges": [], "keyed window": ["_keyed_window"], "walk": ["_walk"]}[plan]
        return result

    pk = dict(Entry.objects.values_list("object_id", "pk"))
    for keys, window, filters in (
        (["space:1"], 7, {}),
        (["space:1"], 1000, {}),
        (["space:1", "space:2"], 12, {"space": "a"}),
        (["doc:9", "doc:10", "space:2"], 3, {}),
    ):
        walked = ranked("walk", keys, window, **filters)
        assert walked == ranked("keyed window", keys, window, **filters)
        assert walked == ranked("ranges", keys, window, **filters)
        objects = dict(Entry.objects.values_list("pk", "object_id"))
        assert all((hit.kind, hit.object_id) == ("test.note", objects[hit.pk]) for hit in walked)
        opened = [
            n
            for n in range(60, 0, -1)
            if n % 3 and set(access(n)) & set(keys) and filters.get("space") in (None, space(n))
        ]
        assert {hit.pk for hit in walked} == {pk[n] for n in opened[:window]}
