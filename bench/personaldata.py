"""Benchmark of the personal data of Art. 10 (issue 12's "scale and speed").

On a fresh temporary SQLite database (or PostgreSQL via DATABASE_URL) and a temporary key store:

1. **Name search through the blind index** among ``--records`` records (default 1,000,000): the
   records are written by the fast seeding path (``bench/_personaldata_seed.py``), which writes
   exactly what ``services.create_record`` writes (a data key per person wrapped by the keyring in
   the key store, the personal fields sealed with it, the blind-index digests of every name, one
   audit event per record) in chunks of 5,000, prepared in ``--processes`` processes; then
   ``--lookups`` random family names are looked up the way the page does (the keyed digest, then
   the records of the user's controller and purposes), p50/p95, twice (the second pass repeats the
   first's names), with the query plan.
2. **Erasure** of ``--erase`` expired records (default 100,000, seeded the same way) with their
   keys, by ``services.erase_due_records`` (batches of 5,000), time and peak memory growth.
3. **Key rotation**: ``vault.rewrap_all`` over every data key of the store (the ``--records``
   survivors: measured at that size, not extrapolated), while a thread keeps opening records
   (``load_key`` and ``open_sealed``, as every read does): the site keeps serving; the reads'
   p50/p95 and failures during the rotation are reported.

Usage: .venv/bin/python bench/personaldata.py [--records 1000000] [--lookups 300] [--erase 100000]
       [--processes 2] [--write-docs]

``--write-docs`` writes the figures, with the machine's load average, into docs/benchmarks.md
(``bench/_docs.py``, section ``bench/personaldata.py <database>``).
"""

import argparse
import atexit
import base64
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# make bench: the sizes in a full run (1,000,000 records)
BENCH_RUN = {
    "quick": ["--records", "20000", "--lookups", "100", "--erase", "5000"],
    "timeout": 3600,
}

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
_tmp = tempfile.mkdtemp(prefix="ilonet-bench-pd-")
atexit.register(shutil.rmtree, _tmp, ignore_errors=True)  # a run at 1,000,000 leaves 2 GB otherwise
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"

import platform  # noqa: E402

import django  # noqa: E402
from _docs import replace_section  # noqa: E402  (bench/ is the script's own directory)
from _personaldata_seed import seed_records  # noqa: E402

django.setup()

from datetime import date, timedelta  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.PERSONAL_DATA_KEY_DIR = Path(_tmp) / "keys"

from ilonet.accounts.models import User  # noqa: E402
from ilonet.directory.models import Organisation  # noqa: E402
from ilonet.personaldata import services, vault  # noqa: E402
from ilonet.personaldata.models import NameDigest, PurposeAssignment, Record  # noqa: E402

FAMILY = [f"Family{i}" for i in range(50_000)]
PLACES = ["Oujda", "Dakar", "Tunis", "Lagos", "Kabul", "Tbilisi", "Dhaka", "Quetta", "Asmara", "Bamako"]
NATIONALITIES = ["MA", "SN", "TN", "NG", "AF", "GE", "BD", "PK", "ER", "ML"]
# the seeded records' purposes and categories (each pair one Art. 10(3) allows), by weight
PAIRS = [("return", "a")] * 6 + [("legal_migration", "c")] * 3 + [("resettlement", "d")]
SEEDED_PURPOSES = {"return", "legal_migration", "resettlement"}
LOOKUP_PURPOSES = ["return", "legal_migration"]  # the searching user works on two of the three


def p(samples, q):
    return statistics.quantiles(samples, n=100)[q - 1]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def people(n: int, rng: random.Random):
    """``n`` data subjects (purpose, category, fields as a form gives them), seeded."""
    for _ in range(n):
        purpose, category = rng.choice(PAIRS)
        nationality = rng.choice(NATIONALITIES)
        yield (
            purpose,
            category,
            {
                "names": [
                    {"script": "latin", "family": rng.choice(FAMILY), "given": f"Given{rng.randrange(5000)}"}
                ],
                "birth_date": date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                "birth_place": rng.choice(PLACES),
                "nationality": nationality,
                "documents": [
                    {"kind": "passport", "number": f"P{rng.randrange(10**8):08d}", "country": nationality}
                ],
            },
        )


def seed(user, n: int, *, today: date, rng: random.Random, processes: int) -> float:
    start = time.perf_counter()

    def progress(done: int) -> None:
        rate = done / (time.perf_counter() - start)
        print(f"  seeded {done:,} ({rate:,.0f} a second)", end="\r", flush=True)

    with big_page_caches():
        seed_records(
            actor=user,
            items=people(n, rng),
            today=today,
            purposes=SEEDED_PURPOSES,
            processes=processes,
            progress=progress,
        )
    print()
    return time.perf_counter() - start


@contextmanager
def big_page_caches():
    """SQLite: a 512 MiB page cache for the database and the key store while seeding (the random
    digests and references of a large register do not fit SQLite's 2 MiB); given back after, so
    the lookups run with the connection's usual cache."""
    if connection.vendor != "sqlite":
        yield
        return
    keys = vault._db()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before, keys_before = cursor.fetchone()[0], keys.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute("PRAGMA cache_size = -524288")
    keys.execute("PRAGMA cache_size = -524288")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
        keys.execute(f"PRAGMA cache_size = {int(keys_before)}")


def lookup(name: str, controller_id: int) -> list[str]:
    digest = vault.name_digest(name)
    return list(
        Record.objects.filter(
            controller_id=controller_id, purpose__in=LOOKUP_PURPOSES, digests__digest=digest
        )
        .distinct()
        .values_list("ref", flat=True)[:50]
    )


def query_plan(controller_id: int) -> str:
    qs = (
        Record.objects.filter(
            controller_id=controller_id, purpose__in=LOOKUP_PURPOSES, digests__digest=vault.name_digest("x")
        )
        .distinct()
        .values_list("ref", flat=True)[:50]
    )
    return qs.explain()


def reads_during(action, refs: list[tuple[str, str]], rng: random.Random) -> tuple[Any, list[float], int]:
    """Run ``action`` while a thread opens records (key, then fields) as every read does; the
    action's result, the reads' milliseconds and how many reads failed."""
    stop, samples, failures = threading.Event(), [], [0]

    def reader() -> None:
        while not stop.is_set():
            ref, sealed = rng.choice(refs)
            start = time.perf_counter()
            try:
                vault.open_sealed(vault.load_key(ref), ref, sealed)
            except Exception:  # noqa: BLE001  (counted: a read that failed during the rotation)
                failures[0] += 1
            samples.append((time.perf_counter() - start) * 1000)
            time.sleep(0.005)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        result = action()
    finally:
        stop.set()
        thread.join()
    return result, samples, failures[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--erase", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=2, help="processes preparing the seeded records")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    load_before, started = os.getloadavg()[0], time.strftime("%Y-%m-%d")
    call_command("migrate", verbosity=0)
    from ilonet.directory.services import ensure_reference_organisations

    ensure_reference_organisations()
    rng = random.Random(12)  # noqa: S311  (benchmark data, not security)
    nl = Organisation.objects.get(code="nl")
    user = User.objects.create_user("bench@example.eu", "x", organisation=nl)
    from ilonet.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=user, role="ilo")
    for purpose in SEEDED_PURPOSES:
        PurposeAssignment.objects.create(user=user, purpose=purpose, controller=nl)
    today = timezone.localdate()
    print(f"{connection.vendor}; seeding {args.records:,} records for the lookup")
    seed_took = seed(user, args.records, today=today, rng=rng, processes=args.processes)
    digest_count = NameDigest.objects.count()
    print(f"  {seed_took:.0f} s ({args.records / seed_took:,.0f} a second); {digest_count:,} digests")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plan = query_plan(nl.pk)
    print(plan)

    names = [rng.choice(FAMILY) for _ in range(args.lookups)]
    passes = []
    for _ in range(2):  # the second pass repeats the names: the same work, another moment
        samples = []
        for name in names:
            start = time.perf_counter()
            lookup(name, nl.pk)
            samples.append((time.perf_counter() - start) * 1000)
        passes.append(samples)
        print(
            f"blind-index lookup among {args.records:,} records: "
            f"p50 {p(samples, 50):.2f} ms, p95 {p(samples, 95):.2f} ms, max {max(samples):.1f} ms"
        )
    load_lookup = os.getloadavg()[0]

    print(f"seeding {args.erase:,} expired records")
    seed(user, args.erase, today=today - timedelta(days=800), rng=rng, processes=args.processes)
    before = rss_mb()
    start = time.perf_counter()
    erased = services.erase_due_records(today=today)
    erase_took, growth = time.perf_counter() - start, rss_mb() - before
    print(f"erasure: {erased:,} records and keys in {erase_took:.1f} s; peak RSS growth {growth:.0f} MB")

    sample_refs = list(Record.objects.order_by("?").values_list("ref", "sealed")[:2000])
    old = settings.ENCRYPTION_KEYS
    settings.ENCRYPTION_KEYS = f"bench:{base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip('=')},{old}"
    start = time.perf_counter()
    counts, reads, failed = reads_during(vault.rewrap_all, sample_refs, rng)
    took = time.perf_counter() - start
    per_million = took / max(counts["rewrapped"], 1) * 1_000_000
    print(
        f"rotation: {counts['rewrapped']:,} data keys re-wrapped in {took:.1f} s "
        f"({per_million / 60:.1f} min per 1,000,000); {len(reads):,} reads meanwhile, "
        f"p50 {p(reads, 50):.2f} ms, p95 {p(reads, 95):.2f} ms, {failed} failed"
    )
    load_end = os.getloadavg()[0]
    if args.write_docs:
        command = " ".join(["bench/personaldata.py", *sys.argv[1:]])
        first, second = passes
        plan_line = " ".join(plan.split())
        body = (
            f"### {connection.vendor}\n\n"
            f"{started}, {os.cpu_count()} cores, Python {platform.python_version()}, load average "
            f"{load_before:.1f} at the start, {load_lookup:.1f} after the lookups and {load_end:.1f} at "
            "the end (other helpers' jobs share the machine: the milliseconds are those of a loaded "
            f"machine). `{command}`. {args.records:,} records seeded in {seed_took:.0f} s "
            f"({args.records / seed_took:,.0f} a second, `bench/_personaldata_seed.py`, "
            f"{args.processes} preparing processes). Query plan of the lookup: `{plan_line}`\n\n"
            "| measure | result | target |\n|---|---:|---:|\n"
            f"| blind-index lookup among {args.records:,} records ({digest_count:,} digests), "
            f"{args.lookups} names | p50 {p(first, 50):.2f} ms, p95 {p(first, 95):.2f} ms; "
            f"the same names again: p50 {p(second, 50):.2f} ms, p95 {p(second, 95):.2f} ms "
            "| p95 < 20 ms at 1,000,000 |\n"
            f"| erasure of {erased:,} expired records with their keys (`erase_due_records`) "
            f"| {erase_took:.1f} s, peak RSS growth {growth:.0f} MB | < 60 s for 100,000 |\n"
            f"| rotation: {counts['rewrapped']:,} data keys re-wrapped (`vault.rewrap_all`) "
            f"| {took:.1f} s ({per_million / 60:.1f} min per 1,000,000) | < 10 min at 1,000,000 |\n"
            f"| reads during the rotation (`load_key` and `open_sealed`, one thread) "
            f"| {len(reads):,} reads, p50 {p(reads, 50):.2f} ms, p95 {p(reads, 95):.2f} ms, {failed} failed "
            "| the site keeps serving |"
        )
        replace_section(f"bench/personaldata.py {connection.vendor}", body)


if __name__ == "__main__":
    main()
