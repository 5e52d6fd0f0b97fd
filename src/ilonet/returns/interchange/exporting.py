"""Exports of one member state's return cases and their timelines, any size, streamed: the cases
opened in a period, each followed by its events, as CSV or JSON lines in the import's own format
(docs/returns-interchange.md), so that an export can be imported elsewhere.

On PostgreSQL the database writes the lines itself, the whole period in one ``COPY (query) TO
STDOUT`` (CSV, or ``json_build_object`` for JSON lines), in order of opening date and case, and
Python only passes the blocks on (the measured ratio to a raw ``COPY TO``:
bench/returns_import.py), and a response never waits for the whole file. The whole export reads
one snapshot (one transaction, scoped to the member state: row-level security applies). Elsewhere
(SQLite, or with the identities) cases are read in chunks of ``CHUNK`` by the index on (member
state, opening date, id) and Python writes the lines.

Without ``with_identity`` the personal columns stay empty (``person_ref`` is the opaque reference
of the person's key); with it, each person's identity is opened with their own key (slower, and an
access to personal data the caller must log).

No cell can start a spreadsheet formula: external ids start with a letter or digit, codes and
dates are fixed forms, and an event's ``fields`` cell is a JSON object (``{…``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db import connection

from ilonet.returns import rls
from ilonet.returns.events import Kind
from ilonet.returns.models import CaseEvent, ReturnCase

from . import persons
from .rows import CSV_HEADER

CHUNK = 5000
OPENED = Kind.CASE_OPENED.value


def _case_ids(member_state: str, opened_from: date, opened_to: date) -> Iterator[list[int]]:
    last = (date.min, 0)
    while True:
        qs = ReturnCase.objects.filter(
            member_state=member_state, opened_on__gte=opened_from, opened_on__lte=opened_to
        )
        qs = qs.filter(opened_on__gte=last[0]).exclude(opened_on=last[0], pk__lte=last[1])
        chunk = list(qs.order_by("opened_on", "pk").values_list("opened_on", "pk")[:CHUNK])
        if not chunk:
            return
        last = chunk[-1]
        yield [pk for _day, pk in chunk]


def header(fmt: str) -> str:
    return ",".join(CSV_HEADER) + "\r\n" if fmt == "csv" else ""


def export_lines(
    *, member_state: str, opened_from: date, opened_to: date, fmt: str = "jsonl", with_identity: bool = False
) -> Iterator[str]:
    """The export's text, in pieces (a header line first for CSV)."""
    if fmt not in ("csv", "jsonl"):
        raise ValueError("format: csv or jsonl")
    member_state = member_state.upper()
    yield header(fmt)
    with rls.member_state_scope([member_state]):
        if connection.vendor == "postgresql" and not with_identity:
            yield from _postgres_copy(member_state, opened_from, opened_to, fmt)
            return
        for ids in _case_ids(member_state, opened_from, opened_to):
            yield from _python_chunk(ids, fmt, with_identity)


# --- PostgreSQL: the database writes the lines ----------------------------------------------------------

# An imported row's external id is on its event (a case's on its opening event, number 1); a
# row made on the platform has none and is named by the case's reference (and the event's number).
# The cases in order of opening date and id by their index, each followed by its events in order
# by the events' (case, number) index: a nested loop whose output is already in the file's order
# but for each case's few lines (an incremental sort), instead of a join of every event and a
# sort of the whole period (measured: 3.0 s for a member state's 238,580 lines, 1.1 s now).
_PERIOD = """
FROM returns_returncase c
CROSS JOIN LATERAL (
    SELECT COALESCE((SELECT o.external_id FROM returns_caseevent o
                     WHERE o.case_id = c.id AND o.seq = 1 AND o.kind = 'case_opened'), c.reference) AS ext
    OFFSET 0
) k
CROSS JOIN LATERAL (
    SELECT 0 AS seq, {case}
    UNION ALL
    SELECT e.seq, {event} FROM returns_caseevent e WHERE e.case_id = c.id AND e.kind <> 'case_opened'
) x
WHERE c.member_state = %(state)s AND c.opened_on BETWEEN %(first)s AND %(last)s
ORDER BY c.opened_on, c.id, x.seq
"""
_EVENT_ID = "COALESCE(e.external_id, c.reference || '/' || e.seq)"
_SUPERSEDES = """CASE WHEN e.supersedes_seq IS NULL THEN NULL
    ELSE COALESCE((SELECT s.external_id FROM returns_caseevent s
                   WHERE s.case_id = e.case_id AND s.seq = e.supersedes_seq AND s.kind <> 'case_opened'),
                  c.reference || '/' || e.supersedes_seq) END"""
# CSV: the header's columns (the personal ones empty), one row a line
_CSV_CASE = {
    "record": "'case'",
    "external_id": "k.ext",
    "member_state": "c.member_state",
    "case_type": "c.case_type",
    "opened_on": "c.opened_on::text",
    "third_country": "c.third_country",
    "person_ref": "c.person_ref",
}
_CSV_EVENT = {
    "record": "'event'",
    "external_id": _EVENT_ID,
    "case_external_id": "k.ext",
    "kind": "e.kind",
    "occurred_on": "e.occurred_on::text",
    "fields": "e.fields::text",
    "supersedes": _SUPERSEDES,
}


def _csv_columns(given: dict[str, str]) -> str:
    return ", ".join(f"{given.get(name, 'NULL')}::text AS {name}" for name in CSV_HEADER)


# JSON lines: each line's text made by concatenation, without ``json_build_object``'s object per
# line (measured: a third of the export's time). The ids (an imported row's, or a reference an
# officer typed) are quoted and escaped by ``to_json``, the case's once (``to_json(k.ext)::text``); the
# codes (member state, case type, country, kind, the person's reference) and dates are the
# platform's own, checked on every write, and go in as they are; an event's fields are its stored
# JSON; a correction's ``supersedes`` only when there is one.
_JSON_CASE = (
    """'{"record":"case","external_id":' || to_json(k.ext)::text || ',"member_state":"' || c.member_state"""
    """ || '","case_type":"' || c.case_type || '","opened_on":"' || c.opened_on::text"""
    """ || '","third_country":"' || c.third_country || '","person_ref":"' || c.person_ref || '"}'"""
)
_JSON_EVENT = (
    f"""'{{"record":"event","external_id":' || to_json({_EVENT_ID})::text"""
    """ || ',"case_external_id":' || to_json(k.ext)::text || ',"kind":"' || e.kind"""
    """ || '","occurred_on":"' || e.occurred_on::text || '","fields":' || e.fields::text"""
    f""" || COALESCE(',"supersedes":' || to_json({_SUPERSEDES})::text, '') || '}}'"""
)


def _postgres_copy(member_state: str, opened_from: date, opened_to: date, fmt: str) -> Iterator[str]:
    """The whole period in one ``COPY (query) TO STDOUT``: the server reads in order and writes,
    the rows come in blocks as they are produced."""
    if fmt == "csv":
        period = _PERIOD.format(case=_csv_columns(_CSV_CASE), event=_csv_columns(_CSV_EVENT))
        columns = ", ".join(f"x.{name}" for name in CSV_HEADER)
        query = f"COPY (SELECT {columns} {period}) TO STDOUT WITH (FORMAT csv)"  # noqa: S608
    else:  # one JSON text per line; the never-used quote and delimiter keep COPY from escaping it
        period = _PERIOD.format(case=f"{_JSON_CASE} AS line", event=_JSON_EVENT)
        query = (
            f"COPY (SELECT x.line {period}) TO STDOUT "  # noqa: S608
            "WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
        )
    with connection.cursor() as cursor:
        # No JIT compilation for this statement: above the server's cost threshold (a year of a
        # large member state) it compiled the per-line expressions for about 0.3 s, a third of
        # the whole export of 25,000 cases (measured at 1,000,000 cases), and never earned it back.
        cursor.execute("SET LOCAL jit = off")  # the transaction is the export's (``member_state_scope``)
        params = {"state": member_state, "first": opened_from, "last": opened_to}
        with cursor.cursor.copy(query, params) as copy:
            for block in copy:
                yield bytes(block).decode()


# --- any database: Python writes the lines ------------------------------------------------------------


def _python_chunk(ids: list[int], fmt: str, with_identity: bool) -> Iterator[str]:
    # the imported rows' external ids, by (case, event number); a case's own (its opening event's)
    # under (case, None)
    keys: dict[tuple[int, int | None], str] = {}
    events: dict[int, list[tuple]] = {}
    for case_id, seq, kind, occurred_on, fields, supersedes, ext in (
        CaseEvent.objects.filter(case_id__in=ids)
        .order_by("case_id", "seq")
        .values_list("case_id", "seq", "kind", "occurred_on", "fields", "supersedes_seq", "external_id")
    ):
        if kind == OPENED:
            if ext is not None and seq == 1:
                keys[(case_id, None)] = ext
            continue
        if ext is not None:
            keys[(case_id, seq)] = ext
        events.setdefault(case_id, []).append((case_id, seq, kind, occurred_on, fields, supersedes))
    cases = ReturnCase.objects.filter(pk__in=ids).values_list(
        "pk",
        "reference",
        "member_state",
        "case_type",
        "opened_on",
        "third_country",
        "person_ref",
        "identity_sealed",
    )
    by_id = {row[0]: row for row in cases}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # in the order of ``ids`` (opening date, then id), as the database's export writes them
    in_order = (by_id[pk] for pk in ids if pk in by_id)
    for pk, reference, state, case_type, opened_on, country, person_ref, sealed in in_order:
        case_ext = keys.get((pk, None), reference)
        case: dict[str, Any] = {
            "record": "case",
            "external_id": case_ext,
            "member_state": state,
            "case_type": case_type,
            "opened_on": opened_on.isoformat(),
            "third_country": country,
            "person_ref": person_ref,
        }
        if with_identity and sealed:
            case.update(_identity(person_ref, sealed))
        lines = [case]
        for case_id, seq, kind, occurred_on, fields, supersedes in events.get(pk, []):
            event = {
                "record": "event",
                "external_id": keys.get((case_id, seq), f"{reference}/{seq}"),
                "case_external_id": case_ext,
                "kind": kind,
                "occurred_on": occurred_on.isoformat(),
                "fields": fields or {},
            }
            if supersedes:
                event["supersedes"] = keys.get((case_id, supersedes), f"{reference}/{supersedes}")
            lines.append(event)
        for item in lines:
            if fmt == "jsonl":
                buffer.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n")
            else:
                cells = (
                    {**item, "fields": json.dumps(item["fields"], separators=(",", ":"))}
                    if "fields" in item
                    else item
                )
                writer.writerow([cells.get(name, "") for name in CSV_HEADER])
    yield buffer.getvalue()


def _identity(person_ref: str, sealed: str) -> dict[str, Any]:
    try:
        identity = persons.open_identity(person_ref, sealed)
    except Exception:  # noqa: BLE001 (an erased person's key: the identity is gone, the case stays)
        return {}
    first = (identity.get("names") or [{}])[0]
    return {
        "family_name": first.get("family", ""),
        "given_names": first.get("given", ""),
        "date_of_birth": identity.get("birth_date") or "",
        "place_of_birth": identity.get("birth_place", ""),
        "nationality": (identity.get("nationalities") or [""])[0],
    }
