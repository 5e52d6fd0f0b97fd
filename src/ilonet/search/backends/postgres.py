"""PostgreSQL full-text search: the generated ``tsvector`` column ``document`` (title weight A,
body weight B, stemmed by the configuration of the entry's language: english, dutch, french,
german, or simple) and the access keys, each searched through its GIN index, ranked by
``ts_rank``."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ..models import Entry
from ..query import Query, tsquery_text
from . import Ranked, where
from .sqlite import INDEX_KEYS_MAX

# ts_rank normalisation 1: the rank divided by 1 + the logarithm of the document's length.
NORMALISATION = 1
# What the window's statements return of each kept entry: its id, date, score, kind and object.
RANKED_COLUMNS = f"id, date, ts_rank(document, %s::tsquery, {NORMALISATION}), kind, object_id"
# The newest matches are looked for among the newest entries first: a range of ids this wide, then
# as wide as the matches found so far say is needed (at least four times wider), then everything.
FIRST_RANGE = 20_000
UNBOUNDED = 2**63 - 1  # the largest bigint: no ceiling
# With few access keys opening at most KEYED_ROWS_MAX entries, a query whose words are in at
# least this share of the entries is checked on the rows the keys find, newest first (``_walk``);
# a rarer one is intersected with the words' index in one statement (see ``ranked``). Measured
# at 200,000 entries of 10 KB bodies (docs/benchmarks.md): the one statement is cheaper up to a
# share of 0.58, where the planner stops intersecting the two indexes.
COMMON = 0.5
KEYED_ROWS_MAX = 10_000
SLICE_MARGIN = 16  # rows read beyond what the share of matches says a slice needs (``_walk``)
MIN_SHARE = 0.01  # the least share of matches a slice is sized by, once rows have been read
STATISTICS_AGE = 300  # seconds the words' frequencies (pg_stats) are kept by a process
LEXEME = re.compile(r"'((?:[^']|'')*)'")
_frequencies: dict[str, tuple[float, dict[str, float]]] = {}


def _word_frequencies() -> dict[str, float]:
    """The share of the entries holding each of the most common words of the index, as the
    planner's statistics (ANALYZE) give them: the 1,000 most common words, by default."""
    name = str(connection.settings_dict["NAME"])
    cached = _frequencies.get(name)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = 'search_entry' AND attname = 'document'"
        )
        row = cursor.fetchone()
    frequencies = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _frequencies[name] = (time.monotonic() + STATISTICS_AGE, frequencies)
    return frequencies


def _keyed_rows(cursor: Any, keys: list[str]) -> int:
    """About how many entries hold one of ``keys``: the planner's estimate, from the statistics
    of the keys' index (its most common keys: each space's), which only chooses between two
    plans of the same result. Counting them (up to ``KEYED_ROWS_MAX``) read every row the keys
    open, a third of a member's search (12 ms of its 60 at 200,000 entries; the estimate was
    4,718 for 4,969 rows, EXPLAIN ANALYZE in docs/benchmarks.md)."""
    cursor.execute(
        "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_entry WHERE string_to_array(access, ' ') && %s::text[]",
        [keys],
    )
    plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def match_fraction(forms: list[list[str]]) -> float:
    """About what share of the entries the query matches, at most: each term's forms' shares
    added (a word in any of its forms), the rarest term's. A word outside the statistics' most
    common words counts as rare (0)."""
    frequencies = _word_frequencies()
    fraction = 1.0
    for term_forms in forms:
        term = 0.0
        for form in {f for f in term_forms if f}:
            lexemes = [lexeme.replace("''", "'") for lexeme in LEXEME.findall(form)]
            term += min((frequencies.get(lexeme, 0.0) for lexeme in lexemes), default=0.0)
        if any(term_forms):
            fraction = min(fraction, term)
    return min(fraction, 1.0)


class PostgresBackend:
    # With access keys, ``ranked`` checks them on the entry's own row (``access``), so the
    # caller leaves out the check through ``search_grant`` (a semi-join that read the whole
    # grant table for every query: 140 ms at 40,000 entries, growing with the index).
    checks_keys = True

    def write(self, entry: Entry) -> None:
        """Nothing to do: PostgreSQL computes ``document`` whenever the row is written."""

    def delete(self, entry_ids: list[int]) -> None:
        """Nothing to do: ``document`` goes with the row."""

    def ranked(
        self, entries: QuerySet[Entry], query: Query, *, keys: list[str] | None, window: int
    ) -> list[Ranked]:
        condition = where(entries)
        if condition is None:
            return []
        forms_sql, forms_params = query.tsquery_forms()
        with connection.cursor() as cursor:
            # The query as a constant: the planner then knows from the column's statistics how
            # rare its words are (read the GIN matches, or walk the newest rows and stop early).
            # The newest id comes in the same round trip.
            cursor.execute(f"SELECT (SELECT max(id) FROM search_entry), {forms_sql}", forms_params)  # noqa: S608
            newest, *forms = cursor.fetchone()
            literal = tsquery_text(forms)
            if not literal:
                return []
            access, access_params = "", []
            if keys is not None and len(keys) <= INDEX_KEYS_MAX:
                # Few keys: the GIN index of the keys meets the words' (a BitmapAnd).
                access, access_params = "string_to_array(search_entry.access, ' ') && %s::text[] AND ", [keys]
                fraction = match_fraction(forms)
                if _keyed_rows(cursor, keys) <= KEYED_ROWS_MAX:
                    if fraction >= COMMON:
                        # Words in half of the entries or more, keys opening few rows: reading the
                        # words' index costs more than checking the words on the rows the keys
                        # find, newest first, stopping at the window (docs/benchmarks.md).
                        return _best_first(_walk(cursor, literal, keys, condition, window, fraction))
                    # Otherwise the keys' rows bound what is read: the two indexes intersected
                    # over every entry at once, in one statement. The ranges below would read
                    # the words' index again in each (a medium word in a quarter of 200,000
                    # entries: 10 ms a statement, and most searches took two).
                    return _best_first(_keyed_window(cursor, literal, keys, condition, window))
            elif keys is not None:
                # Many keys (the board: every space) open most rows: checked on each candidate
                # row, never through the keys' index (whose bitmap would cover the table). Each
                # of the row's few keys is looked up in the caller's list as a constant array,
                # which PostgreSQL hashes once per query; ``array && array`` instead compared
                # every key of the row with every key of the list on each row (400 keys: 80 µs a
                # row, four fifths of a search's time; EXPLAIN ANALYZE in docs/benchmarks.md).
                access = (
                    "EXISTS (SELECT 1 FROM unnest(string_to_array(search_entry.access, ' ')) AS k(key) "
                    "WHERE k.key = ANY(%s::text[])) AND "
                )
                access_params = [keys]
            # Only constants and placeholders go into the SQL; the WHERE clause is Django's own.
            # The inner query selects (and sorts) only ids: carrying each match's ``document``
            # (about 1 KB) through the sort of a common word's matches tripled the statement's
            # time. ``ts_rank`` is then computed for the rows kept only, read again by their id.
            window_sql = (
                "SELECT " + RANKED_COLUMNS + " "  # noqa: S608
                "FROM search_entry WHERE id IN (SELECT search_entry.id FROM search_entry "
                "WHERE search_entry.document @@ %s::tsquery AND " + access + "(" + condition[0] + ") "
                "AND search_entry.id > %s AND search_entry.id <= %s ORDER BY search_entry.id DESC LIMIT %s)"
            )
            # The window is the newest matches: the GIN index gives every match in no order, and
            # each one is then read from the table (a word in 5 % of 200,000 entries: 10,000 rows
            # read to keep 1,001). So the newest entries are searched first (the index's matches
            # AND a range of the primary key, both as bitmaps, before any row is read); only if
            # they hold fewer matches than the window is the search carried on below that range
            # (never again over it), over a range as wide as the matches found so far say is
            # needed, and at last over every older entry. The result is the same as one search
            # over everything: every match left out is older than the window's.
            found: list[tuple[int, Any, float, str, int]] = []
            newest = newest or 0
            ceiling = UNBOUNDED  # the first range has none: an entry written since max(id) is found too
            width = FIRST_RANGE
            while True:
                floor = newest - width if width < newest else 0
                limits = [floor, ceiling, window - len(found)]
                cursor.execute(window_sql, [literal, literal, *access_params, *condition[1], *limits])
                found.extend(cursor.fetchall())
                if len(found) >= window or floor == 0:
                    break
                needed = width * window // max(1, len(found)) * 2
                ceiling, width = floor, max(width * 4, needed)
        return _best_first(found)


def _keyed_window(
    cursor: Any, literal: str, keys: list[str], condition: tuple[str, list[Any]], window: int
) -> list[tuple[int, Any, float, str, int]]:
    """The newest ``window`` matches among the rows the keys open, in one statement: the words'
    GIN index and the keys' intersected (a BitmapAnd), the matches' ids sorted, the newest kept
    and ranked. ``id + 0`` orders them by no index, so that the planner never walks the primary
    key backwards testing each row's words (its plan for words in half of the entries or more
    with ``ORDER BY id``: 0.7 to 1.8 s at 200,000 entries, docs/benchmarks.md)."""
    cursor.execute(
        "SELECT " + RANKED_COLUMNS + " "  # noqa: S608
        "FROM search_entry WHERE id IN (SELECT search_entry.id FROM search_entry "
        "WHERE search_entry.document @@ %s::tsquery "
        "AND string_to_array(search_entry.access, ' ') && %s::text[] AND (" + condition[0] + ") "
        "ORDER BY search_entry.id + 0 DESC LIMIT %s)",
        [literal, literal, keys, *condition[1], window],
    )
    return cursor.fetchall()


def _walk(
    cursor: Any, literal: str, keys: list[str], condition: tuple[str, list[Any]], window: int, fraction: float
) -> list[tuple[int, Any, float, str, int]]:
    """The window of a common word among the few rows the keys open: their ids first (the keys'
    GIN index and the rows' own columns, no ``tsvector`` read), then, newest first and in
    slices about as long as the share of matches says the window needs, each row's words tested
    and the matches ranked, until the window is full. Only the rows of the slices are read
    whole; before, every row the keys open was (about 5,000 ``tsvector``s of 10 KB bodies for a
    member of 10 of 400 spaces, to keep 1,001; EXPLAIN ANALYZE in docs/benchmarks.md). Each
    slice checks the keys and the caller's conditions again on its rows (a row changed since
    the ids were read is judged as it is now), and ``ts_match_vq`` is ``@@`` as a function:
    the same test, which no index answers, so the slice is read by its ids."""
    access = "string_to_array(search_entry.access, ' ') && %s::text[]"
    cursor.execute(
        "SELECT search_entry.id FROM search_entry WHERE " + access + " AND (" + condition[0] + ")",  # noqa: S608
        [keys, *condition[1]],
    )
    ids = sorted((row[0] for row in cursor.fetchall()), reverse=True)
    slice_sql = (
        "SELECT " + RANKED_COLUMNS + " "  # noqa: S608
        "FROM search_entry WHERE search_entry.id = ANY(%s::bigint[]) "
        "AND ts_match_vq(search_entry.document, %s::tsquery) AND " + access + " AND (" + condition[0] + ")"
    )
    found: list[tuple[int, Any, float, str, int]] = []
    share = max(min(fraction, 1.0), COMMON)  # at most this share of the rows match (the statistics)
    start = 0
    while start < len(ids) and len(found) < window:
        # A tenth more than the share says, so that one slice is enough for a common word.
        length = int((window - len(found)) / share * 1.1) + SLICE_MARGIN
        chunk = ids[start : start + length]
        cursor.execute(slice_sql, [literal, chunk, literal, keys, *condition[1]])
        found.extend(cursor.fetchall())
        start += len(chunk)
        share = max(len(found) / start, MIN_SHARE)  # as the rows read so far say
    found.sort(key=lambda row: -row[0])
    return found[:window]


def _best_first(found: list[tuple[int, Any, float, str, int]]) -> list[Ranked]:
    """Best first; ties: the newest date first (no date last), then the newest entry."""
    found.sort(key=lambda row: (-row[2], row[1] is None, -(row[1].toordinal() if row[1] else 0), -row[0]))
    return [Ranked(pk, float(score), kind, object_id) for pk, _date, score, kind, object_id in found]
