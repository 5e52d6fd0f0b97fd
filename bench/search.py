"""Benchmark of full-text search (``ilonet.search``): query latency over a large synthetic index.

The issue's scale is 200,000 documents with about 2 GB of extracted text. By default the
benchmark keeps the number of documents (200,000) and shortens the texts: a title of 6 words and
a body of ``--words`` words (90 by default, about 650 characters), about 150 MB of text in all.
``--words 1500`` gives bodies of about 10 KB, the issue's 2 GB (a longer body makes the index
larger and the ranking of common words slower: see docs/benchmarks.md); its numbers go to a
section of their own. The number of documents, the vocabulary and the access keys are at full
scale either way.

Texts: five languages (English 40 %, Dutch, French, German 15 % each, and 15 % in a language
searched as written), words drawn from a Zipf distribution over 30,000 synthetic words per
language plus real words of the domain in their inflected forms ("terugkeerbesluiten",
"Rückführungsentscheidungen", "décisions de retour"). Each document lies in one of 400 spaces
(access keys ``space:N`` and ``folder:M``) and has a date, a category and one to three topics.

The corpus is drawn with numpy in blocks of 2,000 documents, each from its own seed (``Corpus``),
and loaded in bulk (the same rows and full-text part as ``services.index_document``, one
transaction a block: ``COPY`` on PostgreSQL, ``executemany`` on SQLite; on PostgreSQL the two
GIN indexes are built once after the rows, as their migrations define them);
``services.index_document`` itself is timed on 300 documents. Then every query kind
runs ``--queries`` times through ``selectors.search`` (first page of 20 hits, count, snippets):

- rare word, medium word, common word, two words, a Dutch inflected form;
- a member who may open 10 of the 400 spaces (common word), and the same with a space filter;
- the board, who may open all 400 spaces (common word, the widest access list).

The entries are those of real exchange documents: 400 ``Space`` rows (one the board's, the
others working groups), 10 folders each, and one ``Document`` row per entry (bulk-created, its id
the entry's ``object_id``, in the entry's space, a third at the top of the space and the rest in
its folders, one in 25 marked sensitive), with the keys the exchange's indexing gives
(``exchange.space:N``, ``exchange.document:N``). The kinds above pass those keys; the exchange's
own path is then timed as a request runs it (the user's roles and spaces computed afresh):

- ``exchange.selectors.search_documents`` for an officer who is a member of 10 of the 400 spaces
  and for the secretariat, who reads every space (Art. 7(6): the board's and the working groups');
- a space's page (``space_detail``, ``folder_contents``, its first page of 50 documents with the
  count, and the folders), and the list of spaces with the documents counted in each.

On PostgreSQL a throwaway database ``test_<name>`` is created and dropped (``--keep`` keeps it,
and its data, for the next run). On SQLite the database is a temporary file, removed at the end,
unless ``DATABASE_URL`` names one outside the temporary directory (kept: run again with the same
``DATABASE_URL``). A kept database is timed again as it is (``--only`` to time some kinds); a
load stopped part-way (each block of 2,000 documents is one transaction) is carried on from its
last whole block by the same command with ``--keep`` (``loaded_prefix``), so the 2 GB can be
loaded over several sessions.

Usage: .venv/bin/python bench/search.py [--docs 200000] [--words 90] [--queries 60] [--keep]
       [--write-docs] [--only TEXT]  (--only: time only the kinds whose label holds TEXT)

The issue's 2 GB (200,000 documents of 1,500 words: 2.36 GB of text; on SQLite loaded in 45
minutes under ``nice -n 10`` at load 7 to 15, 412 s of the process's CPU, a 6.3 GB database;
loading 20,000 took 297 s on PostgreSQL at load 6 to 15, by estimate 15 to 25 minutes for the
whole on a quiet 2-core machine; check ``df -h`` first), SQLite then PostgreSQL:

    .venv/bin/python bench/search.py --words 1500 --keep --write-docs
    DATABASE_URL=postgres://ilonet:ilonet@127.0.0.1:54329/ilonet \
        .venv/bin/python bench/search.py --words 1500 --keep --write-docs
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

LOAD_AT_START = os.getloadavg()[0]

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402

SPACES = 400
FOLDERS_PER_SPACE = 10
TOP_LEVEL = 3  # of the 10 folder draws, this many put the document at the top of its space
SENSITIVE_EVERY = 25
MEMBER_SPACES = 10
VOCABULARY = 30_000  # words per language
BLOCK = 2000  # documents drawn (from their own seed) and written (in one transaction) together
DEFAULT_WORDS = 90  # the body's words; 1,500 (about 10 KB) gives the 2 GB at 200,000
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


class Corpus:
    """The synthetic corpus (seeded: every run indexes the same documents), drawn a batch at a
    time with numpy: per document a language, ``words`` body words and five title words from a
    Zipf distribution (weight 1/rank) over the language's 30,000 words, zero to three of the
    body's words and one of the title's replaced by words of the domain, a space, a folder, a
    date, a category and one to three topics. The vocabulary is the one the query kinds draw from
    (``vocabulary`` with the same seed). The words are drawn as indices into one array of every
    language's words, and each document's text (and, for SQLite, its stemmed index text) is one
    join of an array of strings: about 60 µs a document of 1,500 words, where drawing and stemming
    the words one by one in Python took over a millisecond."""

    def __init__(self, words: int, seed: int = 20261202):
        import numpy

        self.np = numpy
        self.words = words
        rng = random.Random(seed)  # noqa: S311 - synthetic data
        vocab = {code: vocabulary(rng, VOCABULARY) for code, _ in LANGUAGES}
        self.seed = seed
        self.codes = [code for code, _ in LANGUAGES]
        weights = numpy.array([weight for _, weight in LANGUAGES], dtype=float)
        self.language_p = weights / weights.sum()
        self.zipf = numpy.cumsum(1.0 / numpy.arange(1, VOCABULARY + 1))
        population: list[str] = []
        self.vocab_start, self.domain_start, self.domain_size = [], [], []
        for code in self.codes:
            self.vocab_start.append(len(population))
            population += vocab[code]
            domain = DOMAIN[code].split()
            self.domain_start.append(len(population))
            self.domain_size.append(len(domain))
            population += domain
        self.population = numpy.array(population, dtype=object)
        self.languages = [code for code in self.codes for _ in range(VOCABULARY + len(DOMAIN[code].split()))]
        self._indexed = None

    def indexed(self):
        """Each word of the population as the SQLite index holds it (stemmed in its language)."""
        if self._indexed is None:
            from ilonet.search.query import index_text

            self._indexed = self.np.array(
                [index_text(word, code) for word, code in zip(self.population, self.languages, strict=True)],
                dtype=object,
            )
        return self._indexed

    def _zipf(self, rng, shape):
        return self.np.searchsorted(self.zipf, rng.random(shape) * self.zipf[-1], side="right")

    def block(self, number: int, *, stemmed: bool = False) -> list[tuple]:
        """The ``number``-th block of ``BLOCK`` documents (ids ``number * BLOCK + 1`` on), each
        block drawn from its own seed (the same documents however many are loaded): a list of
        (SearchDocument, its body as the SQLite index holds it, or None without ``stemmed``)."""
        from ilonet.search.documents import SearchDocument

        np, words, size, first = self.np, self.words, BLOCK, number * BLOCK + 1
        rng = np.random.default_rng([self.seed, number])
        language = rng.choice(len(self.codes), size=size, p=self.language_p)
        vocab_start = np.array(self.vocab_start)[language][:, None]
        domain_start = np.array(self.domain_start)[language]
        domain_size = np.array(self.domain_size)[language]
        body = self._zipf(rng, (size, words)) + vocab_start
        rows = np.arange(size)
        domain_words = rng.integers(0, 4, size)
        places = rng.integers(0, words, (size, 3))
        picks = rng.integers(0, 1 << 30, (size, 4)) % domain_size[:, None] + domain_start[:, None]
        for j in range(3):
            mask = domain_words > j
            body[rows[mask], places[mask, j]] = picks[mask, j]
        title = np.concatenate([self._zipf(rng, (size, 5)) + vocab_start, picks[:, 3:]], axis=1)
        space = rng.integers(0, SPACES, size)
        folder = space * FOLDERS_PER_SPACE + rng.integers(0, FOLDERS_PER_SPACE, size)
        day = rng.integers(0, 1000, size)
        category = rng.integers(0, 5, size)
        topics = rng.integers(0, 12, (size, 3))
        indexed = self.indexed() if stemmed else None
        start = date(2024, 1, 1)
        out = []
        for i in range(size):
            code = self.codes[language[i]]
            out.append(
                (
                    SearchDocument(
                        kind="exchange.document", object_id=first + i, language=code,
                        title=" ".join(self.population[title[i]].tolist()),
                        body=" ".join(self.population[body[i]].tolist()).capitalize() + ".",
                        access=(f"space:{space[i]}", f"folder:{folder[i]}"),
                        date=start + timedelta(days=int(day[i])), space=str(space[i]),
                        category="abcde"[category[i]],
                        topics=tuple(sorted({"abcdefghijkl"[t] for t in topics[i]})),
                    ),
                    " ".join(indexed[body[i]].tolist()) if indexed is not None else None,
                )
            )  # fmt: skip
        return out


def corpus(n: int, words: int, seed: int = 20261202):
    """Yield ``n`` synthetic documents (seeded: every run indexes the same corpus)."""
    documents = Corpus(words, seed)
    for number in range((n + BLOCK - 1) // BLOCK):
        for document, _ in documents.block(number)[: n - number * BLOCK]:
            yield document


def make_spaces() -> tuple[list[int], list[int]]:
    """The 400 spaces (the first the board's, the others working groups) and their 10 folders
    each; the ids of both, by the corpus's space and folder numbers."""
    from ilonet.exchange.models import Folder, Space, SpaceKind

    Space.objects.bulk_create(
        [Space(kind=SpaceKind.BOARD if n == 0 else SpaceKind.WORKING_GROUP, name=f"Bench space {n:03d}")
         for n in range(SPACES)]
    )  # fmt: skip
    spaces = list(
        Space.objects.filter(name__startswith="Bench space ").order_by("name").values_list("pk", flat=True)
    )
    Folder.objects.bulk_create(
        [Folder(space_id=spaces[n // FOLDERS_PER_SPACE], name=f"Folder {n:04d}")
         for n in range(SPACES * FOLDERS_PER_SPACE)]
    )  # fmt: skip
    folders = list(
        Folder.objects.filter(name__startswith="Folder ").order_by("name").values_list("pk", flat=True)
    )
    return spaces, folders


def load(n: int, words: int, start: int = 0) -> float:
    """Bulk-load the corpus as exchange documents and their search entries; seconds taken.
    ``start``: the number of documents an earlier, interrupted load committed (whole blocks),
    carried on from there (``loaded_prefix``)."""
    started = time.perf_counter()
    gin = _drop_gin_indexes()
    try:
        _load_rows(n, words, start)
    finally:
        if gin:
            _create_gin_indexes(gin)
    _finish_load()
    return time.perf_counter() - started


def _finish_load() -> None:
    """The last step of a load: FTS5 ``optimize`` and ``ANALYZE`` on SQLite, ``VACUUM ANALYZE``
    of the tables on PostgreSQL."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            for table in (
                "search_entry",
                "search_grant",
                "exchange_document",
                "exchange_folder",
                "exchange_space",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")


def loaded_prefix(n: int, words: int) -> int:
    """How many documents of this corpus an interrupted load left (0: none, or not a prefix
    that can be carried on). Each block of ``BLOCK`` documents is one transaction, so a load
    stopped at any point (the session's end, a kill) leaves whole blocks: the documents
    1..k*BLOCK, their entries and grants, the 400 spaces and their folders. It is carried on
    when the entries and documents are the same whole number of blocks, fewer than ``n``, the
    first document is this corpus's (same ``words``), and on PostgreSQL the GIN indexes are
    there or recorded as dropped by the load (``_drop_gin_indexes``), to be built at its end."""
    from ilonet.exchange.models import Document, Folder
    from ilonet.search.models import Entry

    loaded = Entry.objects.filter(kind="exchange.document").count()
    if not (0 < loaded < n and loaded % BLOCK == 0 and Document.objects.count() == loaded):
        return 0
    if Entry.objects.filter(kind="exchange.document").aggregate(top=Max("object_id"))["top"] != loaded:
        return 0
    first = Entry.objects.filter(kind="exchange.document", object_id=1).values_list("body", flat=True).first()
    if first != next(corpus(1, words)).body:
        return 0
    if len(bench_spaces()) != SPACES or Folder.objects.filter(name__startswith="Folder ").count() != (
        SPACES * FOLDERS_PER_SPACE
    ):
        return 0
    if connection.vendor == "postgresql" and not (_gin_indexes() or _pending_gin_indexes()):
        return 0
    return loaded


def _load_rows(n: int, words: int, start: int = 0) -> None:
    """The rows in blocks of ``BLOCK`` documents, one transaction each: on PostgreSQL through
    ``COPY`` (the documents, the entries, whose ``tsvector`` the server computes as each row is
    written, and the grants), on SQLite through ``executemany`` of one prepared ``INSERT`` a
    table (and the FTS5 rows, their stemmed text joined from the corpus's stemmed words). The
    entries' ids are the documents' (the tables are empty), so none is read back. ``start``
    (a whole number of blocks): the documents already there, kept with their spaces and folders."""
    from ilonet.exchange.models import Category, Document, Marking
    from ilonet.search.backends.sqlite import key_token
    from ilonet.search.models import Entry, Grant
    from ilonet.search.query import index_text

    spaces, folders = make_spaces() if start == 0 else (bench_spaces(), bench_folders())
    categories = [c for c, _label in Category.choices]
    documents = Corpus(words)
    sqlite = connection.vendor == "sqlite"
    now = timezone.now()
    if sqlite and start:  # FTS5 rows past the kept documents (an older run's timed entries)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid > %s", [start])
    for number in range(start // BLOCK, (n + BLOCK - 1) // BLOCK):
        chunk = documents.block(number, stemmed=sqlite)[: n - number * BLOCK]
        if number == 0 and sqlite:  # the stemmed text joined from the words is index_text's
            assert chunk[0][1] == index_text(chunk[0][0].body, chunk[0][0].language)  # noqa: S101
        places = []  # (space id, folder id or None) of each document of the chunk
        for d, _ in chunk:
            space_n, folder_n = (int(key.split(":")[1]) for key in d.access)
            within = folder_n % FOLDERS_PER_SPACE
            places.append((spaces[space_n], None if within < TOP_LEVEL else folders[folder_n]))
        rows = [
            Document(pk=d.object_id, space_id=space, folder_id=folder, title=d.title[:200],
                     language=d.language or "other", category=categories[d.object_id % len(categories)],
                     marking=Marking.SENSITIVE if d.object_id % SENSITIVE_EVERY == 0 else Marking.NORMAL)
            for (d, _), (space, folder) in zip(chunk, places, strict=True)
        ]  # fmt: skip
        entries = [
            Entry(pk=d.object_id, kind=d.kind, object_id=d.object_id, language=d.language or "",
                  title=d.title, body=d.body, date=d.date, space=str(space), category=d.category,
                  topics="|" + "|".join(d.topics) + "|", indexed_at=now,
                  access=" ".join(sorted((f"exchange.space:{space}", f"exchange.document:{d.object_id}"))))
            for (d, _), (space, _folder) in zip(chunk, places, strict=True)
        ]  # fmt: skip
        grants = [Grant(entry_id=e.pk, key=k) for e in entries for k in e.access.split()]
        with transaction.atomic():
            _write(Document, rows)
            _write(Entry, entries)
            _write(Grant, grants)
            if sqlite:
                with connection.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO search_fts (rowid, title, body, access) VALUES (%s, %s, %s, %s)",
                        [
                            (e.pk, index_text(e.title, e.language), stemmed,
                             " ".join(key_token(k) for k in e.access.split()))
                            for e, (_, stemmed) in zip(entries, chunk, strict=True)
                        ],
                    )  # fmt: skip
        print(f"  loaded {chunk[-1][0].object_id:,}", end="\r", flush=True)
    if not sqlite:  # the ids were given: the sequences go past them
        with connection.cursor() as cursor:
            for model in (Document, Entry):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                )


def _write(model, objects: list) -> None:
    """Insert ``objects`` as ``bulk_create`` would (each field's value prepared by the field,
    ``auto_now`` included; the primary key only when given), in one ``COPY`` on PostgreSQL and
    one ``executemany`` on SQLite. The database's triggers run as for any insert (the kept
    counts of documents per space)."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and objects[0].pk is None)]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = ([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objects)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values))  # noqa: S608


GIN_PENDING = "bench_search_gin_pending"  # the GIN indexes a load dropped, until it builds them


def _pending_gin_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [GIN_PENDING])
        if not cursor.fetchone()[0]:
            return []
        cursor.execute(f"SELECT name, definition FROM {GIN_PENDING} ORDER BY name")  # noqa: S608
        return [tuple(row) for row in cursor.fetchall()]


def _gin_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_entry' "
            "AND indexdef LIKE %s ORDER BY indexname",
            ["% USING gin %"],
        )
        return [tuple(row) for row in cursor.fetchall()]


def _drop_gin_indexes() -> list[tuple[str, str]]:
    """PostgreSQL: the entries' GIN indexes (words, keys) are dropped for the bulk load and built
    again after it (``_create_gin_indexes``), as their migrations define them (``fastupdate =
    off``). Updating them row by row costs a random write per distinct word of every entry
    (about 800 words an entry for bodies of 1,500 words); one build sorts them all at once.
    The index searched is the same (the build gives a compact index, as a REINDEX would).
    Their definitions are recorded in a table of the database (``GIN_PENDING``) until they are
    built again, so a load stopped in between (the session's end) is carried on and ends with
    them; a database left without them and without that record (a load of an older version of
    this script, stopped) is refused: drop it and load again."""
    if connection.vendor != "postgresql":
        return []
    pending, found = _pending_gin_indexes(), _gin_indexes()
    with connection.cursor() as cursor:
        if not found and not pending:
            raise SystemExit(
                "search_entry has no GIN index and none is recorded as dropped by a load: "
                "drop this database and run again."
            )
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {GIN_PENDING} (name text PRIMARY KEY, definition text)")
        for name, definition in found:
            cursor.execute(
                f"INSERT INTO {GIN_PENDING} VALUES (%s, %s) ON CONFLICT DO NOTHING",  # noqa: S608
                [name, definition],
            )
            cursor.execute(f'DROP INDEX "{name}"')
    return sorted({*pending, *found})


def _create_gin_indexes(found: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _name, definition in found:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute(f"DROP TABLE IF EXISTS {GIN_PENDING}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bench_spaces() -> list[int]:
    from ilonet.exchange.models import Space

    return list(
        Space.objects.filter(name__startswith="Bench space ").order_by("name").values_list("pk", flat=True)
    )


def bench_folders() -> list[int]:
    from ilonet.exchange.models import Folder

    return list(
        Folder.objects.filter(name__startswith="Folder ").order_by("name").values_list("pk", flat=True)
    )


def bench_users(spaces: list[int]):
    """An officer who is a member of 10 of the 400 spaces, and the secretariat (every space)."""
    from ilonet.accounts.models import RoleAssignment, User
    from ilonet.accounts.roles import Role
    from ilonet.directory.models import Organisation, OrganisationKind
    from ilonet.exchange.models import SpaceMember

    org, _ = Organisation.objects.get_or_create(
        code="bench-search", defaults={"kind": OrganisationKind.EU_INSTITUTION, "name_en": "Bench"}
    )
    users = {}
    for name, role in (("member", Role.ILO), ("secretariat", Role.SECRETARIAT)):
        user = User.objects.filter(email=f"bench-search-{name}@example.eu").first()
        if user is None:
            user = User.objects.create_user(f"bench-search-{name}@example.eu", None, organisation=org)
            RoleAssignment.objects.create(user=user, role=role)
        users[name] = user
    member_spaces = random.Random(11).sample(spaces[1:], MEMBER_SPACES)  # noqa: S311 - synthetic data
    SpaceMember.objects.filter(user=users["member"]).delete()
    SpaceMember.objects.bulk_create([SpaceMember(space_id=pk, user=users["member"]) for pk in member_spaces])
    return users["member"], users["secretariat"], member_spaces


def run_queries(n_queries: int, words: int, only: str = ""):
    from ilonet import policy
    from ilonet.exchange import selectors as exchange
    from ilonet.search.selectors import search
    from ilonet.shared.paging import PAGE_SIZE, BoundedPaginator

    rng = random.Random(7)  # noqa: S311 - synthetic data
    vocab = vocabulary(random.Random(20261202), 30_000)  # noqa: S311 - the English words of the corpus
    spaces = bench_spaces()
    everyone = [f"exchange.space:{pk}" for pk in spaces]
    member, secretariat, member_spaces = bench_users(spaces)

    def keys(query, allowed, **filters):
        return lambda: search(query, allowed=allowed, **filters).count

    def some_spaces():
        return [f"exchange.space:{pk}" for pk in rng.sample(spaces, 10)]

    def exchange_search(user, query):
        def run():
            policy.forget_roles(user)  # as in a request: the user's roles and spaces read afresh
            page, documents = exchange.search_documents(user=user, query=query)
            assert set(documents) == {hit.object_id for hit in page.hits}  # noqa: S101
            return page.count

        return run

    def space_page(user, pk):
        def run():
            policy.forget_roles(user)
            space = exchange.space_detail(user=user, pk=pk)
            folders, documents = exchange.folder_contents(user=user, space=space, folder=None)
            page = BoundedPaginator(documents, PAGE_SIZE).get_page(1)
            assert len(list(page.object_list)) <= PAGE_SIZE and len(list(folders)) == FOLDERS_PER_SPACE  # noqa: S101
            return page.paginator.count

        return run

    def space_list(user):
        def run():
            policy.forget_roles(user)
            rows = list(exchange.spaces_for(user=user))
            return sum(exchange.document_counts(user=user, space_ids=[s.pk for s in rows]).values())

        return run

    kinds = {
        "rare word (rank 3,000-30,000)": lambda: keys(rng.choice(vocab[3000:]), everyone),
        "medium word (rank 100-1,000)": lambda: keys(rng.choice(vocab[100:1000]), everyone),
        "common word (rank 1-10)": lambda: keys(rng.choice(vocab[:10]), everyone),
        "two words (ranks 20-500)": lambda: keys(f"{rng.choice(vocab[20:500])} {rng.choice(vocab[20:500])}",
                                                 everyone),
        "Dutch inflected form": lambda: keys(rng.choice(["terugkeerbesluit", "smokkelroutes", "besluit"]),
                                             everyone),
        "member, 10 of 400 spaces, common word": lambda: keys(rng.choice(vocab[:10]), some_spaces()),
        "member, 10 spaces, common word, space filter": lambda: keys(
            rng.choice(vocab[:10]), some_spaces(), space=str(rng.choice(spaces))),
        "board, all 400 spaces, domain word": lambda: keys("return decision", everyone),
        "exchange: member of 10 spaces, common word": lambda: exchange_search(member, rng.choice(vocab[:10])),
        "exchange: member of 10 spaces, medium word": lambda: exchange_search(
            member, rng.choice(vocab[100:1000])),
        "exchange: member of 10 spaces, rare word": lambda: exchange_search(member, rng.choice(vocab[3000:])),
        "exchange: secretariat, every space, common word": lambda: exchange_search(
            secretariat, rng.choice(vocab[:10])),
        "exchange: secretariat, every space, medium word": lambda: exchange_search(
            secretariat, rng.choice(vocab[100:1000])),
        "exchange: secretariat, every space, domain word": lambda: exchange_search(
            secretariat, "return decision"),
        "exchange: a space's page (first 50 documents, count, folders), member": lambda: space_page(
            member, rng.choice(member_spaces)),
        "exchange: a space's page, secretariat": lambda: space_page(secretariat, rng.choice(spaces)),
        "exchange: the list of spaces with their counts, member": lambda: space_list(member),
        "exchange: the list of spaces with their counts, secretariat": lambda: space_list(secretariat),
    }  # fmt: skip
    rows = []
    for label, make in kinds.items():
        if only and only not in label:
            continue
        timings, counts = [], []
        for _ in range(n_queries):
            run = make()
            started = time.perf_counter()
            counts.append(run())
            timings.append((time.perf_counter() - started) * 1000)
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


def _analyzed() -> bool:
    """SQLite: whether ``ANALYZE`` ran on the database (the last step of a load)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'search_entry'")
        return bool(cursor.fetchone()[0])


def _delete_timed_entries() -> None:
    """The entries ``time_index_document`` wrote, with their full-text part (on SQLite the FTS5
    rows, which a queryset's delete leaves behind: a later load would meet their rowids)."""
    from ilonet.search.backends import backend
    from ilonet.search.models import Entry

    timed = Entry.objects.filter(kind="bench.other")
    backend().delete(list(timed.values_list("pk", flat=True)))
    timed.delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database and its data")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--only", default="", help="time only the kinds whose label holds this text")
    args = parser.parse_args()

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=not args.keep, keepdb=args.keep)
    else:
        call_command("migrate", verbosity=0)
    from ilonet.exchange.models import Document, Folder, Space, SpaceDocumentCount
    from ilonet.search.models import Entry, Grant

    _delete_timed_entries()  # left by a run stopped while timing them
    loaded = Entry.objects.filter(kind="exchange.document").count()
    first = Entry.objects.filter(kind="exchange.document", object_id=1).values_list("body", flat=True).first()
    seconds = None
    same_corpus = first == next(corpus(1, args.words)).body  # a kept database of this corpus
    if loaded != args.docs or Document.objects.count() != args.docs or not same_corpus:
        if start := loaded_prefix(args.docs, args.words):
            print(f"carrying on the load of an earlier run after its first {start:,} documents")
        else:
            # The bench's own rows (no collector; the triggers on documents keep the counts).
            for model in (Grant, Entry, Document, Folder, SpaceDocumentCount, Space):
                model.objects.all()._raw_delete(connection.alias)
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM search_fts")
        seconds = load(args.docs, args.words, start)
        print(f"\nloaded {args.docs - start:,} documents in {seconds:.0f} s ({args.docs:,} in all)")
        if start:
            seconds = None  # the table then says "loaded by an earlier run": its time is not the whole load's
    elif connection.vendor == "postgresql" and (pending := _pending_gin_indexes()):
        _create_gin_indexes(pending)  # a load stopped after its last block, before the build
        _finish_load()
    elif connection.vendor == "sqlite" and not _analyzed():
        _finish_load()  # a load stopped after its last block, before its last step
    per_document = time_index_document(300, args.words)
    _delete_timed_entries()
    text_mb = _text_megabytes()
    rows = run_queries(args.queries, args.words, args.only)
    report = _report(rows, args, seconds, per_document, text_mb)
    print(report)
    if args.write_docs:
        _write_docs(report, args.words)
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
    scale = ": scaled down from the issue's 2 GB, see the script's docstring" if text_mb < 1000 else ""
    lines = [
        f"{args.docs:,} documents, {text_mb:,.0f} MB of text (bodies of {args.words:,} words{scale}), "
        f"{loading}; {database_version()}, Python "
        f"{platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} cores; load average "
        f"{LOAD_AT_START:.1f} at the start and {os.getloadavg()[0]:.1f} at the end (other helpers' work "
        f"shares the 2 cores); {date.today().isoformat()}. `services.index_document` (the job's path, "
        f"language given): {per_document:.1f} ms a document. Each kind {args.queries} times, in ms: "
        "the first eight through `search.selectors.search` with access keys, "
        "the `exchange:` ones through the "
        "exchange's selectors as a request calls them (see the script's docstring); a search is its first "
        "page of 20 hits with snippets and the capped count.",
        "",
        "| query | median hits or documents counted (search: cap 1,000) | p50 | p95 | max |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, count, p50, p95, worst in rows:
        lines.append(f"| {label} | {count:,.0f} | {p50:.1f} | {p95:.1f} | {worst:.1f} |")
    every = [row[3] for row in rows]
    lines += ["", f"Worst p95 of all kinds: **{max(every, default=0):.1f} ms** (budget 100 ms)."]
    return "\n".join(lines)


def _write_docs(report: str, words: int) -> None:
    """Replace this benchmark's section for the database in use (between its markers)."""
    title = "SQLite (FTS5)" if connection.vendor == "sqlite" else "PostgreSQL (tsvector, GIN)"
    marker = f"bench/search.py {connection.vendor}"
    if words != DEFAULT_WORDS:  # the long bodies (the 2 GB) have a section of their own
        title, marker = f"{title}, bodies of {words:,} words", f"{marker} {words} words"
    replace_section(marker, f"### {title}\n\n{report}")


if __name__ == "__main__":
    main()
