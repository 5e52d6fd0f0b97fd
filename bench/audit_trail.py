"""Benchmark of the audit trail, the write path every change goes through.

Measures, on a fresh database (a temporary SQLite file, or PostgreSQL via DATABASE_URL):
- appending events through ``audit.services.record`` (hash chain + head row lock), one
  transaction per event as in a request, against the physical limit: the same rows inserted
  by raw SQL in one transaction per row, and in one transaction for all rows;
- verifying the whole chain (``verify_chain``) against reading the same rows by raw SQL;
- the audit trail page and API list for an administrator (p50/p95, queries) against a bare
  view returning a constant.

On PostgreSQL a throwaway database ``test_<name>`` is created and dropped (as Django's tests do).

Usage: .venv/bin/python bench/audit_trail.py [--events 20000] [--requests 60]
       [--write-docs]   (replace this benchmark's section of docs/benchmarks.md)
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

# How bench/run.py (make bench) runs this module.
BENCH_RUN = {"full": ["--events", "20000"], "quick": ["--events", "1000", "--requests", "10"]}

from _docs import database_version, replace_section  # noqa: E402  (bench/ is the script's own directory)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
os.environ.setdefault("ILONET_ALLOWED_HOSTS", "testserver,127.0.0.1")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='ilonet-bench-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1] if len(samples) > 1 else samples[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    n = args.events

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from allauth.mfa.totp.internal.auth import TOTP

    from ilonet.accounts.models import RoleAssignment, User
    from ilonet.audit import services as audit
    from ilonet.audit.actions import AuditAction
    from ilonet.audit.verification import verify_chain
    from ilonet.directory.models import Organisation

    vendor = connection.vendor
    print(f"database: {vendor}; events: {n}")
    rows = []

    # 1. append through the service, one transaction per event (as a request does)
    start = time.perf_counter()
    for i in range(n):
        audit.record(action=AuditAction.RECORD_UPDATED, actor_label=f"user{i}", details={"i": i})
    service_s = time.perf_counter() - start
    rows.append(("append via audit.record (1 txn/event)", n / service_s, "events/s"))
    from ilonet.directory.models import Organisation as Org

    objects = list(Org.objects.all()[:1]) * n
    start = time.perf_counter()
    audit.record_many(action=AuditAction.RECORD_CREATED, actor=None, objects=objects)
    bulk_s = time.perf_counter() - start
    bulk_row = ("append via audit.record_many (chunks of 2,000, 1 txn each)", n / bulk_s, "events/s")

    # 2. physical limits: raw INSERT of the same columns
    cols = ("seq, occurred_at, actor_label, action, outcome, object_type, object_id, "
            "object_repr, user_agent, request_id, details, prev_hash, hash")  # fmt: skip
    placeholders = ", ".join(["%s"] * 13)
    sql = f"INSERT INTO bench_raw ({cols}) VALUES ({placeholders})"  # noqa: S608 (constants)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw")
        cursor.execute("CREATE TABLE bench_raw AS SELECT * FROM audit_auditevent WHERE 1=0")
    from django.utils import timezone

    def raw_row(i):
        return (i, timezone.now(), f"user{i}", "record.updated", "success", "", "", "", "", "",
                f'{{"i": {i}}}', "0" * 64, "0" * 64)  # fmt: skip

    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, raw_row(i))
    raw_each_s = time.perf_counter() - start
    rows.append(("raw INSERT (1 txn/row)", n / raw_each_s, "rows/s"))
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, [raw_row(i) for i in range(n)])
    raw_bulk_s = time.perf_counter() - start
    rows.append(("raw INSERT (1 txn for all)", n / raw_bulk_s, "rows/s"))

    # 3. verification vs raw read
    start = time.perf_counter()
    report = verify_chain()
    verify_s = time.perf_counter() - start
    assert report.ok, report
    rows.append((f"verify_chain ({report.checked:,} events)", report.checked / verify_s, "events/s"))
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent ORDER BY seq")
        fetched = len(cursor.fetchall())
    raw_read_s = time.perf_counter() - start
    rows.append(("raw SELECT of the same rows", fetched / raw_read_s, "rows/s"))

    # 4. pages for an administrator
    admin = User.objects.create_user(
        "bench-admin@example.eu", "bench password 123", organisation=Organisation.objects.get(code="com")
    )
    RoleAssignment.objects.create(user=admin, role="platform_admin")
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(admin, backend="allauth.account.auth_backends.AuthenticationBackend")
    pages = [
        ("GET /audit/ (page 1)", "/audit/"),
        ("GET /audit/?action=record. (filtered)", "/audit/?action=record."),
        ("GET /api/v1/audit/events", "/api/v1/audit/events"),
        ("GET /healthz (bare view: the floor)", "/healthz"),
    ]
    page_rows = []
    for label, url in pages:
        assert client.get(url).status_code == 200
        samples = timed(lambda url=url: client.get(url), args.requests)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        page_rows.append((label, p(samples, 50), p(samples, 95), len(ctx.captured_queries)))
        reset_queries()

    report = _report(rows, bulk_row, page_rows, n, args.requests)
    print(report)
    if args.write_docs:
        _write_docs(report)
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


def _report(rows, bulk_row, page_rows, n, requests) -> str:
    (service, raw_each, raw_bulk, verify, raw_read) = rows
    lines = [
        f"{n:,} events appended one by one, then {n:,} in bulk; {database_version()}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} cores; "
        f"load average {os.getloadavg()[0]:.1f} at the end; pages: {requests} timed requests each.",
        "",
        "| operation | rate | ratio to the physical limit |",
        "|---|---:|---:|",
        f"| {service[0]} | {service[1]:,.0f} {service[2]} | {service[1] / raw_each[1]:.2f} of raw 1-txn |",
        f"| {raw_each[0]} | {raw_each[1]:,.0f} {raw_each[2]} | |",
        f"| {bulk_row[0]} | {bulk_row[1]:,.0f} {bulk_row[2]} | {bulk_row[1] / raw_bulk[1]:.2f} of raw bulk |",
        f"| {raw_bulk[0]} | {raw_bulk[1]:,.0f} {raw_bulk[2]} | |",
        f"| {verify[0]} | {verify[1]:,.0f} {verify[2]} | {verify[1] / raw_read[1]:.2f} of raw read |",
        f"| {raw_read[0]} | {raw_read[1]:,.0f} {raw_read[2]} | |",
        "",
        "| page | p50 ms | p95 ms | queries |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {label} | {p50:.1f} | {p95:.1f} | {queries} |" for label, p50, p95, queries in page_rows]
    return "\n".join(lines)


def _write_docs(report: str) -> None:
    """Replace this benchmark's section for the database in use (between its markers)."""
    title = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    replace_section(f"bench/audit_trail.py {connection.vendor}", f"### {title}\n\n{report}")


if __name__ == "__main__":
    main()
