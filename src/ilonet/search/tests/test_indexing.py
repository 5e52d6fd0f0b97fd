"""Keeping the index in step: the indexing job, removal, and an idempotent reindex."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from ilonet.jobs.models import Job, JobState
from ilonet.jobs.testing import run_queued_jobs
from ilonet.search import services, sources
from ilonet.search.documents import InvalidDocument, SearchDocument
from ilonet.search.models import Entry, Grant
from ilonet.search.selectors import search

pytestmark = pytest.mark.django_db

ALL = ["space:1"]


def found(query):
    return [hit.object_id for hit in search(query, allowed=ALL).hits]


def fulltext_rows() -> int:
    """Rows of the full-text part (SQLite's FTS5 table; PostgreSQL's column goes with the row)."""
    if connection.vendor != "sqlite":
        return Entry.objects.exclude(pk=None).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts")
        return cursor.fetchone()[0]


def test_the_job_indexes_the_object_as_it_is_when_it_runs(store):
    store.add(1, title="Draft", body="Nothing yet.", language="en")
    with transaction.atomic():
        services.schedule_index(kind=store.kind, object_id=1, version="1")
    store.add(1, title="Final", body="Readmission agreements.", language="en")
    assert found("readmission") == []  # not indexed before the job runs
    assert run_queued_jobs() == 1
    assert found("readmission") == [1]
    assert Job.objects.get().state == JobState.SUCCEEDED


def test_one_version_is_queued_once(store):
    store.add(1, title="Note", body="Text.", language="en")
    services.schedule_index(kind=store.kind, object_id=1, version="7")
    services.schedule_index(kind=store.kind, object_id=1, version="7")
    services.schedule_index(kind=store.kind, object_id=1, version="8")
    assert Job.objects.count() == 2


def test_the_job_removes_an_object_that_is_gone(store):
    store.add(1, title="Note", body="Readmission.", language="en")
    services.index(kind=store.kind, object_id=1)
    del store.objects[1]
    services.schedule_remove(kind=store.kind, object_id=1)
    run_queued_jobs()
    assert found("readmission") == [] and Entry.objects.count() == 0 and Grant.objects.count() == 0
    assert fulltext_rows() == 0


def test_an_unknown_kind_is_refused_when_queued_not_in_the_worker():
    with pytest.raises(sources.UnknownKind):
        services.schedule_index(kind="test.nothing", object_id=1)


def test_remove_takes_the_entry_and_its_full_text_out(add):
    add(1, title="Note", body="Readmission.", language="en")
    add(2, title="Note", body="Readmission.", language="en")
    assert services.remove(kind="test.note", object_id=1) is True
    assert services.remove(kind="test.note", object_id=1) is False
    assert found("readmission") == [2] and fulltext_rows() == 1


def test_rewriting_an_entry_replaces_its_text(add):
    add(1, title="Note", body="Readmission.", language="en")
    add(1, title="Note", body="Detention conditions.", language="en")
    assert found("readmission") == [] and found("detention") == [1]
    assert fulltext_rows() == 1


def test_rewriting_an_entry_keeps_it_and_replaces_its_keys(add):
    first = add(1, title="Note", body="Readmission.", language="en", access=("space:1", "folder:4"))
    again = add(1, title="Note", body="Readmission.", language="en", access=("folder:4", "doc:9"))
    assert again.pk == first.pk and Entry.objects.count() == 1
    assert sorted(Grant.objects.values_list("key", flat=True)) == ["doc:9", "folder:4"]
    assert Entry.objects.get().access == "doc:9 folder:4"
    assert found("readmission") == []  # space:1 no longer opens it
    assert [hit.object_id for hit in search("readmission", allowed=["doc:9"]).hits] == [1]
    add(1, title="Note", body="Readmission.", language="en", access=())
    assert Grant.objects.count() == 0 and search("readmission", allowed=["folder:4"]).hits == []


def test_the_word_and_key_indexes_keep_no_pending_list_on_postgresql():
    """On PostgreSQL a GIN index with ``fastupdate`` makes every search read the entries
    written since the last VACUUM one by one (migrations/0003). On SQLite there is no such
    index: the FTS5 table is the index."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, reloptions FROM pg_class WHERE relname IN "
                "('search_entry_document', 'search_entry_access') ORDER BY relname"
            )
            assert cursor.fetchall() == [
                ("search_entry_access", ["fastupdate=off"]),
                ("search_entry_document", ["fastupdate=off"]),
            ]
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            assert "fts5" in cursor.fetchone()[0]


def test_reindex_is_idempotent_and_drops_what_is_gone(store):
    for object_id in range(1, 6):
        store.add(
            object_id, title=f"Note {object_id}", body="Return flows.", access=["space:1", f"doc:{object_id}"]
        )
    # every registered kind (the exchange's documents too: none in this test)
    assert services.reindex()[store.kind] == {"indexed": 5, "removed": 0}

    def snapshot():
        entries = list(
            Entry.objects.order_by("pk").values_list("pk", "object_id", "language", "title", "body")
        )
        return entries, sorted(Grant.objects.values_list("entry_id", "key")), fulltext_rows()

    before = snapshot()
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before
    assert sorted(found("return")) == [1, 2, 3, 4, 5]
    del store.objects[3]
    assert services.reindex(kind=store.kind) == {store.kind: {"indexed": 4, "removed": 1}}
    assert sorted(found("return")) == [1, 2, 4, 5]


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "Bad Kind"},
        {"object_id": -1},
        {"access": "space:1"},
        {"access": ["space 1"]},
        {"topics": ["a|b"]},
        {"space": "x" * 65},
    ],
)
def test_a_malformed_document_is_refused(fields):
    document = SearchDocument(**{"kind": "test.note", "object_id": 1, "title": "T", **fields})
    with pytest.raises(InvalidDocument):
        services.index_document(document)
    assert Entry.objects.count() == 0


def test_nul_characters_and_long_titles_are_cleaned(add):
    entry = add(1, title="A\x00B " + "t" * 600, body="Read\x00mission.", language="en")
    entry.refresh_from_db()
    assert len(entry.title) == 500 and "\x00" not in entry.title + entry.body
