"""Benchmark of the indicators from return-case data (issue 14).

On a fresh database (a temporary SQLite file, or PostgreSQL via DATABASE_URL: a database named
``test_<name>`` is created and dropped), writes ``--cases`` synthetic return cases with their
timelines (about 5.3 events a case, a tenth of the approvals not given): by Python bulk inserts
(``--generate python``, the default), or on PostgreSQL by the database itself (``--generate sql``:
``INSERT … SELECT`` over ``generate_series``, the same distribution, no row built in Python; the
way to 5,000,000 cases). ``--database NAME`` (PostgreSQL) works in the database ``NAME`` instead
and keeps it: created and generated when it does not exist, reused without generating when it
holds the bench's data of the same ``--cases`` (recorded in its table ``bench_return_indicators``
when the generation finished). Then:

- rebuilds the case indicators from scratch (``cases.fold.rebuild``: the facts and counters
  counted in SQL, ``cases.bulk``; the backend's CPU from /proc) and, below 5,000,000 cases,
  extrapolates linearly to that size; beside it, in the same run, the floor: one pass over the
  effective events in SQL with a sort by case and date (``returns.facts.materialise`` plus one
  ``GROUP BY`` per case), what any rebuild must at least do;
- folds one new event (the job every minute: its time is what an event waits beyond the minute);
- answers ``--requests`` random indicator views (one indicator, quarter, member state or EU total,
  third country: ``selectors.view``, the figures plus the trend of that area and the member-state
  comparison of that quarter in one query, the tables of a page without the SVG, which is cached
  by its specification) and reports p50/p95;
- requests the case-indicator page (``/returns/indicators/cases/``, every case indicator's trend
  of a member state or the EU total, the tables by third country and the reconciliation of a
  period) through Django's test client as a signed-in coordinator, for ``--requests`` random
  (area, period) pairs, each once to fill the chart cache and then again: p50/p95 of the second
  requests (the charts from the cache) and of the first ones (charts rendered by vl-convert);
- compares the precomputed figures with one raw SQL aggregate over the returns tables
  (``returns.facts.raw_counts``), in the same run.

Usage: .venv/bin/python bench/return_indicators.py [--cases 200000] [--requests 300] [--write-docs]
       DATABASE_URL=postgres://… .venv/bin/python bench/return_indicators.py --cases 5000000 \
           --generate sql --database <name> [--write-docs]   (a second run reuses <name>)

The former Python counting (a comparison only) runs up to 1,000,000 cases unless
``--python-count`` / ``--no-python-count`` says otherwise (at 5,000,000 it would take most of an hour).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='ilonet-bench-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

BENCH_RUN = {
    "full": ["--cases", "100000", "--requests", "300"],
    "quick": ["--cases", "3000", "--requests", "50"],
    "timeout": 3600,
}
TARGET_CASES = 5_000_000
PYTHON_COUNT_MAX = 1_000_000  # the former Python counting, a comparison, runs up to this size
STATES = ["AT", "BE", "DE", "GR", "ES", "FR", "IT", "NL", "PL", "SE"]
COUNTRIES = ["MA", "DZ", "TN", "NG", "SN", "GN", "AF", "PK", "BD", "IQ", "TR", "GE", "AL", "RS", "UA"]


def timeline(rng: random.Random, start: date) -> list[tuple[str, date, dict]]:
    day = start
    reason = rng.choice(
        ["negative_asylum_decision", "negative_asylum_decision", "permit_expired", "irregular_entry_or_stay"]
    )
    out = [("case_opened", day, {"case_type": "enforced"}), ("legal_stay_ended", day, {"reason": reason})]
    day += timedelta(days=rng.randint(0, 120))
    out.append(("return_decision", day, {"voluntary_departure_days": rng.choice([0, 7, 30])}))
    for _ in range(rng.randint(0, 2)):
        day += timedelta(days=rng.randint(0, 60))
        out.append(("readmission_requested", day, {"channel": "rcms"}))
        if rng.random() < 0.6:
            day += timedelta(days=rng.randint(0, 90))
            out.append(("readmission_answered", day, {"answer": rng.choice(["accepted", "refused"])}))
    if rng.random() < 0.15:
        day += timedelta(days=rng.randint(0, 40))
        out.append(("absconded", day, {}))
    if rng.random() < 0.55:
        day += timedelta(days=rng.randint(0, 300))
        out.append((rng.choice(["voluntary_departure", "enforced_return_carried_out"]), day, {}))
    return out


def populate(n: int) -> int:
    from ilonet.returns.models import Approval, CaseEvent, ReturnCase
    from ilonet.returns.rls import system_scope

    rng = random.Random(14)  # noqa: S311 (synthetic data)
    events_written, chunk = 0, 5000
    for first in range(0, n, chunk):
        with system_scope(), transaction.atomic():
            cases, plans = [], []
            for i in range(first, min(n, first + chunk)):
                start = date(2021, 1, 1) + timedelta(days=rng.randint(0, 1400))
                ms, tc = rng.choice(STATES), rng.choice(COUNTRIES)
                cases.append(
                    ReturnCase(
                        reference=f"B-{i}",
                        member_state=ms,
                        case_type="enforced",
                        third_country=tc,
                        person_ref=f"rcb{i}",
                        state="x",
                        stage="x",
                        status="x",
                        opened_on=start,
                    )
                )
                plans.append(timeline(rng, start))
            cases = ReturnCase.objects.bulk_create(cases, batch_size=chunk)
            events, needs = [], []
            for rc, plan in zip(cases, plans, strict=True):
                for seq, (kind, day, fields) in enumerate(plan, start=1):
                    ev = CaseEvent(
                        case_id=rc.id,
                        member_state=rc.member_state,
                        seq=seq,
                        kind=kind,
                        occurred_on=day,
                        fields=fields,
                        needs_approval=kind == "return_decision",
                    )
                    events.append(ev)
                    if kind == "return_decision":
                        needs.append(ev)
            CaseEvent.objects.bulk_create(events, batch_size=chunk)
            Approval.objects.bulk_create(
                [
                    Approval(
                        case_id=ev.case_id,
                        member_state=ev.member_state,
                        event_id=ev.id,
                        step=ev.kind,
                        status="approved" if rng.random() < 0.9 else "requested",
                    )
                    for ev in needs
                ],
                batch_size=chunk,
            )
            events_written += len(events)
    return events_written


SQL_CHUNK = 250_000  # cases per transaction of the SQL generator
META = "bench_return_indicators"  # in a kept database (--database): what was generated, once done


def _uniform(key: str, draw: int) -> str:
    """A uniform number in [0, 1) from ``key`` and the draw's number: the same for the same case
    (the generator is deterministic without a random state; each draw has its own number)."""
    return f"((hashint8extended(({key})::bigint, {draw}) & 2147483647)::float8 / 2147483648.0)"


def _randint(key: str, draw: int, high: int) -> str:
    """As ``random.randint(0, high)``."""
    return f"floor({_uniform(key, draw)} * {high + 1})::int"


def _chance(key: str, draw: int, p: float) -> str:
    """As ``rng.random() < p``."""
    return f"({_uniform(key, draw)} < {p})"


def _pick(key: str, draw: int, options: list[str]) -> str:
    """As ``rng.choice(options)`` (text literals)."""
    values = ", ".join(f"'{o}'" for o in options)
    return f"(ARRAY[{values}])[1 + floor({_uniform(key, draw)} * {len(options)})::int]"


REASONS = [
    "negative_asylum_decision",
    "negative_asylum_decision",
    "permit_expired",
    "irregular_entry_or_stay",
]

# One statement a chunk (no table read back): the cases of numbers lo..hi as ``populate`` writes
# them (reference B-<n>, a member state and a third country drawn evenly, opened on a day of
# 2021-01-01 + 0..1400); their timelines with the distribution of ``timeline`` (each draw of the
# Python generator is one numbered draw here, from the case's id; the days add up in the same
# order, a gap counting only when its event is there; ``seq`` numbers the events that are there);
# an approval for every return decision, nine in ten given.
_C = "c.id"
GENERATE_SQL = f"""
WITH cases AS (
  INSERT INTO returns_returncase (reference, member_state, case_type, third_country, person_ref,
      identity_sealed, state, stage, status, on_hold, version, last_seq, opened_on, outcome, last_change,
      created_at, updated_at)
  SELECT 'B-' || i, {_pick("i", 1, STATES)}, 'enforced', {_pick("i", 2, COUNTRIES)}, 'rcb' || i,
      '', 'x', 'x', 'x', false, 1, 0, date '2021-01-01' + {_randint("i", 3, 1400)}, '', '', now(), now()
  FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) i
  RETURNING id, member_state, opened_on
), events AS (
  INSERT INTO returns_caseevent (case_id, member_state, seq, kind, occurred_on, fields, needs_approval,
      recorded_at)
  SELECT case_id, member_state, row_number() OVER (PARTITION BY case_id ORDER BY slot), kind, day,
      fields::jsonb, kind = 'return_decision', now()
  FROM (
    SELECT c.id AS case_id, c.member_state, t.slot, t.kind, t.day, t.fields
    FROM cases c
    CROSS JOIN LATERAL (SELECT
        {_pick(_C, 10, REASONS)} AS reason,
        {_randint(_C, 11, 120)} AS g_decision,
        {_pick(_C, 12, ["0", "7", "30"])} AS voluntary_days,
        {_randint(_C, 13, 2)} AS requests,
        {_randint(_C, 14, 60)} AS g_request1, {_chance(_C, 15, 0.6)} AS answered1,
        {_randint(_C, 16, 90)} AS g_answer1, {_pick(_C, 17, ["accepted", "refused"])} AS answer1,
        {_randint(_C, 18, 60)} AS g_request2, {_chance(_C, 19, 0.6)} AS answered2,
        {_randint(_C, 20, 90)} AS g_answer2, {_pick(_C, 21, ["accepted", "refused"])} AS answer2,
        {_chance(_C, 22, 0.15)} AS absconds, {_randint(_C, 23, 40)} AS g_absconded,
        {_chance(_C, 24, 0.55)} AS departs, {_randint(_C, 25, 300)} AS g_departure,
        {_pick(_C, 26, ["voluntary_departure", "enforced_return_carried_out"])} AS departure
    ) r
    CROSS JOIN LATERAL (SELECT c.opened_on + r.g_decision AS decided) d1
    CROSS JOIN LATERAL (SELECT d1.decided + r.g_request1 AS requested1,
        d1.decided + r.g_request1 + CASE WHEN r.answered1 THEN r.g_answer1 ELSE 0 END AS after1) d2
    CROSS JOIN LATERAL (SELECT d2.after1 + r.g_request2 AS requested2,
        d2.after1 + r.g_request2 + CASE WHEN r.answered2 THEN r.g_answer2 ELSE 0 END AS after2) d3
    CROSS JOIN LATERAL (SELECT CASE r.requests WHEN 0 THEN d1.decided WHEN 1 THEN d2.after1
        ELSE d3.after2 END AS requested) d4
    CROSS JOIN LATERAL (VALUES
        (1, 'case_opened', c.opened_on, '{{"case_type": "enforced"}}', true),
        (2, 'legal_stay_ended', c.opened_on, '{{"reason": "' || r.reason || '"}}', true),
        (3, 'return_decision', d1.decided,
            '{{"voluntary_departure_days": ' || r.voluntary_days || '}}', true),
        (4, 'readmission_requested', d2.requested1, '{{"channel": "rcms"}}', r.requests >= 1),
        (5, 'readmission_answered', d2.after1, '{{"answer": "' || r.answer1 || '"}}',
            r.requests >= 1 AND r.answered1),
        (6, 'readmission_requested', d3.requested2, '{{"channel": "rcms"}}', r.requests >= 2),
        (7, 'readmission_answered', d3.after2, '{{"answer": "' || r.answer2 || '"}}',
            r.requests >= 2 AND r.answered2),
        (8, 'absconded', d4.requested + r.g_absconded, '{{}}', r.absconds),
        (9, r.departure, d4.requested + CASE WHEN r.absconds THEN r.g_absconded ELSE 0 END
            + r.g_departure, '{{}}', r.departs)
    ) t(slot, kind, day, fields, present)
    WHERE t.present
  ) planned
  RETURNING id, case_id, member_state, kind
)
INSERT INTO returns_approval (case_id, member_state, event_id, step, status, requested_at, reason,
    revoke_reason)
SELECT e.case_id, e.member_state, e.id, e.kind,
    CASE WHEN {_chance("e.case_id", 27, 0.9)} THEN 'approved' ELSE 'requested' END, now(), '', ''
FROM events e
WHERE e.kind = 'return_decision'
"""  # noqa: S608 - no input: the draws are ours


def generate_in_sql(n: int) -> int:
    """``populate``'s cases and timelines written by PostgreSQL itself (``INSERT … SELECT`` over
    ``generate_series``, ``SQL_CHUNK`` cases a transaction, no row built in Python; the indexes
    that back no constraint dropped before and built again after), then ``VACUUM (ANALYZE)`` as
    autovacuum does after a bulk insert. The same distribution as
    ``populate`` (not the same draws: a hash of the case number or id, not ``random``'s state)."""
    from ilonet.returns.rls import system_scope

    started = time.perf_counter()
    tables = ["returns_returncase", "returns_caseevent", "returns_approval"]
    with connection.cursor() as cursor:
        # the indexes no constraint needs are built once at the end, as a bulk load does, not
        # kept up row by row (the unique ones stay: they check the rows as they come)
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary",
            [tables],
        )
        secondary = cursor.fetchall()
        for name, _definition in secondary:
            cursor.execute(f"DROP INDEX {name}")
    for lo in range(0, n, SQL_CHUNK):
        hi = min(n, lo + SQL_CHUNK) - 1
        with system_scope(), connection.cursor() as cursor:
            cursor.execute(GENERATE_SQL, {"lo": lo, "hi": hi})
        print(f"  {hi + 1:,} cases generated, {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:  # outside a transaction, as VACUUM must be
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in secondary:
            cursor.execute(definition)
        print(f"  {len(secondary)} indexes built, {time.perf_counter() - started:.0f} s", flush=True)
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("RESET maintenance_work_mem")
    with system_scope(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM returns_caseevent")
        return cursor.fetchone()[0]


def kept_data() -> dict | None:
    """What a kept database holds (``META``: written once its generation finished), or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [META])
        if not cursor.fetchone()[0]:
            return None
        cursor.execute(f"SELECT generator, cases, events, seconds, generated_at FROM {META}")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip(("generator", "cases", "events", "seconds", "generated_at"), row, strict=True))


def record_kept_data(generator: str, cases: int, events: int, seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {META} (generator text, cases bigint, events bigint, "
            "seconds float8, generated_at timestamptz)"
        )
        cursor.execute(f"DELETE FROM {META}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {META} VALUES (%s, %s, %s, %s, now())",  # noqa: S608
            [generator, cases, events, seconds],
        )


def backend_cpu() -> float | None:
    """CPU seconds (user and system) of this connection's PostgreSQL backend so far, from /proc
    (the server runs on this machine); None elsewhere. Parallel workers are not counted."""
    if connection.vendor != "postgresql":
        return None
    from _proc_cpu import _read

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        found = _read(cursor.fetchone()[0])
    return found.cpu if found else None


def floor() -> None:
    """One SQL pass that any rebuild needs: the effective events into a temporary table, then one
    aggregate per case over them in (case, date, seq) order."""
    from ilonet.returns import facts

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")
        facts.materialise(events="bench_floor_ev", cases="bench_floor_case")
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT case_id, COUNT(*) OVER (PARTITION BY case_id ORDER BY day, seq) "
            "FROM bench_floor_ev) x"
        )
        cursor.fetchall()
        cursor.execute("DROP TABLE bench_floor_ev")
        cursor.execute("DROP TABLE bench_floor_case")


def python_count() -> int:
    """What the rebuild did before it counted in SQL: every timeline read in case-id order and
    counted in Python (``measures.contributions``), without writing anything: a lower bound of
    the former facts phase, measured in the same run for the ratio."""
    from ilonet.indicators.cases.measures import contributions
    from ilonet.returns import facts

    after, cases = 0, 0
    while True:
        timelines = facts.timelines_after(after, limit=2000)
        if not timelines:
            return cases
        for tl in timelines:
            contributions(tl)
        cases += len(timelines)
        after = timelines[-1].case_id


def page_times(rng: random.Random, geos: list[str], n: int) -> tuple[list[float], list[float], int]:
    """The case-indicator page through the test client, as a signed-in coordinator: each of
    ``n`` random (area, period) pages requested twice (first: charts rendered; again: cached)."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.core.cache import cache as django_cache
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ilonet.accounts.models import RoleAssignment, User
    from ilonet.accounts.roles import Role
    from ilonet.accounts.testing import record_second_factor
    from ilonet.directory.models import Organisation
    from ilonet.shared.testing import TOTP_SECRET

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    django_cache.clear()  # a kept database keeps the charts of its last run: render them again
    user = User.objects.filter(email="bench-coordinator@example.eu").first()  # a kept database's
    if user is None:
        user = User.objects.create_user(
            "bench-coordinator@example.eu", None, organisation=Organisation.objects.order_by("pk").first()
        )
        RoleAssignment.objects.create(user=user, role=Role.RETURN_COORDINATOR)
        TOTP.activate(user, TOTP_SECRET)  # a coordinator signs in with a second factor
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    record_second_factor(client, user)
    periods = [str(y) for y in range(2021, 2026)] + [
        f"{y}-Q{q}" for y in range(2021, 2026) for q in range(1, 5)
    ]
    urls = [
        f"/returns/indicators/cases/?geo={rng.choice(geos)}&period={rng.choice(periods)}" for _ in range(n)
    ]
    cold, warm = [], []
    for out in (cold, warm):
        for url in urls:
            t = time.perf_counter()
            response = client.get(url)
            out.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(urls[0])
    return cold, warm, len(queries)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--generate", choices=["python", "sql"], default="python")
    parser.add_argument(
        "--database", help="PostgreSQL: work in this database and keep it (reused when it holds --cases)"
    )
    parser.add_argument("--python-count", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql" and (args.generate == "sql" or args.database):
        sys.exit("--generate sql and --database need PostgreSQL: a postgres:// DATABASE_URL.")
    if args.python_count is None:
        args.python_count = args.cases <= PYTHON_COUNT_MAX
    if args.database:
        # created (and migrated) when missing, else used as it is; never dropped here
        connection.settings_dict["TEST"]["NAME"] = args.database
        connection.creation.create_test_db(verbosity=0, serialize=False, keepdb=True)
    elif connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
    try:
        run(args)
    finally:
        if connection.vendor == "postgresql" and not args.database:
            connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


def data(args: argparse.Namespace) -> tuple[int, str]:
    """The cases and timelines to measure: written now, or those a kept database holds. The
    events' count and a sentence for the report."""
    from ilonet.returns.models import ReturnCase
    from ilonet.returns.rls import system_scope

    if args.database:
        kept = kept_data()
        if kept is not None:
            if kept["cases"] != args.cases:
                sys.exit(
                    f"{args.database} holds {kept['cases']:,} cases, not {args.cases:,}: name another one."
                )
            print(f"{args.database}: {kept['cases']:,} cases, {kept['events']:,} events kept, reused")
            return kept["events"], (
                f"the database `{args.database}` kept from an earlier run (generated "
                f"{kept['generated_at']:%Y-%m-%d %H:%M} UTC, `--generate {kept['generator']}`, in "
                f"{kept['seconds']:.0f} s), reused"
            )
        with system_scope():
            if ReturnCase.objects.exists():
                sys.exit(
                    f"{args.database} has cases but no finished generation recorded: drop it or name another."
                )
    t = time.perf_counter()
    events = generate_in_sql(args.cases) if args.generate == "sql" else populate(args.cases)
    seconds = time.perf_counter() - t
    if args.database:
        record_kept_data(args.generate, args.cases, events, seconds)
    how = (
        "generated by PostgreSQL (`INSERT … SELECT` over `generate_series`, then `VACUUM (ANALYZE)`)"
        if args.generate == "sql"
        else "bulk inserts"
    )
    print(f"{args.cases:,} cases, {events:,} events written in {seconds:.1f} s ({connection.vendor}, {how})")
    return events, f"{how}, {seconds:.0f} s" + (f", kept as `{args.database}`" if args.database else "")


def run(args: argparse.Namespace) -> None:
    from ilonet.indicators import selectors
    from ilonet.indicators.cases import check, fold
    from ilonet.indicators.cases.definitions import CASE_RULES
    from ilonet.indicators.models import IndicatorFigure
    from ilonet.returns.models import CaseEvent
    from ilonet.returns.rls import system_scope

    started_at = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    loads = {"start": os.getloadavg()}
    events, origin = data(args)

    with connection.cursor() as cursor:  # the statistics autovacuum would gather in a while
        for table in ("returns_returncase", "returns_caseevent", "returns_approval"):
            cursor.execute(f"ANALYZE {table}")
    loads["before the rebuild"] = os.getloadavg()

    t = time.perf_counter()
    floor()
    floor_s = time.perf_counter() - t
    print(f"floor (effective events materialised + one sorted pass): {floor_s:.1f} s")

    python_s = None
    if args.python_count:
        t = time.perf_counter()
        python_cases = python_count()
        python_s = time.perf_counter() - t
        print(f"per-case counting in Python, {python_cases:,} cases (no writes): {python_s:.1f} s")

    cpu_before = backend_cpu()
    t = time.perf_counter()
    rebuilt = fold.rebuild()
    rebuild_s = time.perf_counter() - t
    cpu_after = backend_cpu()
    rebuild_cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    # the per-case phase is linear in cases; the figure phase in figure rows (states x countries x quarters)
    projected = rebuilt["facts_s"] * TARGET_CASES / args.cases + rebuilt["figures_s"]
    print(
        f"rebuild: {rebuild_s:.1f} s"
        + (f" (backend CPU {rebuild_cpu:.1f} s)" if rebuild_cpu is not None else "")
        + f", {rebuilt}; projection to 5,000,000 cases: {projected / 60:.1f} min"
    )
    loads["after the rebuild"] = os.getloadavg()

    with system_scope():
        case_id = CaseEvent.objects.filter(kind="return_decision").values_list("case_id", flat=True).first()
        seq = CaseEvent.objects.filter(case_id=case_id).count() + 1
        CaseEvent.objects.create(  # events are append-only: a kept database keeps it (one a run)
            case_id=case_id,
            member_state=CaseEvent.objects.filter(case_id=case_id).first().member_state,
            seq=seq,
            kind="readmission_requested",
            occurred_on=date(2024, 6, 1),
            fields={"channel": "rcms"},
        )
    t = time.perf_counter()
    folded = fold.fold()
    fold_s = time.perf_counter() - t
    print(f"fold of one new event: {fold_s * 1000:.0f} ms ({folded})")

    t = time.perf_counter()
    raw = check.from_raw_sql()
    raw_s = time.perf_counter() - t
    equal = raw == check.from_figures()
    print(f"raw SQL aggregate over the base tables: {raw_s:.1f} s, {len(raw):,} figures; equal: {equal}")

    rng = random.Random(1240)  # noqa: S311
    quarters = [f"{y}-Q{q}" for y in range(2021, 2026) for q in range(1, 5)]
    geos = ["EU27_2020", *[fold.geo_of(s) for s in STATES]]
    codes = list(CASE_RULES)
    times = []
    for _ in range(args.requests):
        code, period, geo = rng.choice(codes), rng.choice(quarters), rng.choice(geos)
        citizen = rng.choice(["TOTAL", *COUNTRIES])
        t = time.perf_counter()
        selectors.view(indicator=code, period=period, geo=geo, citizen=citizen)
        times.append((time.perf_counter() - t) * 1000)
    p50, p95 = statistics.median(times), pct(times, 95)
    figures = IndicatorFigure.objects.count()
    print(
        f"indicator view (figures + trend + comparison): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"over {len(times)} ({figures:,} figure rows)"
    )
    cold, warm, page_queries = page_times(rng, geos, args.requests)
    print(
        f"case page: first request p50 {statistics.median(cold):.0f} ms, p95 {pct(cold, 95):.0f} ms; "
        f"again (charts cached) p50 {statistics.median(warm):.1f} ms, p95 {pct(warm, 95):.1f} ms; "
        f"{page_queries} queries"
    )
    loads["end"] = os.getloadavg()

    at_target = args.cases >= TARGET_CASES
    command = f"bench/return_indicators.py --cases {args.cases} --requests {args.requests}"
    if args.generate == "sql":
        command += " --generate sql"
    if args.database:
        command += f" --database {args.database}"
    if args.python_count != (args.cases <= PYTHON_COUNT_MAX):
        command += " --python-count" if args.python_count else " --no-python-count"
    cpu_cell = f"; backend CPU {rebuild_cpu:.1f} s" if rebuild_cpu is not None else ""
    rows = [
        f"| rebuild from scratch, {args.cases:,} cases{' (measured)' if at_target else ''} | "
        f"{rebuild_s:.1f} s = {rebuild_s / 60:.1f} min (facts {rebuilt['facts_s']} s, figures "
        f"{rebuilt['figures_s']} s{cpu_cell}) | {'< 10 min' if at_target else ''} |",
        f"| floor: effective events materialised and one sorted pass, same run | {floor_s:.1f} s | |",
        f"| rebuild / floor | {rebuild_s / floor_s:.1f} | |",
        f"| facts phase in SQL (counting and writing) / floor | {rebuilt['facts_s'] / floor_s:.1f} | |",
    ]
    if python_s is not None:
        rows += [
            f"| former Python counting, reads and counts only, no writes (same run) | {python_s:.1f} s | |",
            f"| facts phase in SQL / former Python counting | {rebuilt['facts_s'] / python_s:.2f} | < 1 |",
        ]
    else:
        rows.append(f"| former Python counting | not run (above {PYTHON_COUNT_MAX:,} cases) | |")
    if not at_target:
        rows.append(f"| rebuild, projected to 5,000,000 cases | {projected / 60:.1f} min | < 10 min |")
    rows += [
        f"| fold of one new event (job every minute) | {fold_s * 1000:.0f} ms | within a minute |",
        f"| indicator view p50 / p95 ({len(times)} random, `selectors.view`) | {p50:.1f} / {p95:.1f} ms "
        "| p95 < 50 ms |",
        f"| case page p50 / p95, charts cached ({len(warm)} random, {page_queries} queries) | "
        f"{statistics.median(warm):.1f} / {pct(warm, 95):.1f} ms | p95 < 50 ms |",
        f"| case page p50 / p95, first request (charts rendered) | {statistics.median(cold):.0f} / "
        f"{pct(cold, 95):.0f} ms | |",
        f"| raw SQL aggregate over the base tables | {raw_s:.1f} s, {len(raw):,} figures | |",
        f"| precomputed figures equal the raw SQL aggregate | {'yes' if equal else 'NO'} | yes |",
    ]
    steps = ", ".join(
        f"{k.removesuffix('_s')} {v}"
        for k, v in rebuilt.items()
        if k.endswith("_s") and k not in ("facts_s", "figures_s")
    )
    body = "\n".join(
        [
            f"### Return indicators from case data ({connection.vendor})",
            "",
            f"Run of {started_at} UTC, `{command}`: synthetic cases and timelines "
            f"({args.cases:,} cases, {events:,} events, {origin})"
            + (
                "; the bench's own distribution (10 member states, 15 third countries, 2021 to 2025, "
                "about 5.3 events a case), not the data of the return-case benchmark."
                if at_target
                else ", not the 5,000,000-case set of the return-case benchmark."
            ),
            "",
            "| measure | result | target |",
            "|---|---|---|",
            *rows,
            "",
            (
                "The rebuild is measured at this size (one transaction: the facts and counters counted "
                "in SQL, `cases.bulk`, then the figures); backend CPU is the PostgreSQL backend's "
                "(`/proc`), its parallel workers not counted."
                if at_target
                else "Projection: the facts phase (the effective events materialised, every measure emitted "
                "in one sorted pass of window functions, the facts rows and counters written by INSERT … "
                "SELECT: `cases.bulk`) times 5,000,000 / cases, plus the figure phase as measured (it grows "
                "with the figure rows, member states x third countries x quarters, not with cases); the "
                "sorts grow a little faster than linearly, so the projection is slightly optimistic."
            )
            + (f" The rebuild's steps (s): {steps}." if steps else "")
            + " The floor is what any rebuild must do at least (read every effective event once and "
            "sort it by case and date). The view reads precomputed rows by index: its time depends on "
            "the number of figure rows, not on the number of cases.",
            "",
            f"Machine shared with other work ({os.cpu_count()} cores): load average (1, 5, 15 min) "
            + "; ".join(f"{when} {', '.join(f'{x:.1f}' for x in load)}" for when, load in loads.items())
            + ".",
        ]
    )
    print(body)
    if args.write_docs:
        from _docs import replace_section

        replace_section(f"bench/return_indicators {connection.vendor}", body)


if __name__ == "__main__":
    main()
