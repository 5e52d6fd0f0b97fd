"""Benchmark of a list at millions of rows (issue 9: a list page over 5,000,000 rows answers in
under 100 ms p95).

On a fresh database (a temporary SQLite file, or PostgreSQL via DATABASE_URL: a database named
``test_<name>`` is created and dropped), inserts ``--rows`` deployments with one SQL statement
(generated rows: a thousand officers, dates over 25 years), then times with Django's test
Client, signed in as the board secretariat: the registry page (first page, a page deep in the
list through its keyset cursor, a filtered page), the registry API list (first page, deep
cursor), the capped count alone and the raw SQL of one keyset page (the physical floor).

Usage: .venv/bin/python bench/paging.py [--rows 5000000] [--requests 40] [--write-docs]
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

# How bench/run.py (make bench) runs this module.
BENCH_RUN = {"quick": ["--rows", "200000", "--requests", "10"]}

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
os.environ.setdefault("ILONET_ALLOWED_HOSTS", "testserver,127.0.0.1")
TEMPORARY = None
if "DATABASE_URL" not in os.environ:
    TEMPORARY = tempfile.mkdtemp(prefix="ilonet-paging-")  # gigabytes at 5,000,000 rows: removed at the end
    os.environ["DATABASE_URL"] = f"sqlite:///{TEMPORARY}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from _docs import database_version  # noqa: E402  (bench/ is the script's own directory)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Lists at millions of rows (`bench/paging.py`)"
OFFICERS = 1000

COLUMNS = (
    "deploying_authority_id, officer_id, country, place_kind, place_name, city, task_summary, "
    "start_date, planned_end_date, end_date, status, phone, email, eu_funding_reference, version, "
    "created_at, updated_at"
)


def _insert(rows: int, officer0: int, authorities: list[int]) -> None:
    """``rows`` deployments in one statement: generated, not built in Python."""
    n_auth = len(authorities)
    auth_case = " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(authorities))
    if connection.vendor == "sqlite":
        sequence = "WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < %s)"
        day = "date('2001-01-01', '+' || (n %% 9000) || ' days')"
        later = "date('2001-01-01', '+' || (n %% 9000 + 700) || ' days')"
        now = "datetime('now')"
        source = "seq"
    else:
        sequence = ""
        day = "DATE '2001-01-01' + (n %% 9000)"
        later = "DATE '2001-01-01' + (n %% 9000 + 700)"
        now = "now()"
        source = "generate_series(0, %s) AS seq(n)"
    # Our own constants and integers, no input:
    sql = (
        f"{sequence} INSERT INTO deployments_deployment ({COLUMNS}) "  # noqa: S608
        f"SELECT CASE n %% {n_auth} {auth_case} END, {officer0} + n %% {OFFICERS}, "
        "CASE n %% 4 WHEN 0 THEN 'MA' WHEN 1 THEN 'TN' WHEN 2 THEN 'SN' ELSE 'TR' END, "
        "'ms_mission', 'Post ' || n, 'City', 'Tasks', "
        f"{day}, {later}, {later}, 'ended', '+212537123456', '', '', 1, {now}, {now} FROM {source}"
    )
    with connection.cursor() as cursor:
        indexes = []
        if connection.vendor == "sqlite":
            # Millions of rows into five secondary indexes in random order take most of an hour;
            # the same indexes built afterwards (a sort each) take minutes. The table is new and
            # the benchmark's own: nothing else reads it meanwhile.
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                ["deployments_deployment"],
            )
            indexes = cursor.fetchall()
            cursor.execute("PRAGMA cache_size = -1000000")  # 1 GB for the sorts
            for name, _sql in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(sql, [rows - 1])
        for _name, index_sql in indexes:
            cursor.execute(index_sql)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE deployments_deployment")
        else:
            cursor.execute("PRAGMA cache_size = -2000")
            cursor.execute("ANALYZE")


def load(rows: int):
    from allauth.mfa.totp.internal.auth import TOTP

    from ilonet.accounts.models import RoleAssignment, User
    from ilonet.directory import demo as directory_demo
    from ilonet.directory.models import Organisation

    authorities = [o.pk for o in directory_demo.ensure_authorities()]
    home = Organisation.objects.get(code="nl")
    User.objects.bulk_create(
        [
            User(email=f"officer{i:05d}@bench.example.eu", last_name=f"Officer{i:05d}", organisation=home,
                 password="!")
            for i in range(OFFICERS)
        ]
    )  # fmt: skip
    officer0 = User.objects.filter(email__endswith="@bench.example.eu").order_by("id").first().pk
    _insert(rows, officer0, authorities)
    reader = User.objects.create_user(
        "bench-secretariat@example.eu",
        "bench password 123",
        organisation=Organisation.objects.get(code="com"),
    )
    RoleAssignment.objects.create(user=reader, role="secretariat")
    TOTP.activate(reader, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return reader


def pct(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def timed(client: Client, url: str, repeat: int) -> tuple[float, float]:
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    return pct(samples, 50), pct(samples, 95)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    reader = load(args.rows)
    load_s = time.perf_counter() - started

    from ilonet.deployments import selectors
    from ilonet.shared.paging import Keyset, bounded_count

    client = Client()
    client.force_login(reader, backend="allauth.account.auth_backends.AuthenticationBackend")
    listed = selectors.deployment_list(user=reader)
    keyset = Keyset(listed)
    # Cursors of the row in the middle of the list and of the 50th row from its end (found once
    # by an OFFSET, not timed): the page after each is the middle page and the last page.
    ordered = listed.order_by("-start_date", "-id")
    middle = keyset.encode(ordered[args.rows // 2])
    last = keyset.encode(ordered[args.rows - 51])
    body = client.get("/api/v1/deployments").json()
    targets = [
        ("registry page, first page", "/deployments/"),
        ("registry page, middle page (keyset cursor)", f"/deployments/?after={middle}"),
        ("registry page, last page (keyset cursor)", f"/deployments/?after={last}"),
        ("registry page, filtered by country", "/deployments/?country=SN"),
        ("registry API, first page", "/api/v1/deployments"),
        ("registry API, middle page (cursor)", f"/api/v1/deployments?cursor={middle}"),
        ("registry API, last page (cursor)", f"/api/v1/deployments?cursor={last}"),
    ]
    lines_rows = []
    for label, url in targets:
        p50, p95 = timed(client, url, args.requests)
        lines_rows.append((label, url, p50, p95))
        print(f"{label:50} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms", flush=True)

    def count():
        return bounded_count(selectors.deployment_list(user=reader))

    def raw_page():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM deployments_deployment ORDER BY start_date DESC, id DESC LIMIT 51")
            return cursor.fetchall()

    floor = []
    for label, fn in (("capped count (10,001 rows)", count), ("raw SQL of one keyset page", raw_page)):
        fn()
        samples = []
        for _ in range(args.requests):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        floor.append((label, pct(samples, 50), pct(samples, 95)))

    db_version = database_version()
    lines = [
        f"{args.rows:,} deployments inserted in {load_s:.0f} s (one generated INSERT); {db_version}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} cores; "
        f"{args.requests} timed requests per line after 3 warm-up requests, Django test Client, signed "
        f"in as the board secretariat. The API answers `count` {body['count']:,} with "
        f"`count_is_estimate` {str(body['count_is_estimate']).lower()}. Load average "
        f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.",
        "",
        "| list | p50 ms | p95 ms |",
        "|---|---:|---:|",
    ]
    for label, url, p50, p95 in lines_rows:
        shown = url if len(url) < 40 else url[:36] + "…"
        lines.append(f"| {label} (`{shown}`) | {p50:.1f} | {p95:.1f} |")
    for label, p50, p95 in floor:
        lines.append(f"| {label} | {p50:.2f} | {p95:.2f} |")
    worst = max(p95 for *_x, p95 in lines_rows)
    lines += ["", f"Slowest p95: {worst:.1f} ms (budget 100 ms)."]
    report = "\n".join(lines)
    print("\n" + report)
    if args.write_docs:
        start = f"<!-- bench/paging.py {connection.vendor}: start -->"
        end = f"<!-- bench/paging.py {connection.vendor}: end -->"
        title = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
        section = f"{start}\n### {title}\n\n{report}\n{end}"
        text = DOCS.read_text(encoding="utf-8")
        if start in text and end in text:
            text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
        elif SECTION in text:
            at = text.index(SECTION) + len(SECTION)
            nxt = text.find("\n## ", at)
            at = len(text) if nxt < 0 else nxt
            text = text[:at].rstrip("\n") + "\n\n" + section + "\n" + text[at:]
        else:
            text = text.rstrip("\n") + f"\n\n{SECTION}\n\n" + section
        DOCS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
        print(f"\nwritten to {DOCS.relative_to(ROOT)}")
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)
    if TEMPORARY:
        connection.close()
        shutil.rmtree(TEMPORARY, ignore_errors=True)


if __name__ == "__main__":
    main()
