"""The pipeline stores a file only with its row: a refused, failed or rolled-back upload leaves
neither; stored names are random; nothing has a URL; downloads are checked and streamed."""

import io
import os
import time
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import Resolver404, resolve

from ilonet.shared.uploads import (
    EXCHANGE,
    PDF,
    NoDirectURL,
    UploadRefused,
    ZipEntry,
    download_response,
    get_storage,
    stored_upload,
    sweep_orphans,
    zip_response,
)
from ilonet.shared.uploads import testing as make

PREFIX = "store-test"


def _upload(data: bytes | None = None, name: str = "Minutes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make.pdf_bytes() if data is None else data)


@pytest.mark.django_db(transaction=True)
def test_a_committed_upload_keeps_its_file_and_row_under_a_random_name(stored_keys):
    with stored_upload(_upload(), profile=EXCHANGE, prefix=PREFIX) as stored:
        Group.objects.create(name=stored.key)
    assert stored_keys(PREFIX) == {stored.key} and Group.objects.filter(name=stored.key).exists()
    assert stored.key.startswith(f"{PREFIX}/") and stored.key.endswith(".pdf")
    assert "Minutes" not in stored.key and len(os.path.basename(stored.key)) == 32 + 4
    assert (stored.file_type, stored.name) == (PDF, "Minutes.pdf")
    with get_storage().open(stored.key) as stored_file:
        assert stored_file.read() == make.pdf_bytes()


@pytest.mark.django_db(transaction=True)
def test_a_failure_in_the_block_removes_the_file_and_the_row(stored_keys):
    with pytest.raises(RuntimeError), stored_upload(_upload(), profile=EXCHANGE, prefix=PREFIX) as stored:
        Group.objects.create(name=stored.key)
        raise RuntimeError("the caller's row is invalid")
    assert stored_keys(PREFIX) == set() and not Group.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_outer_transaction_that_rolls_back_later_removes_the_file(stored_keys):
    with pytest.raises(RuntimeError), transaction.atomic():
        with stored_upload(_upload(), profile=EXCHANGE, prefix=PREFIX) as stored:
            Group.objects.create(name=stored.key)
        assert stored_keys(PREFIX) == {stored.key}  # stored, not yet committed
        raise RuntimeError("something after the upload fails")
    assert stored_keys(PREFIX) == set() and not Group.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_outer_transaction_that_commits_keeps_the_file(stored_keys):
    with transaction.atomic(), stored_upload(_upload(), profile=EXCHANGE, prefix=PREFIX) as stored:
        Group.objects.create(name=stored.key)
    assert stored_keys(PREFIX) == {stored.key}


@pytest.mark.django_db
def test_a_rolled_back_savepoint_removes_the_file(stored_keys):
    with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint: the test has a transaction
        with stored_upload(_upload(), profile=EXCHANGE, prefix=PREFIX) as stored:
            Group.objects.create(name=stored.key)
        raise RuntimeError("something after the upload fails")
    assert stored_keys(PREFIX) == set()


@pytest.mark.django_db
def test_a_refused_upload_stores_nothing(stored_keys):
    with (
        pytest.raises(UploadRefused),
        stored_upload(_upload(b"\x7fELF" + bytes(100)), profile=EXCHANGE, prefix=PREFIX),
    ):
        pytest.fail("the block must not run")
    assert stored_keys(PREFIX) == set()


@pytest.mark.django_db
def test_an_upload_interrupted_while_stored_leaves_no_file(stored_keys):
    upload = _upload(make.pdf_bytes(pages=50))

    def chunks(chunk_size=None):
        yield make.pdf_bytes()[:100]
        raise OSError("connection reset while storing")

    upload.chunks = chunks
    with pytest.raises(UploadRefused) as refused, stored_upload(upload, profile=EXCHANGE, prefix=PREFIX):
        pytest.fail("the block must not run")
    assert (refused.value.code, refused.value.status) == ("storage_unavailable", 503)
    assert stored_keys(PREFIX) == set()


def test_an_upload_to_a_full_disk_is_refused_as_such_and_leaves_no_file(stored_keys):
    import errno

    upload = _upload(make.pdf_bytes(pages=50))

    def chunks(chunk_size=None):
        yield make.pdf_bytes()[:100]
        raise OSError(errno.ENOSPC, "No space left on device")

    upload.chunks = chunks
    with pytest.raises(UploadRefused) as refused, stored_upload(upload, profile=EXCHANGE, prefix=PREFIX):
        pytest.fail("the block must not run")
    assert (refused.value.code, refused.value.status) == ("storage_full", 503)
    assert stored_keys(PREFIX) == set()


def test_stored_files_have_no_url(settings):
    storage = get_storage()
    with pytest.raises(NoDirectURL):
        storage.url("board/meetings/1/x.pdf")
    for path in ("/media/board/meetings/1/x.pdf", "/board/meetings/1/x.pdf", "/x.pdf"):
        with pytest.raises(Resolver404):
            resolve(path)


@pytest.mark.django_db
@pytest.mark.wall_clock  # the objects' times are the file system's
def test_the_sweeper_removes_old_objects_without_a_row_only(stored_keys):
    storage = get_storage()
    keys = [storage.save(f"{PREFIX}/sweep/{n}.pdf", io.BytesIO(b"x")) for n in range(4)]
    old = time.time() - 3 * 24 * 3600
    for key in keys[:3]:
        os.utime(storage.path(key), (old, old))
    deleted = sweep_orphans(
        prefix=PREFIX, known=lambda batch: {keys[0]} & set(batch), older_than=timedelta(hours=6)
    )
    assert sorted(deleted) == sorted(keys[1:3])  # keys[0] has a row, keys[3] is recent (in flight)
    assert stored_keys(PREFIX) == {keys[0], keys[3]}


@pytest.mark.django_db
def test_a_download_is_checked_every_time_and_streamed(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        stored_upload(_upload(), profile=EXCHANGE, prefix=PREFIX) as stored,
    ):
        pass
    calls = []

    def allowed():
        calls.append(1)

    response = download_response(
        check=allowed,
        key=stored.key,
        filename="Rapport \u202e.pdf",
        content_type=stored.content_type,
        size=stored.size,
    )
    assert response.streaming and b"".join(response.streaming_content) == make.pdf_bytes()
    assert response["Content-Type"] == "application/pdf" and response["Content-Length"] == str(stored.size)
    assert (
        response["Content-Disposition"].startswith("attachment")
        and "\u202e" not in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff" and calls == [1]

    def refused():
        raise PermissionDenied

    with pytest.raises(PermissionDenied):
        download_response(check=refused, key=stored.key, filename="x.pdf", content_type="application/pdf")


@pytest.mark.django_db
def test_several_files_stream_as_one_zip(django_capture_on_commit_callbacks):
    contents = [make.pdf_bytes(pages=n) for n in (1, 2, 3)]
    keys = []
    with django_capture_on_commit_callbacks(execute=True):
        for data in contents:
            with stored_upload(_upload(data), profile=EXCHANGE, prefix=PREFIX) as stored:
                keys.append(stored.key)
    entries = [ZipEntry(name="Agenda.pdf", key=key) for key in keys]
    response = zip_response(check=lambda: None, entries=entries, filename="Meeting 3.zip")
    assert response.streaming and response["Content-Type"] == "application/zip"
    pieces = list(response.streaming_content)
    assert len(pieces) > 1  # sent while it is built
    with zipfile.ZipFile(io.BytesIO(b"".join(pieces))) as archive:
        assert archive.namelist() == ["Agenda.pdf", "Agenda (2).pdf", "Agenda (3).pdf"]
        assert [archive.read(name) for name in archive.namelist()] == contents
        assert archive.testzip() is None


@pytest.mark.django_db
def test_a_zip_keeps_folders_as_paths_of_cleaned_names(django_capture_on_commit_callbacks):
    """Folder names become the ZIP's paths, each cleaned: no traversal, separators, controls or
    text-direction characters; file names unique per folder (issue 11 item 1)."""
    with (
        django_capture_on_commit_callbacks(execute=True),
        stored_upload(_upload(make.pdf_bytes()), profile=EXCHANGE, prefix=PREFIX) as stored,
    ):
        key = stored.key
    entries = [
        ZipEntry(name="Agenda.pdf", key=key, folders=("Meetings", "Spring")),
        ZipEntry(name="Agenda.pdf", key=key, folders=("Meetings", "Spring")),
        ZipEntry(name="Agenda.pdf", key=key, folders=("Meetings",)),
        ZipEntry(name="../../etc/passwd", key=key, folders=("..", "/abs", "C:\\x", "bidi\u202egpj")),
        ZipEntry(name="Top.pdf", key=key),
    ]
    response = zip_response(check=lambda: None, entries=entries, filename="Space.zip")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert archive.namelist() == [
            "Meetings/Spring/Agenda.pdf",
            "Meetings/Spring/Agenda (2).pdf",
            "Meetings/Agenda.pdf",
            "folder/_abs/C__x/bidigpj/_.._etc_passwd",
            "Top.pdf",
        ]
        assert archive.testzip() is None


@pytest.mark.django_db
def test_a_large_upload_is_never_read_whole_into_memory(tmp_path, django_capture_on_commit_callbacks):
    """A 20 MB PDF on disk (as Django leaves large uploads) through checks, storage and the
    download: Python's allocations peak at a few MB."""
    import tracemalloc

    from django.core.files.uploadedfile import TemporaryUploadedFile

    source = tmp_path / "large.pdf"
    size = make.write_large_pdf(source, 20 * 1024 * 1024)
    upload = TemporaryUploadedFile("large.pdf", "application/pdf", size, None)
    with open(source, "rb") as data:
        while chunk := data.read(1024 * 1024):
            upload.write(chunk)
    upload.seek(0)
    tracemalloc.start()
    try:
        with (
            django_capture_on_commit_callbacks(execute=True),
            stored_upload(upload, profile=EXCHANGE, prefix=PREFIX) as stored,
        ):
            pass
        response = download_response(
            check=lambda: None, key=stored.key, filename="a.pdf", content_type="application/pdf"
        )
        assert sum(len(piece) for piece in response.streaming_content) == size
        response.close()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        upload.close()  # as Django does at the end of a request (the local save moved the file)
    assert stored.size == size and peak < 8 * 1024 * 1024, peak


@pytest.mark.django_db
def test_an_inspection_handed_in_must_be_of_the_file_stored(stored_keys):
    """A caller that inspected the file already hands the result in (the exchange's guard); one of
    another file is refused before anything is scanned or stored."""
    from ilonet.shared.uploads import inspect_upload

    other = inspect_upload(_upload(make.pdf_bytes(pages=2)), profile=EXCHANGE)
    with (
        pytest.raises(ValueError),
        stored_upload(_upload(), profile=EXCHANGE, prefix=PREFIX, inspected=other),
    ):
        pass
    assert stored_keys(PREFIX) == set() and not Group.objects.exists()
