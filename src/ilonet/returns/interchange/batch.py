"""One batch of an import: its rows read and checked, then written in bulk (``importing``).

Rows are taken in file order. A case row makes the case, its person (sealed, with the blind
index of the names) and the case's first event (``case_opened``, as a case opened on the page);
an event row appends to the timeline of a case of the same member state, made in this batch or
before. Each event is checked against the timeline it joins: its fields by the registry of event
kinds, its date (never before the case's last event, never in the future), and the case's
state machine (``derive``). The case's derived state is then written once per case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, NamedTuple

import orjson
from django.db import connection
from django.utils import timezone

from ilonet.returns import conf
from ilonet.returns.machine import Derived, Ev
from ilonet.returns.models import (
    CaseEvent,
    DuplicateSuspect,
    ImportRun,
    NameDigest,
    ReturnCase,
    WorklistEntry,
)
from ilonet.returns.models.cases import new_person_ref

from . import derive, persons, reading, rows
from .copying import reserve_ids, table_rows, write_rows

# The columns of an event row that vary from row to row; the others are the batch's constants
# (``Batch.event_constants``), sent once with each table's write (``copying.write_rows``).
EVENT_COLUMNS = (
    "case_id",
    "seq",
    "kind",
    "occurred_on",
    "fields",
    "supersedes_seq",
    "external_id",  # the row's id in the sending system (a case's on its opening event)
    "import_line",
)
DIGEST_COLUMNS = ("case_id", "digest")
WORKLIST_COLUMNS = ("case_id", "rule", "since", "due_on")
REFERENCE_LENGTH = ReturnCase._meta.get_field("reference").max_length or 40

# The ids already held, one probe of the unique index on (member state, external id) per id: the
# LATERAL subquery with its LIMIT (at most one row: the index is unique) keeps the planner from
# turning the look-up into a scan of all the member state's events filtered by the list, which
# it chose when the table's statistics were older than its rows (a first national import into
# an empty platform: each batch read every event the import had written, measured at 51 ms a
# batch of FR's 238,580 events and growing with them, against 16 ms by the index). The member
# state goes in as a subquery's value, which the planner does not see: planned for a state the
# statistics know no row of (estimated at one row), the probe went to the index on (member
# state, kind, date), one level shallower, and read every event of the state per id (measured
# at 1,000,000 cases: 11 to 15 s a batch and growing); for the average state it is the unique
# index, the only one that finds an id in a probe.
KNOWN_SQL = """
SELECT e.external_id, e.case_id, CASE WHEN e.kind = %s THEN NULL ELSE e.seq END, e.import_run_id,
       COALESCE(e.import_line, 0)
FROM unnest(string_to_array(%s, ',')) AS wanted(external_id)
CROSS JOIN LATERAL (
    SELECT kind, seq, case_id, external_id, import_run_id, import_line FROM returns_caseevent
    WHERE member_state = (SELECT %s) AND external_id = wanted.external_id LIMIT 1
) AS e
"""


def _json(value: dict[str, Any]) -> str:
    """An event's fields as compact JSON text (orjson: the same JSON as the standard library's
    with ``separators=(",", ":")``, non-ASCII letters as they are, not escaped; the database
    stores the same value)."""
    return orjson.dumps(value).decode()


def reference_for(member_state: str, external_id: str) -> str | None:
    """An imported case's reference: the sending system's id under its member state
    (``NL:2024-00123``); the colon keeps it apart from the references the platform makes."""
    reference = f"{member_state}:{external_id}"
    return reference if len(reference) <= REFERENCE_LENGTH else None


class Timeline:
    """What the batch knows of one case's timeline: enough to check and number new events."""

    def __init__(
        self,
        case_id: int,
        case_type: str,
        last_seq: int,
        events: list[Ev],
        new: bool,
        line: int = 0,
        case: ReturnCase | None = None,
    ) -> None:
        self.case_id, self.case_type, self.last_seq, self.events = case_id, case_type, last_seq, events
        self.new, self.line, self.changed, self.case = new, line, False, case
        self.pending: list[Pending] = []
        self.derived: Derived | None = None
        self.ahead: Replayed | None = None  # the replay made while reading, if the case is new


class Pending(NamedTuple):
    line: int
    row: rows.EventRow


class Prepared(NamedTuple):
    """A batch's lines checked on their own, before the database is asked (``prepare``)."""

    first_line: int
    last_line: int
    parsed: list[tuple[int, rows.CaseRow | rows.EventRow]]
    refused: list[tuple[int, str, str, dict[str, Any]]]  # line, external id, code, params
    sealed: dict[int, persons.SealedPerson]  # the person of each case row, by line
    replayed: dict[str, Replayed]  # by a case row's external id: its timeline as read (``replay_ahead``)


class Replayed(NamedTuple):
    """A case of the batch replayed with its events of the batch while the batch was read: what
    ``Batch._check_and_number`` would find for it, if it finds the same events pending (numbered
    from 2 in this order: the opening is 1)."""

    lines: tuple[int, ...]  # the event lines, in file order
    encoded: list[str]  # each event's fields as JSON
    derived: Derived


def replay_ahead(parsed: list[tuple[int, rows.CaseRow | rows.EventRow]]) -> dict[str, Replayed]:
    """Each case row of the batch with the event rows of the batch that follow it and name it,
    replayed through its state machine (``derive.passes_new``), as the batch would when the case is
    new: done on the reading thread, so the writing thread only compares the lines it finds
    pending. A case whose events are refused, or that has a correction, is left to the batch."""
    cases = {row.external_id: (line, row) for line, row in parsed if isinstance(row, rows.CaseRow)}
    events: dict[str, list[tuple[int, rows.EventRow]]] = {}
    for line, row in parsed:
        if isinstance(row, rows.EventRow):
            opened = cases.get(row.case_external_id)
            if opened is not None and opened[0] < line:
                events.setdefault(row.case_external_id, []).append((line, row))
    out: dict[str, Replayed] = {}
    for ext, (_line, case) in cases.items():
        mine = events.get(ext, [])
        if any(row.supersedes for _line, row in mine):
            continue
        derived = derive.passes_new(
            case.case_type, case.opened_on, [(row.kind, row.occurred_on, row.fields) for _line, row in mine]
        )
        if derived is not None:
            lines = tuple(line for line, _row in mine)
            out[ext] = Replayed(lines, [_json(row.fields) for _line, row in mine], derived)
    return out


def prepare(lines: list[reading.Line | reading.Unreadable], *, member_state: str, today: date) -> Prepared:
    """What needs no database: each row read and checked (``rows.parse``), a row whose external
    id came earlier in the batch refused, and the person of each case row sealed under a new data
    key (the key is stored only if the case is written: ``importing.commit_batch``). Run on the
    reading thread (``importing.read_ahead``) while the batch before is written."""
    parsed: list[tuple[int, rows.CaseRow | rows.EventRow]] = []
    refused: list[tuple[int, str, str, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for item in lines:
        if isinstance(item, reading.Unreadable):
            refused.append((item.number, "", item.code, item.params))
            continue
        try:
            row = rows.parse(item.data, member_state=member_state, today=today)
        except rows.RowProblem as problem:
            refused.append((item.number, problem.external_id, problem.code, problem.params))
            continue
        if row.external_id in seen:
            refused.append(
                (
                    item.number,
                    row.external_id,
                    "duplicate_in_file",
                    {"external_id": row.external_id, "line": seen[row.external_id]},
                )
            )
            continue
        seen[row.external_id] = item.number
        parsed.append((item.number, row))
    case_lines = [(line, row) for line, row in parsed if isinstance(row, rows.CaseRow)]
    people = persons.seal_people([(new_person_ref(), row.identity) for _line, row in case_lines])
    sealed = {line: person for (line, _row), person in zip(case_lines, people, strict=True)}
    return Prepared(lines[0].number, lines[-1].number, parsed, refused, sealed, replay_ahead(parsed))


class Batch:
    def __init__(self, *, run: ImportRun, actor: Any, today: date) -> None:
        self.run, self.actor, self.today = run, actor, today
        self.member_state = run.member_state
        self.errors: list[tuple[int, str, str, dict[str, Any]]] = []  # line, external id, code, params
        self.counts = {
            "cases_created": 0,
            "events_created": 0,
            "rows_unchanged": 0,
            "rows_rejected": 0,
            "duplicates_suspected": 0,
        }
        self.wrapped_keys: list[tuple[str, str]] = []
        # Called once, as soon as the batch knows which cases it writes, with their wrapped data
        # keys (``importing.commit_batch`` starts storing them while the batch is written).
        self.on_keys: Callable[[list[tuple[str, str]]], None] | None = None
        self.parsed: list[tuple[int, rows.CaseRow | rows.EventRow]] = []
        self.sealed: dict[int, persons.SealedPerson] = {}
        self.replayed: dict[str, Replayed] = {}

    def refuse(self, line: int, external_id: str, code: str, params: dict[str, Any] | None = None) -> None:
        """Refuse a row: a reason code and its parameters (``refusals``), rendered when shown."""
        self.errors.append((line, external_id[:64], code, params or {}))
        self.counts["rows_rejected"] += 1

    # --- reading -------------------------------------------------------------------------------------

    def read(self, prepared: Prepared) -> None:
        for line, external_id, code, params in prepared.refused:
            self.refuse(line, external_id, code, params)
        self.parsed = prepared.parsed
        self.sealed = prepared.sealed
        self.replayed = prepared.replayed

    # --- writing -------------------------------------------------------------------------------------

    def write(self, *, probe_every_event: bool = False) -> None:
        """Write the batch's rows (``known_ids``: which are held already). Without
        ``probe_every_event`` the ids of the events of the batch's new cases are not looked up:
        such an id already held can only be a wrong file, and the events' unique index refuses
        it (``IntegrityError``); ``importing.commit_batch`` then writes the batch again with
        every id looked up, which refuses that row with its line and reason."""
        known = self.known_ids(probe_every_event=probe_every_event)
        now = timezone.now()
        timelines: dict[int, Timeline] = {}
        case_by_ext: dict[str, Timeline] = {}
        new_cases: list[tuple[int, rows.CaseRow, persons.SealedPerson]] = []

        # cases first: their ids are reserved, so that events of this batch name them
        case_rows = [(line, row) for line, row in self.parsed if isinstance(row, rows.CaseRow)]
        fresh = []
        for line, row in case_rows:
            if row.external_id in known:
                self._already(line, row.external_id, known[row.external_id], is_case=True)
                continue
            if reference_for(self.member_state, row.external_id) is None:
                self.refuse(line, row.external_id, "reference_too_long", {"limit": REFERENCE_LENGTH - 3})
                continue
            fresh.append((line, row))
        ids = reserve_ids(ReturnCase, len(fresh))
        for (line, row), case_id in zip(fresh, ids, strict=True):
            person = self.sealed[line]
            new_cases.append((case_id, row, person))
            timeline = Timeline(
                case_id, row.case_type, 1, [derive.opening(row.case_type, row.opened_on)], True, line
            )
            timeline.ahead = self.replayed.get(row.external_id)
            timelines[case_id] = case_by_ext[row.external_id] = timeline
        self.wrapped_keys = [(person.person_ref, person.wrapped) for _id, _row, person in new_cases]
        if self.on_keys is not None and self.wrapped_keys:
            self.on_keys(self.wrapped_keys)

        # events, in file order, against the timelines of their cases
        event_rows = [(line, row) for line, row in self.parsed if isinstance(row, rows.EventRow)]
        existing_ids = {
            known[row.case_external_id][0]
            for _line, row in event_rows
            if row.case_external_id in known and row.case_external_id not in case_by_ext
        }
        for timeline in derive.load_timelines(existing_ids):
            timelines[timeline.case_id] = timeline
        for line, row in event_rows:
            if row.external_id in known:
                self._already(line, row.external_id, known[row.external_id], is_case=False)
                continue
            timeline = case_by_ext.get(row.case_external_id)
            if timeline is None and row.case_external_id in known and known[row.case_external_id][1] is None:
                timeline = timelines.get(known[row.case_external_id][0])
            if timeline is None:
                self.refuse(
                    line,
                    row.external_id,
                    "no_such_case",
                    {"case": row.case_external_id, "member_state": self.member_state},
                )
                continue
            if timeline.new and timeline.line > line:
                self.refuse(line, row.external_id, "case_later_in_file", {"case": row.case_external_id})
                continue
            timeline.pending.append(Pending(line, row))
            timeline.changed = True
        new_events = self._check_and_number(timelines, known)
        earlier = persons.existing_matches(self.member_state, [person for _id, _row, person in new_cases])
        self._write_cases(new_cases, timelines, now)
        opening_events = [
            (
                case_id,
                1,
                derive.OPENED,
                row.opened_on,
                _json({"case_type": row.case_type}),
                None,
                row.external_id,  # the case's id: on its opening event
                timelines[case_id].line,
            )
            for case_id, row, _person in new_cases
        ]
        write_rows(
            CaseEvent,
            EVENT_COLUMNS,
            self._adapt(opening_events + new_events, (3,)),
            constants=self.event_constants(now),
        )
        self._update_existing(timelines)
        self._duplicates(new_cases, earlier)
        self.counts["cases_created"] = len(new_cases)
        self.counts["events_created"] = len(new_events)

    def event_constants(self, now: Any) -> dict[str, Any]:
        """The columns every event row of the batch shares (``EVENT_COLUMNS`` are the others)."""
        return {
            "member_state": self.member_state,
            "needs_approval": False,
            "recorded_by_id": self._actor_id(),
            "recorded_at": now,
            "import_run_id": self.run.pk,
        }

    def _check_and_number(self, timelines: dict[int, Timeline], known: dict[str, tuple]) -> list[tuple]:
        """Each case's new events checked against its whole timeline by one replay of the state
        machine (again without a refused event, until it passes), then numbered in order: rows
        of ``EVENT_COLUMNS``."""
        out: list[tuple] = []
        for timeline in timelines.values():
            base = timeline.last_seq
            ahead = timeline.ahead
            if (
                ahead is not None
                and base == 1
                and timeline.pending
                and ahead.lines == tuple(p.line for p in timeline.pending)
            ):
                # a new case with the very events replayed while reading: that replay stands, and
                # its events are numbered 2, 3, ... in file order (the case's ``Timeline.events``
                # is not extended: nothing reads it once ``derived`` is set)
                timeline.derived = ahead.derived
                case_id = timeline.case_id
                for seq, (pending, fields) in enumerate(zip(timeline.pending, ahead.encoded, strict=True), 2):
                    row = pending.row
                    out.append(
                        (case_id, seq, row.kind, row.occurred_on, fields, None, row.external_id, pending.line)
                    )
                timeline.last_seq = 1 + len(timeline.pending)
                continue
            steps: list[derive.Step] = []
            numbered: list[Ev] = []
            while timeline.pending:
                steps, refused = self._steps(timeline, known, base)
                if refused is not None:
                    self._drop(timeline, refused[0], *refused[1])
                    continue
                numbered = derive.numbered(steps, base)
                result = derive.check(timeline.events, numbered)
                if isinstance(result, Derived):
                    timeline.derived = result
                    break
                index, code, params = result
                if index is None:  # the timeline held before breaks with these events: refuse them all
                    for pending in list(timeline.pending):
                        self._drop(timeline, pending, code, params)
                    break
                self._drop(timeline, timeline.pending[index], code, params)
            if not timeline.pending:
                timeline.changed = False
                if timeline.new:
                    timeline.derived = derive.state_of(timeline.events)
                continue
            # the steps and events of the last pass are those of the events still pending
            encoded = [_json(step.fields) for step in steps]
            for offset, (pending, step, fields) in enumerate(
                zip(timeline.pending, steps, encoded, strict=True), start=1
            ):
                seq = base + offset
                out.append(
                    (
                        timeline.case_id,
                        seq,
                        step.kind,
                        step.occurred_on,
                        fields,
                        step.supersedes_seq,
                        pending.row.external_id,
                        pending.line,
                    )
                )
            timeline.events.extend(numbered)
            timeline.last_seq = base + len(steps)
        return out

    def _steps(
        self, timeline: Timeline, known: dict[str, tuple], base: int
    ) -> tuple[list[derive.Step], tuple[Pending, tuple[str, dict[str, Any]]] | None]:
        """The pending events as steps numbered after ``base``; a correction names the event it
        supersedes by external id (held before, or earlier in this batch on the same case)."""
        in_batch = {p.row.external_id: base + i for i, p in enumerate(timeline.pending, start=1)}
        steps = []
        for pending in timeline.pending:
            row, supersedes = pending.row, None
            if row.supersedes:
                held = known.get(row.supersedes)
                if held is not None and held[0] == timeline.case_id and held[1] is not None:
                    supersedes = held[1]
                elif row.supersedes in in_batch and in_batch[row.supersedes] < in_batch[row.external_id]:
                    supersedes = in_batch[row.supersedes]
                else:
                    return steps, (pending, ("no_superseded_event", {"supersedes": row.supersedes}))
            steps.append(derive.Step(row.kind, row.occurred_on, row.fields, supersedes))
        return steps, None

    def _drop(self, timeline: Timeline, pending: Pending, code: str, params: dict[str, Any]) -> None:
        timeline.pending.remove(pending)
        self.refuse(pending.line, pending.row.external_id, code, params)

    def known_ids(self, *, probe_every_event: bool = False) -> dict[str, tuple]:
        """External id → (case id, event number or None for a case, run, line) of the batch's ids
        already held: every case row's id, every case and correction an event names, and the ids
        of the events of cases held before this batch (a file imported again, or one adding to
        an earlier file's cases), found after the cases are. The ids of the events of the batch's
        new cases only with ``probe_every_event``: a fresh national file is mostly those, and a
        probe of the index each (a tenth of the database's time for the file) found nothing."""
        case_ids: set[str] = set()
        wanted: set[str] = set()
        events: list[rows.EventRow] = []
        for _line, row in self.parsed:
            if isinstance(row, rows.CaseRow):
                case_ids.add(row.external_id)
                continue
            events.append(row)
            wanted.add(row.case_external_id)
            if row.supersedes:
                wanted.add(row.supersedes)
        if probe_every_event:
            wanted.update(row.external_id for row in events)
        wanted |= case_ids
        known = {ext: (case_id, seq, run_id, line) for ext, case_id, seq, run_id, line in self._known(wanted)}
        later = {
            row.external_id
            for row in events
            if row.case_external_id in known or row.case_external_id not in case_ids
        } - wanted
        if later:
            known.update(
                (ext, (case_id, seq, run_id, line)) for ext, case_id, seq, run_id, line in self._known(later)
            )
        return known

    def _known(self, wanted: set[str]) -> list[tuple]:
        """The external ids of this member state already held, among ``wanted``: (external id,
        case id, the event's number or None for a case's own id, run, line). One query, one probe
        of the events' unique index on (member state, external id) per id (``KNOWN_SQL``); on
        PostgreSQL the ids go as one comma-separated text split by the server, not thousands of
        placeholders nor an array the driver quotes value by value (an external id holds no
        comma, ``rows.EXTERNAL_ID``)."""
        if connection.vendor != "postgresql":
            return [
                (ext, case_id, None if kind == derive.OPENED else seq, run_id, line or 0)
                for ext, case_id, seq, kind, run_id, line in CaseEvent.objects.filter(
                    member_state=self.member_state, external_id__in=wanted
                ).values_list("external_id", "case_id", "seq", "kind", "import_run_id", "import_line")
            ]
        with connection.cursor() as cursor:
            cursor.execute(KNOWN_SQL, [derive.OPENED, ",".join(sorted(wanted)), self.member_state])
            return cursor.fetchall()

    def _already(self, line: int, ext: str, key: tuple, *, is_case: bool) -> None:
        _case_id, seq, run_id, first_line = key
        if (seq is None) != is_case:
            self.refuse(line, ext, "id_used_by_event" if is_case else "id_used_by_case", {"external_id": ext})
        elif run_id == self.run.pk and first_line != line:
            self.refuse(line, ext, "duplicate_in_run", {"external_id": ext, "line": first_line})
        else:
            self.counts["rows_unchanged"] += 1  # imported before: nothing changes

    def _actor_id(self) -> int | None:
        return getattr(self.actor, "pk", None)

    def _adapt(self, rows_: list[tuple], dates: tuple[int, ...]) -> list[tuple]:
        """SQLite: the dates at ``dates`` as its text (PostgreSQL's driver takes dates as they are)."""
        if connection.vendor == "postgresql":
            return rows_
        adapt = connection.ops.adapt_datefield_value
        out = []
        for row in rows_:
            values = list(row)
            for i in dates:
                values[i] = adapt(values[i])
            out.append(tuple(values))
        return out

    def _write_cases(self, new_cases: list, timelines: dict[int, Timeline], now) -> None:
        values, digests, worklist = [], [], []
        delays = conf.delays()
        for case_id, row, person in new_cases:
            timeline = timelines[case_id]
            derived = timeline.derived or derive.state_of(timeline.events)
            values.append(
                {
                    "id": case_id,
                    "reference": reference_for(self.member_state, row.external_id),
                    "case_type": derived.case_type,
                    "third_country": row.third_country,
                    "person_ref": person.person_ref,
                    "identity_sealed": person.sealed,
                    "state": derived.state,
                    "stage": derived.stage,
                    "status": derived.status,
                    "on_hold": derived.on_hold,
                    "last_seq": timeline.last_seq,
                    "opened_on": row.opened_on,
                    "closed_on": derived.closed_on,
                    "outcome": derived.outcome,
                    "erase_on": derive.erase_on(derived),
                }
            )
            digests.extend((case_id, digest) for digest in sorted(person.digests))
            worklist.extend(
                (case_id, rule, since, since + timedelta(days=delays.get(rule, 0)))
                for rule, since in derive.worklist(derived).items()
            )
        actor_id, state = self._actor_id(), {"member_state": self.member_state}
        shared = {
            **state,
            "version": 1,
            "last_change": "import",
            "last_changed_by_id": actor_id,
            "last_changed_at": now,
            "created_by_id": actor_id,
            "created_at": now,
            "updated_at": now,
        }
        columns, rows_, constants = table_rows(ReturnCase, values, shared)
        write_rows(ReturnCase, columns, rows_, constants=constants)
        write_rows(NameDigest, DIGEST_COLUMNS, digests, constants=state)
        write_rows(WorklistEntry, WORKLIST_COLUMNS, self._adapt(worklist, (2, 3)), constants=state)

    def _update_existing(self, timelines: dict[int, Timeline]) -> None:
        for timeline in timelines.values():
            if timeline.new or not timeline.changed or timeline.case is None or timeline.derived is None:
                continue
            derive.store_existing(
                timeline.case, timeline.derived, actor=self.actor, last_seq=timeline.last_seq
            )

    def _duplicates(self, new_cases: list, earlier: dict[tuple[str, str], int]) -> None:
        """Matches found before this batch's cases were written (``earlier``), then within it."""
        suspects = []
        for case_id, _row, person in new_cases:
            key = (person.whole, person.born)
            if not person.whole:
                continue
            match = earlier.get(key)
            if match is not None and match != case_id:
                suspects.append(
                    DuplicateSuspect(
                        member_state=self.member_state, case_id=case_id, match_id=match, run_id=self.run.pk
                    )
                )
            elif match is None:
                earlier[key] = case_id  # a later case of this batch with the same person matches this one
        DuplicateSuspect.objects.bulk_create(suspects)
        self.counts["duplicates_suspected"] = len(suspects)
