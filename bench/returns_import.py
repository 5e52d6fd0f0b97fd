# ruff: noqa: E501  (the report's table rows read best unbroken)
"""Benchmark of the return-case interchange at EU scale (issue 13, "Scale and speed").

1. **Data**: ``--cases`` synthetic cases (``bench/_returns_synthetic.py``: seeded, 27 member states
   by their share of the EU's return decisions, ten years, about 8.6 events a case), written as
   one JSON lines file per member state (an import is always one member state's).
2. **Import**: every file through ``services.import_file_as_system`` (batches of 10,000
   lines, each carried on to where the next case begins, one transaction each with its audit
   event, sealed identities, name digests, external ids, worklist and the duplicate check), in
   a child process whose peak resident memory is read by ``wait4``; rows per second.
3. **Raw COPY**: the rows the import wrote, read back (not timed) and written again by a bare
   ``COPY … FROM STDIN`` into copies of the same tables with the same indexes (``LIKE … INCLUDING
   ALL``; no row-level security, no trigger), in one transaction: (a) the file's rows (the cases
   and events tables, the events with their external ids), (a') the same with a foreign key from
   the events to their case (the real tables check it, on PostgreSQL by statement triggers:
   ``returns.dbsql``; the headline's copies do not), (b)
   every table the import writes (plus name digests and worklist entries), (c) the same as (b)
   with the tables' foreign keys on the copies (deferred, as Django declares them, checked at
   the timed commit): the import's writes without any of its Python, so (a) / (c) is the
   highest ratio the import could reach with these tables.
   Ratio = raw time / import time (1.0: as fast as COPY).
4. **Export**: the member state and year with the most cases, and the same member state's ten
   years, as JSON lines and CSV through ``exports.export_for_operator`` (all of it consumed),
   against a raw ``COPY (SELECT …) TO STDOUT`` of the same case and event rows; each five times
   in turn (``EXPORT_ROUNDS``), the median kept. Ratio = raw time / export time.

Wall-clock times; the machine's load average is printed beside them. The targets compare with
PostgreSQL's COPY; on SQLite (no COPY) the same steps compare with one bare ``executemany``
INSERT per table into copies made from the tables' own DDL, and with a bare SELECT of the
exported rows (a temporary SQLite file when DATABASE_URL is not set).

``--jobs N`` (PostgreSQL): the import in N processes at once, each importing its share of the
national files (the largest first to the process with the fewest bytes), each file one run of
the same service with its own transactions; the time runs from the first process's start to the
last one's end, the memory is each process's peak.

``--preparer process``: each import prepares its next batch in a forked process instead of a
thread (the setting ``RETURNS_IMPORT_PREPARER``); the importer's CPU then includes its
preparers', printed apart as ``preparer_cpu``.

Usage: DATABASE_URL=postgres://… .venv/bin/python bench/returns_import.py [--cases 100000] [--jobs 2] [--write-docs]
"""

import argparse
import atexit
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH_RUN = {"full": ["--cases", "100000"], "quick": ["--cases", "3000"], "timeout": 5400}

from _docs import replace_section  # noqa: E402  (bench/ is the script's own directory)
from _returns_synthetic import MEMBER_STATES, YEARS, cases  # noqa: E402  (bench/ is the script's own directory)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
_tmp = Path(tempfile.mkdtemp(prefix="ilonet-bench-returns-"))
# the files, keys and dumps of a run (1.8 GB at 1,000,000 cases) go with the process that made them
atexit.register(shutil.rmtree, _tmp, True)
os.environ.setdefault("ILONET_PERSONAL_DATA_KEY_DIR", str(_tmp / "keys"))
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from ilonet.returns import rls  # noqa: E402
from ilonet.returns.dbsql import CASE_CHILDREN, CASES  # noqa: E402
from ilonet.returns.interchange import exports, services  # noqa: E402

FILE_TABLES = ("returns_returncase", "returns_caseevent")
FIRST_YEAR, LAST_YEAR = YEARS[0], YEARS[-1]  # the synthetic cases' ten years
# the external ids are columns of the events (migration returns 0007), no table of their own
ALL_TABLES = (*FILE_TABLES, "returns_namedigest", "returns_worklistentry")


def write_files(directory: Path, count: int) -> dict[str, tuple[int, int]]:
    """One JSON lines file per member state; (cases, lines) per state."""
    handles = {state: (directory / f"{state}.jsonl").open("w", encoding="utf-8") for state in MEMBER_STATES}
    counts = dict.fromkeys(MEMBER_STATES, (0, 0))
    for case, events in cases(count):
        out = handles[case["member_state"]]
        out.write(json.dumps(case, separators=(",", ":")) + "\n")
        for event in events:
            out.write(json.dumps(event, separators=(",", ":")) + "\n")
        n_cases, n_lines = counts[case["member_state"]]
        counts[case["member_state"]] = (n_cases + 1, n_lines + 1 + len(events))
    for out in handles.values():
        out.close()
    return counts


COUNTED = ("cases", "events", "rejected", "duplicates", "batches")


def shares(directory: Path, jobs: int) -> list[list[Path]]:
    """The national files shared among ``jobs`` processes: each file, the largest first, to the
    process with the fewest bytes so far (one process: every file, in name order)."""
    files = sorted(directory.glob("*.jsonl"))
    if jobs == 1:
        return [files]
    out: list[list[Path]] = [[] for _ in range(jobs)]
    sizes = [0] * jobs
    for path in sorted(files, key=lambda p: (-p.stat().st_size, p.name)):
        least = sizes.index(min(sizes))
        out[least].append(path)
        sizes[least] += path.stat().st_size
    return out


def _backend_pid() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _proc_seconds(pid: int | None) -> float | None:
    """A process's user and system CPU seconds from /proc (None: not readable here)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    """This process's CPU seconds (every thread) and those of its ended children (the preparer
    process of each file, ``importing.PREPARER = "process"``)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def child_import(directory: Path, part: int, jobs: int, preparer: str = "thread") -> None:
    """Run in a child process: import its share of the files (``shares``), each as one run of the
    service, one after the other; print one JSON line of totals with the start and end (epoch).
    ``preparer``: the setting ``RETURNS_IMPORT_PREPARER`` (a thread, or a process of its own)."""
    settings.RETURNS_IMPORT_PREPARER = preparer
    started, clock = time.time(), time.perf_counter()
    totals = dict.fromkeys(COUNTED, 0)
    backend = _backend_pid()
    backend_before, cpu_before, children_before = _proc_seconds(backend), _own_cpu(), _children_cpu()
    for path in shares(directory, jobs)[part]:
        run = services.import_file_as_system(path=path, member_state=path.stem)
        totals["cases"] += run.cases_created
        totals["events"] += run.events_created
        totals["rejected"] += run.rows_rejected
        totals["duplicates"] += run.duplicates_suspected
        totals["batches"] += run.batches
    totals["seconds"] = time.perf_counter() - clock
    totals["started"], totals["ended"] = started, started + totals["seconds"]
    # CPU seconds: the importer process's (every thread), and its database backend's (read from
    # /proc when the database runs on this machine; None otherwise, or on SQLite)
    totals["importer_cpu"] = _own_cpu() - cpu_before
    totals["preparer_cpu"] = _children_cpu() - children_before  # of it, in preparer processes
    after = _proc_seconds(backend)
    totals["backend_cpu"] = (
        after - backend_before if after is not None and backend_before is not None else None
    )
    print(json.dumps(totals))


def run_import(directory: Path, jobs: int = 1, preparer: str = "thread") -> dict:
    """The import in ``jobs`` child processes at once, each with its share of the national files
    (its own runs and transactions; the audit chain takes their batches in turn); the time is
    from the first start to the last end, the memory each process's peak (``wait4``)."""
    import subprocess

    env = {**os.environ, "ILONET_BENCH_CHILD": "1"}
    processes = [
        subprocess.Popen(  # noqa: S603 (this script, fixed arguments)
            [
                sys.executable,
                __file__,
                "--child-import",
                str(directory),
                *("--part", str(part), "--jobs", str(jobs), "--preparer", preparer),
            ],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for part in range(jobs)
    ]
    results, peaks, failed = [], [], []
    for process in processes:
        _pid, status, usage = os.wait4(process.pid, 0)
        output = process.stdout.read() if process.stdout else ""
        if status != 0:
            failed.append(output)
            continue
        results.append(json.loads(output.strip().splitlines()[-1]))
        peaks.append(usage.ru_maxrss / 1024)
    if failed:
        raise SystemExit(f"the import failed: {failed}")
    result = {name: sum(r[name] for r in results) for name in COUNTED}
    result["seconds"] = max(r["ended"] for r in results) - min(r["started"] for r in results)
    result["importer_cpu"] = sum(r["importer_cpu"] for r in results)
    result["preparer_cpu"] = sum(r["preparer_cpu"] for r in results)
    backends = [r["backend_cpu"] for r in results]
    result["backend_cpu"] = None if None in backends else sum(backends)
    result["jobs"], result["peak_mb"], result["peak_mb_sum"] = jobs, max(peaks), sum(peaks)
    return result


def count_rows(table: str) -> int:
    with rls.system_scope(), connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def raw_copy(tables: tuple[str, ...], *, foreign_keys: bool = False) -> float:
    """Read the tables back (not timed), then time a bare COPY FROM of the same rows into copies
    of them with the same indexes, in one transaction (SQLite: ``raw_insert``). ``foreign_keys``:
    the copies get the tables' foreign keys too (deferred, checked at the commit, which is timed),
    pointing at the copies where the referenced table is one of them."""
    if connection.vendor == "sqlite":
        return raw_insert(tables)
    dumps = {}
    with rls.system_scope(), connection.cursor() as cursor:
        for table in tables:
            path = _tmp / f"{table}.copy"
            with path.open("wb") as out, cursor.cursor.copy(f"COPY {table} TO STDOUT") as copy:
                for block in copy:
                    out.write(block)
            dumps[table] = path
            cursor.execute(f"DROP TABLE IF EXISTS raw_{table} CASCADE")
            cursor.execute(f"CREATE TABLE raw_{table} (LIKE {table} INCLUDING ALL)")
        if foreign_keys:
            for table in tables:
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'",
                    [table],
                )
                found = cursor.fetchall()
                if table in CASE_CHILDREN:  # checked by statement triggers there (returns.dbsql)
                    found.append(
                        (
                            f"{table}_case",
                            f"FOREIGN KEY (case_id) REFERENCES {CASES}(id) DEFERRABLE INITIALLY DEFERRED",
                        )
                    )
                for name, definition in found:
                    for other in tables:
                        definition = definition.replace(f"REFERENCES {other}(", f"REFERENCES raw_{other}(")
                    cursor.execute(f"ALTER TABLE raw_{table} ADD CONSTRAINT raw_{name[:50]} {definition}")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, path in dumps.items():
            with path.open("rb") as source, cursor.cursor.copy(f"COPY raw_{table} FROM STDIN") as copy:
                while block := source.read(1 << 20):
                    copy.write(block)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table, path in dumps.items():
            cursor.execute(f"DROP TABLE raw_{table} CASCADE")
            path.unlink()
    return seconds


def raw_insert(tables: tuple[str, ...]) -> float:
    """SQLite, which has no COPY: read the tables back (not timed), then time one bare
    ``executemany`` INSERT of the same rows per table into copies made from the tables' own
    DDL (same columns, constraints and indexes), in one transaction."""
    rows, ddl = {}, {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (bench constants)
            rows[table] = cursor.fetchall()
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = %s AND type IN ('table', 'index') AND sql IS NOT NULL",
                [table],
            )
            ddl[table] = [
                sql.replace(f'"{table}"', f'"raw_{table}"').replace('INDEX "', 'INDEX "raw_')
                for (sql,) in cursor.fetchall()
            ]
            cursor.execute(f'DROP TABLE IF EXISTS "raw_{table}"')
            for sql in ddl[table]:
                cursor.execute(sql)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, data in rows.items():
            if data:
                marks = ", ".join(["%s"] * len(data[0]))
                cursor.executemany(f'INSERT INTO "raw_{table}" VALUES ({marks})', data)  # noqa: S608
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'DROP TABLE "raw_{table}"')
    return seconds


def biggest_year() -> tuple[str, int, int]:
    year = (
        "CAST(substr(opened_on, 1, 4) AS integer)"
        if connection.vendor == "sqlite"
        else "extract(year FROM opened_on)::int"
    )
    with rls.system_scope(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT member_state, {year}, count(*) FROM returns_returncase "  # noqa: S608
            "GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1"
        )
        return cursor.fetchone()


def time_export(state: str, year: int, fmt: str, last_year: int | None = None) -> tuple[float, int]:
    from datetime import date

    started, size = time.perf_counter(), 0
    for piece in exports.export_for_operator(
        member_state=state, opened_from=date(year, 1, 1), opened_to=date(last_year or year, 12, 31), fmt=fmt
    ):
        size += len(piece)
    return time.perf_counter() - started, size


def time_raw_export(state: str, year: int, last_year: int | None = None) -> tuple[float, int]:
    cases_sql = (
        f"SELECT * FROM returns_returncase WHERE member_state = '{state}' "  # noqa: S608 (bench constants)
        f"AND opened_on BETWEEN '{year}-01-01' AND '{last_year or year}-12-31'"
    )
    events_sql = f"SELECT e.* FROM returns_caseevent e WHERE e.case_id IN (SELECT id FROM ({cases_sql}) c)"  # noqa: S608
    started, size = time.perf_counter(), 0
    if connection.vendor == "sqlite":  # no COPY TO: the same rows fetched, as text
        with connection.cursor() as cursor:
            for sql in (cases_sql, events_sql):
                cursor.execute(sql)
                while chunk := cursor.fetchmany(5000):
                    size += sum(len("\t".join(map(str, row))) + 1 for row in chunk)
        return time.perf_counter() - started, size
    with rls.member_state_scope([state]), connection.cursor() as cursor:
        for sql in (cases_sql, events_sql):
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
                for block in copy:
                    size += len(block)
    return time.perf_counter() - started, size


# A year of this set exports in about 0.1 s, where a scheduling hiccup moves a single timing by a
# third: the median of five rounds.
EXPORT_ROUNDS = 5


def exports_timed(state: str, first: int, last: int) -> dict[str, tuple[float, int]]:
    """The export as JSON lines and CSV and the raw ``COPY … TO`` of the same rows, each run
    ``EXPORT_ROUNDS`` times in turn (so that none always finds the cache the others warmed); the
    median time of each (sub-second runs swing with the machine)."""
    runs: dict[str, list[tuple[float, int]]] = {"jsonl": [], "csv": [], "raw": []}
    for _round in range(EXPORT_ROUNDS):
        for fmt in ("jsonl", "csv"):
            runs[fmt].append(time_export(state, first, fmt, last))
        runs["raw"].append(time_raw_export(state, first, last))
    return {name: sorted(timed)[len(timed) // 2] for name, timed in runs.items()}


def report(args, counts, imported, rows, raw_file, raw_file_fk, raw_all, raw_all_fk, export, loads) -> str:
    n_cases = sum(c for c, _ in counts.values())
    lines = sum(n for _, n in counts.values())
    rate = rows["all"] / imported["seconds"]
    state, year, year_cases = export["which"]
    decade = export["decade"]
    pg = connection.vendor == "postgresql"
    db = (
        "PostgreSQL" if pg else "SQLite (raw: one bare `executemany` INSERT per table, as SQLite has no COPY)"
    )
    raw = "raw COPY" if pg else "raw INSERT"
    raw_to = "raw `COPY (SELECT …) TO STDOUT`" if pg else "raw SELECT (rows fetched)"
    jobs = imported.get("jobs", 1)
    processes = "one process" if jobs == 1 else f"{jobs} processes at once, each with its share of the files"
    memory = "" if jobs == 1 else f"es (the largest of the {jobs}; together {imported['peak_mb_sum']:.0f} MB)"
    return "\n".join(
        [
            f"Run of {time.strftime('%Y-%m-%d')}, {db}, **{n_cases:,} synthetic cases** ({lines:,} lines in 27 "
            f"national files; {imported['cases']:,} cases and {imported['events']:,} events imported, "
            f"{imported['rejected']} rows refused, {imported['duplicates']} suspected duplicate persons queued, "
            f"{imported['batches']} batches). Load average {loads[0]:.1f} at the start and {loads[1]:.1f} at the end on "
            f"{os.cpu_count()} cores: other jobs shared the machine, so the times are slower than on a quiet one; the "
            "ratios compare runs of the same minutes. **Not** the issue's 5,000,000 cases: that size was not run.",
            "",
            "| measure | figure | target |",
            "|---|---|---|",
            f"| audited import ({processes}; all tables written: {rows['all']:,} rows) | "
            f"{imported['seconds']:.1f} s, {rate:,.0f} rows/s | |",
            f"| {raw} of the file's rows (cases and events: {rows['file']:,} rows) into copies of the same indexed "
            f"tables | {raw_file:.1f} s | |",
            f"| **ratio import / {raw} (file's rows)** | **{raw_file / imported['seconds']:.2f}** | ≥ 0.5 |",
            *(
                [
                    f"| {raw} of the file's rows with the tables' foreign key (events → cases, checked at "
                    f"commit) | {raw_file_fk:.1f} s | |",
                    f"| ratio import / {raw} (file's rows, with their foreign key) | "
                    f"{raw_file_fk / imported['seconds']:.2f} | |",
                ]
                if raw_file_fk is not None
                else []
            ),
            f"| {raw} of every row the import wrote ({len(ALL_TABLES)} tables) | {raw_all:.1f} s | |",
            f"| ratio import / {raw} (every row written) | {raw_all / imported['seconds']:.2f} | |",
            *(
                [
                    f"| {raw} of every row the import wrote, with the tables' foreign keys (checked at "
                    f"commit) | {raw_all_fk:.1f} s | |",
                    f"| ceiling of the ratio set by those writes alone ({raw} of the file's rows / "
                    f"the line above) | {raw_file / raw_all_fk:.2f} | |",
                ]
                if raw_all_fk is not None
                else []
            ),
            f"| peak memory of the import process{memory} | **{imported['peak_mb']:.0f} MB** | < 500 MB |",
            f"| export of {state} {year} ({year_cases:,} cases), JSON lines | {export['jsonl'][0]:.2f} s, "
            f"{export['jsonl'][1] / 1e6:.1f} MB | |",
            f"| export of {state} {year}, CSV | {export['csv'][0]:.2f} s, {export['csv'][1] / 1e6:.1f} MB | |",
            f"| {raw_to} of the same case and event rows | {export['raw'][0]:.2f} s, "
            f"{export['raw'][1] / 1e6:.1f} MB | |",
            f"| **ratio export / {raw_to}** (JSON lines; CSV) | **{export['raw'][0] / export['jsonl'][0]:.2f}; "
            f"{export['raw'][0] / export['csv'][0]:.2f}** | ≥ 0.5 |",
            f"| export of {state} {FIRST_YEAR}-{LAST_YEAR} (all its cases: a year's size at ten times this set), "
            f"JSON lines; CSV; {raw_to} | {decade['jsonl'][0]:.2f} s; {decade['csv'][0]:.2f} s; "
            f"{decade['raw'][0]:.2f} s, {decade['raw'][1] / 1e6:.0f} MB | |",
            f"| **ratio export / {raw_to}, ten years** (JSON lines; CSV) | "
            f"**{decade['raw'][0] / decade['jsonl'][0]:.2f}; {decade['raw'][0] / decade['csv'][0]:.2f}** | ≥ 0.5 |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="import processes at once, each with its share of the national files (PostgreSQL)",
    )
    parser.add_argument(
        "--preparer",
        choices=("thread", "process"),
        default="thread",
        help="where the next batch is prepared while one is written (RETURNS_IMPORT_PREPARER)",
    )
    parser.add_argument("--child-import", type=Path)
    parser.add_argument("--part", type=int, default=0)
    args = parser.parse_args()
    if args.child_import:
        child_import(args.child_import, args.part, args.jobs, args.preparer)
        return
    sqlite = connection.vendor == "sqlite"
    if args.jobs < 1 or (sqlite and args.jobs > 1):
        parser.error("--jobs: 1 or more, and 1 on SQLite (one writer at a time)")
    if sqlite:  # the temporary file named by DATABASE_URL, removed with its directory
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        os.environ["DATABASE_URL"] = (
            os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + settings.DATABASES["default"]["NAME"]
        )
    try:
        loads = [os.getloadavg()[0]]
        directory = _tmp / "files"
        directory.mkdir()
        started = time.perf_counter()
        counts = write_files(directory, args.cases)
        print(f"files written in {time.perf_counter() - started:.0f} s", flush=True)
        imported = run_import(directory, args.jobs, args.preparer)
        print("import", imported, flush=True)
        rows = {"file": sum(count_rows(t) for t in FILE_TABLES)}
        rows["all"] = rows["file"] + sum(count_rows(t) for t in ALL_TABLES[2:])
        raw_file = raw_copy(FILE_TABLES)
        raw_file_fk = raw_copy(FILE_TABLES, foreign_keys=True) if not sqlite else None
        raw_all = raw_copy(ALL_TABLES)
        raw_all_fk = raw_copy(ALL_TABLES, foreign_keys=True) if not sqlite else None
        print("raw", rows, raw_file, raw_file_fk, raw_all, raw_all_fk, flush=True)
        state, year, year_cases = biggest_year()
        export = {"which": (state, year, year_cases), **exports_timed(state, year, year)}
        # the same state's ten years: a year's size at ten times these cases (500,000 a year)
        export["decade"] = exports_timed(state, FIRST_YEAR, LAST_YEAR)
        print("export", export, flush=True)
        loads.append(os.getloadavg()[0])
        text = report(args, counts, imported, rows, raw_file, raw_file_fk, raw_all, raw_all_fk, export, loads)
        print(text)
        if args.write_docs:
            title = "## Return cases: bulk import and export (`bench/returns_import.py`)"
            if sqlite:
                title = "### Return cases: bulk import and export on SQLite (`bench/returns_import.py`)"
            replace_section(f"bench/returns_import.py {connection.vendor}", title + "\n\n" + text)
    finally:
        connections.close_all()
        if not sqlite:
            connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
