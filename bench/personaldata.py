"""Benchmark of the personal data of Art. 10 (issue 12's "scale and speed").

On a fresh temporary SQLite database (or PostgreSQL via DATABASE_URL) and a temporary key store:

1. **Name search through the blind index** among ``--records`` records (default 1,000,000): the
   rows are bulk-inserted (sealed blobs of the real size, three name digests each, like the
   service writes); then ``--lookups`` random names are looked up the way the page does (the
   keyed digest, then the records of the user's controller and purposes), p50/p95.
2. **Erasure** of ``--erase`` expired records (default 100,000) with their keys, by
   ``services.erase_due_records`` (batches of 5,000), time and peak memory growth.
3. **Key rotation**: ``vault.rewrap_all`` over the ``--rotate`` data keys of the erasure's
   survivors (default 100,000), extrapolated to 1,000,000; the site keeps serving meanwhile (both
   keyring keys decrypt; each key file is replaced atomically).

Usage: .venv/bin/python bench/personaldata.py [--records 1000000] [--lookups 300] [--erase 100000]
       [--rotate 100000] [--write-docs]

``--write-docs`` writes the figures, with the machine's load average, into docs/benchmarks.md
(``bench/_docs.py``, section ``bench/personaldata.py <database>``).
"""

import argparse
import base64
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

# make bench: the sizes in a full run (1,000,000 records)
BENCH_RUN = {
    "quick": ["--records", "20000", "--lookups", "100", "--erase", "5000", "--rotate", "5000"],
    "timeout": 3600,
}

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
_tmp = tempfile.mkdtemp(prefix="ilonet-bench-pd-")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"

import platform  # noqa: E402

import django  # noqa: E402
from _docs import replace_section  # noqa: E402  (bench/ is the script's own directory)

django.setup()

from datetime import timedelta  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.PERSONAL_DATA_KEY_DIR = Path(_tmp) / "keys"

from ilonet.accounts.models import User  # noqa: E402
from ilonet.directory.models import Organisation  # noqa: E402
from ilonet.personaldata import services, vault  # noqa: E402
from ilonet.personaldata.models import NameDigest, PurposeAssignment, Record  # noqa: E402

FAMILY = [f"Family{i}" for i in range(50_000)]
SEALED = base64.b64encode(os.urandom(12 + 420 + 16)).decode()  # a typical sealed document


def p(samples, q):
    return statistics.quantiles(samples, n=100)[q - 1]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def insert(n: int, controller_id: int, *, erase_on, rng, with_keys: bool = False) -> float:
    start = time.perf_counter()
    batch = 10_000
    for offset in range(0, n, batch):
        with transaction.atomic():
            rows = [
                Record(
                    controller_id=controller_id,
                    purpose=rng.choice(["return", "exchange", "legal_migration"]),
                    category="a",
                    sealed=SEALED,
                    erase_on=erase_on,
                )
                for _ in range(min(batch, n - offset))
            ]
            Record.objects.bulk_create(rows, batch_size=2000)
            digests = []
            for r in rows:
                family, given = rng.choice(FAMILY), f"Given{rng.randrange(5000)}"
                for d in vault.name_digests(f"{given} {family}"):
                    digests.append(NameDigest(record=r, digest=d))
            NameDigest.objects.bulk_create(digests, batch_size=5000)
            if with_keys:
                vault.store_wrapped([(r.ref, vault._wrap(os.urandom(32), r.ref)) for r in rows])
        print(f"  inserted {offset + len(rows):,}", end="\r", flush=True)
    print()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--erase", type=int, default=100_000)
    parser.add_argument("--rotate", type=int, default=100_000)
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
    for purpose in ("return", "exchange"):
        PurposeAssignment.objects.create(user=user, purpose=purpose, controller=nl)
    today = timezone.localdate()
    print(f"{connection.vendor}; inserting {args.records:,} records for the lookup")
    took = insert(args.records, nl.pk, erase_on=today + timedelta(days=365), rng=rng)
    digest_count = NameDigest.objects.count()
    print(f"  {took:.0f} s; {digest_count:,} digests")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    samples = []
    for _ in range(args.lookups):
        name = rng.choice(FAMILY)
        start = time.perf_counter()
        digest = vault.name_digest(name)
        list(
            Record.objects.filter(
                controller_id=nl.pk, purpose__in=["return", "exchange"], digests__digest=digest
            )
            .distinct()
            .values_list("ref", flat=True)[:50]
        )
        samples.append((time.perf_counter() - start) * 1000)
    print(
        f"blind-index lookup among {args.records:,} records: "
        f"p50 {p(samples, 50):.2f} ms, p95 {p(samples, 95):.2f} ms"
    )

    print(f"inserting {args.erase:,} expired records with their keys, {args.rotate:,} kept ones with keys")
    insert(args.erase, nl.pk, erase_on=today - timedelta(days=1), rng=rng, with_keys=True)
    insert(args.rotate, nl.pk, erase_on=today + timedelta(days=365), rng=rng, with_keys=True)
    before = rss_mb()
    start = time.perf_counter()
    erased = services.erase_due_records(today=today)
    erase_took, growth = time.perf_counter() - start, rss_mb() - before
    print(f"erasure: {erased:,} records and keys in {erase_took:.1f} s; peak RSS growth {growth:.0f} MB")

    old = settings.ENCRYPTION_KEYS
    settings.ENCRYPTION_KEYS = f"bench:{base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip('=')},{old}"
    start = time.perf_counter()
    counts = vault.rewrap_all()
    took = time.perf_counter() - start
    per_million = took / max(counts["rewrapped"], 1) * 1_000_000
    print(
        f"rotation: {counts['rewrapped']:,} data keys re-wrapped in {took:.1f} s "
        f"(extrapolated to 1,000,000: {per_million / 60:.1f} min)"
    )
    if args.write_docs:
        command = " ".join(["bench/personaldata.py", *sys.argv[1:]])
        body = (
            f"### {connection.vendor}\n\n"
            f"{started}, {os.cpu_count()} cores, Python {platform.python_version()}, load average "
            f"{load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end (other helpers' jobs "
            "share the machine: the milliseconds are those of a loaded machine). `" + command + "`\n\n"
            "| measure | result | target |\n|---|---:|---:|\n"
            f"| blind-index lookup among {args.records:,} records ({digest_count:,} digests) "
            f"| p50 {p(samples, 50):.2f} ms, p95 {p(samples, 95):.2f} ms | p95 < 20 ms at 1,000,000 |\n"
            f"| erasure of {erased:,} expired records with their keys (`erase_due_records`) "
            f"| {erase_took:.1f} s, peak RSS growth {growth:.0f} MB | < 60 s for 100,000 |\n"
            f"| rotation: {counts['rewrapped']:,} data keys re-wrapped (`vault.rewrap_all`) "
            f"| {took:.1f} s, so {per_million / 60:.1f} min per 1,000,000 | < 10 min at 1,000,000 |"
        )
        replace_section(f"bench/personaldata.py {connection.vendor}", body)


if __name__ == "__main__":
    main()
