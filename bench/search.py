"""Benchmark of full-text search (``ilonet.search``): query latency over a large synthetic index.

The issue's scale is 200,000 documents with about 2 GB of extracted text. This shared 2-core
machine cannot hold that beside the other work, so the benchmark keeps the number of documents
(200,000 by default) and shortens the texts: a title of 6 words and a body of ``--words`` words
(90 by default, about 650 characters), about 130 MB of text in all. The number of documents,
the vocabulary and the access keys are at full scale; the length of each text is not (a longer
body makes the index larger and the ranking of common words slower: see docs/benchmarks.md).

Texts: five languages (English 40 %, Dutch, French, German 15 % each, and 15 % in a language
searched as written), words drawn from a Zipf distribution over 30,000 synthetic words per
language plus real words of the domain in their inflected forms ("terugkeerbesluiten",
"Rückführungsentscheidungen", "décisions de retour"). Each document lies in one of 400 spaces
(access keys ``space:N`` and ``folder:M``) and has a date, a category and one to three topics.

Loading is done in bulk (the same rows and full-text part as ``services.index_document``, in
batches); ``services.index_document`` itself is timed on 300 documents. Then every query kind
runs ``--queries`` times through ``selectors.search`` (first page of 20 hits, count, snippets):

- rare word, medium word, common word, two words, a Dutch inflected form;
- a member who may open 10 of the 400 spaces (common word), and the same with a space filter;
- the board, who may open all 400 spaces (common word, the widest access list).

On PostgreSQL a throwaway database ``test_<name>`` is created and dropped (``--keep`` keeps it,
and its data, for the next run).

Usage: .venv/bin/python bench/search.py [--docs 200000] [--words 90] [--queries 60] [--keep]
       [--write-docs]
"""

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

# make bench: the 200,000 documents in a full run (bodies of 90 words, see above)
BENCH_RUN = {"quick": ["--docs", "2000", "--queries", "5"], "timeout": 3600}

from _docs import database_version, replace_section  # noqa: E402  (bench/ is the script's own directory)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='ilonet-bench-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

SPACES = 400
LANGUAGES = [("en", 40), ("nl", 15), ("fr", 15), ("de", 15), ("", 15)]
DOMAIN = {
    "en": "return returns returned decision decisions smuggling smugglers route routes readmission detention",
    "nl": "terugkeer terugkeerbesluit terugkeerbesluiten smokkelroute smokkelroutes besluiten overname",
    "fr": "retour retours décision décisions passeurs réseaux migratoires expulsées réadmission",
    "de": "Rückkehr Rückführungsentscheidung Rückführungsentscheidungen Schleuser Schleusern Berichte",
    "": "retorno decisiones rutas traficantes readmisión",
}
SYLLABLES = "ka ro mi ne tu sa le vo di pa ri go ze ba lu fe mo ti na re ko si da vu pe li to ma".split()  # noqa: SIM905


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return sorted(words)


def corpus(n: int, words: int, seed: int = 20261202):
    """Yield ``n`` synthetic documents (seeded: every run indexes the same corpus)."""
    from ilonet.search.documents import SearchDocument

    rng = random.Random(seed)  # noqa: S311 - synthetic data
    vocab = {code: vocabulary(rng, 30_000) for code, _ in LANGUAGES}
    zipf = list(__import__("itertools").accumulate(1 / rank for rank in range(1, 30_001)))
    codes, weights = zip(*LANGUAGES, strict=True)
    start = date(2024, 1, 1)
    for object_id in range(1, n + 1):
        language = rng.choices(codes, weights)[0]
        body = rng.choices(vocab[language], cum_weights=zipf, k=words)
        domain = DOMAIN[language].split()
        for _ in range(rng.randint(0, 3)):
            body[rng.randrange(words)] = rng.choice(domain)
        space = rng.randrange(SPACES)
        yield SearchDocument(
            kind="bench.document", object_id=object_id,
            title=" ".join(rng.choices(vocab[language], cum_weights=zipf, k=5) + [rng.choice(domain)]),
            body=" ".join(body).capitalize() + ".", language=language,
            access=(f"space:{space}", f"folder:{space * 10 + rng.randrange(10)}"),
            date=start + timedelta(days=rng.randrange(1000)), space=str(space),
            category=rng.choice("abcde"), topics=tuple(sorted(set(rng.choices("abcdefghijkl", k=3)))),
        )  # fmt: skip


def load(n: int, words: int, batch: int = 2000) -> float:
    """Bulk-load the corpus; seconds taken."""
    from ilonet.search.backends.sqlite import key_token
    from ilonet.search.models import Entry, Grant
    from ilonet.search.query import index_text

    started = time.perf_counter()
    documents = corpus(n, words)
    now = timezone.now()
    while True:
        chunk = [doc for _, doc in zip(range(batch), documents, strict=False)]
        if not chunk:
            break
        with transaction.atomic():
            entries = Entry.objects.bulk_create(
                [
                    Entry(kind=d.kind, object_id=d.object_id, language=d.language or "", title=d.title,
                          body=d.body, date=d.date, space=d.space, category=d.category,
                          topics="|" + "|".join(d.topics) + "|", indexed_at=now,
                          access=" ".join(sorted(d.access)))
                    for d in chunk
                ]
            )  # fmt: skip
            if connection.vendor == "sqlite":  # bulk_create on SQLite does not return ids
                by_object = dict(
                    Entry.objects.filter(object_id__range=(chunk[0].object_id, chunk[-1].object_id))
                    .values_list("object_id", "pk")
                )  # fmt: skip
                for entry in entries:
                    entry.pk = by_object[entry.object_id]
            Grant.objects.bulk_create(
                [Grant(entry=e, key=k) for e, d in zip(entries, chunk, strict=True) for k in d.access]
            )
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO search_fts (rowid, title, body, access) VALUES (%s, %s, %s, %s)",
                        [
                            (
                                e.pk,
                                index_text(e.title, e.language),
                                index_text(e.body, e.language),
                                " ".join(key_token(k) for k in e.access.split()),
                            )
                            for e in entries
                        ],  # fmt: skip
                    )
        print(f"  loaded {chunk[-1].object_id:,}", end="\r", flush=True)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_entry")
            cursor.execute("VACUUM ANALYZE search_grant")
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run_queries(n_queries: int, words: int):
    from ilonet.search.selectors import search

    rng = random.Random(7)  # noqa: S311 - synthetic data
    vocab = vocabulary(random.Random(20261202), 30_000)  # noqa: S311 - the English words of the corpus
    everyone = [f"space:{n}" for n in range(SPACES)]
    kinds = {
        "rare word (rank 3,000-30,000)": lambda: (rng.choice(vocab[3000:]), everyone, {}),
        "medium word (rank 100-1,000)": lambda: (rng.choice(vocab[100:1000]), everyone, {}),
        "common word (rank 1-10)": lambda: (rng.choice(vocab[:10]), everyone, {}),
        "two words (ranks 20-500)": lambda: (f"{rng.choice(vocab[20:500])} {rng.choice(vocab[20:500])}",
                                             everyone, {}),
        "Dutch inflected form": lambda: (rng.choice(["terugkeerbesluit", "smokkelroutes", "besluit"]),
                                         everyone, {}),
        "member, 10 of 400 spaces, common word": lambda: (
            rng.choice(vocab[:10]), [f"space:{n}" for n in rng.sample(range(SPACES), 10)], {}),
        "member, 10 spaces, common word, space filter": lambda: (
            rng.choice(vocab[:10]), [f"space:{n}" for n in rng.sample(range(SPACES), 10)],
            {"space": str(rng.randrange(SPACES))}),
        "board, all 400 spaces, domain word": lambda: ("return decision", everyone, {}),
    }  # fmt: skip
    rows = []
    for label, make in kinds.items():
        timings, counts = [], []
        for _ in range(n_queries):
            query, allowed, filters = make()
            started = time.perf_counter()
            page = search(query, allowed=allowed, **filters)
            timings.append((time.perf_counter() - started) * 1000)
            counts.append(page.count)
        rows.append(
            (label, statistics.median(counts), percentile(timings, 50), percentile(timings, 95), max(timings))
        )
        print(f"  {label}: p50 {rows[-1][2]:.1f} ms, p95 {rows[-1][3]:.1f} ms")
    return rows


def time_index_document(n: int, words: int) -> float:
    from ilonet.search import services

    documents = list(corpus(n, words, seed=99))
    started = time.perf_counter()
    for document in documents:
        services.index_document(document.__class__(**{**document.__dict__, "kind": "bench.other"}))
    return (time.perf_counter() - started) * 1000 / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--words", type=int, default=90)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database and its data")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=not args.keep, keepdb=args.keep)
    else:
        call_command("migrate", verbosity=0)
    from ilonet.search.models import Entry

    loaded = Entry.objects.filter(kind="bench.document").count()
    seconds = None
    if loaded != args.docs:
        Entry.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_fts")
        seconds = load(args.docs, args.words)
        print(f"\nloaded {args.docs:,} documents in {seconds:.0f} s")
    Entry.objects.filter(kind="bench.other").delete()
    per_document = time_index_document(300, args.words)
    Entry.objects.filter(kind="bench.other").delete()
    text_mb = _text_megabytes()
    rows = run_queries(args.queries, args.words)
    report = _report(rows, args, seconds, per_document, text_mb)
    print(report)
    if args.write_docs:
        _write_docs(report)
    if connection.vendor == "postgresql" and not args.keep:
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)
    elif connection.vendor == "sqlite" and "ilonet-bench-" in str(settings.DATABASES["default"]["NAME"]):
        connection.close()
        shutil.rmtree(Path(settings.DATABASES["default"]["NAME"]).parent, ignore_errors=True)


def _text_megabytes() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(length(title) + length(body)) FROM search_entry")
        return (cursor.fetchone()[0] or 0) / 1e6


def _report(rows, args, seconds, per_document: float, text_mb: float) -> str:
    loading = f"bulk-loaded in {seconds:.0f} s" if seconds else "loaded by an earlier run (--keep)"
    lines = [
        f"{args.docs:,} documents, {text_mb:,.0f} MB of text (bodies of {args.words} words: scaled down "
        f"from the issue's 2 GB, see the script's docstring), {loading}; {database_version()}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} cores; load average "
        f"{os.getloadavg()[0]:.1f} at the end. `services.index_document` (the job's path, language "
        f"given): {per_document:.1f} ms a document. Each query kind {args.queries} times through "
        "`selectors.search` (first page of 20 hits with snippets, capped count), in milliseconds.",
        "",
        "| query | median hits counted (cap 1,000) | p50 | p95 | max |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, count, p50, p95, worst in rows:
        lines.append(f"| {label} | {count:,.0f} | {p50:.1f} | {p95:.1f} | {worst:.1f} |")
    every = [row[3] for row in rows]
    lines += ["", f"Worst p95 of all kinds: **{max(every):.1f} ms** (budget 100 ms)."]
    return "\n".join(lines)


def _write_docs(report: str) -> None:
    """Replace this benchmark's section for the database in use (between its markers)."""
    title = "SQLite (FTS5)" if connection.vendor == "sqlite" else "PostgreSQL (tsvector, GIN)"
    replace_section(f"bench/search.py {connection.vendor}", f"### {title}\n\n{report}")


if __name__ == "__main__":
    main()
