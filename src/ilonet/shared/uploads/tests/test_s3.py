"""S3-compatible storage (django-storages), against an S3 server on loopback (moto): upload,
streamed download, deletion on rollback, no URL, the sweeper."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ilonet.shared.uploads import (
    EXCHANGE,
    NoDirectURL,
    ZipEntry,
    download_response,
    get_storage,
    stored_upload,
    sweep_orphans,
    zip_stream,
)
from ilonet.shared.uploads import testing as make

pytestmark = pytest.mark.django_db
PREFIX = "exchange/documents"


def _objects(client, bucket) -> set[str]:
    return {entry["Key"] for entry in client.list_objects_v2(Bucket=bucket).get("Contents", ())}


def test_an_upload_is_stored_in_the_bucket_and_streams_back(s3_storage, django_capture_on_commit_callbacks):
    client, bucket = s3_storage
    data = make.pdf_bytes(pages=5)
    with (
        django_capture_on_commit_callbacks(execute=True),
        stored_upload(SimpleUploadedFile("a.pdf", data), profile=EXCHANGE, prefix=PREFIX) as stored,
    ):
        pass
    assert _objects(client, bucket) == {f"private/{stored.key}"}
    assert type(get_storage()).__name__ == "PrivateS3Storage"
    response = download_response(
        check=lambda: None,
        key=stored.key,
        filename="a.pdf",
        content_type=stored.content_type,
        size=stored.size,
    )
    pieces = list(response.streaming_content)
    assert b"".join(pieces) == data and response["Content-Length"] == str(len(data))
    assert b"".join(zip_stream([ZipEntry("a.pdf", stored.key)]))[:2] == b"PK"


def test_a_rolled_back_upload_leaves_no_object(s3_storage):
    client, bucket = s3_storage
    with pytest.raises(RuntimeError), transaction.atomic():
        with stored_upload(SimpleUploadedFile("a.pdf", make.pdf_bytes()), profile=EXCHANGE, prefix=PREFIX):
            pass
        assert len(_objects(client, bucket)) == 1
        raise RuntimeError("the row could not be written")
    assert _objects(client, bucket) == set()


def test_objects_have_no_url_not_even_a_presigned_one(s3_storage):
    with pytest.raises(NoDirectURL):
        get_storage().url("exchange/documents/x.pdf")


def test_the_sweeper_lists_the_bucket(s3_storage):
    client, bucket = s3_storage
    storage = get_storage()
    keys = [storage.save(f"{PREFIX}/{n}.pdf", io.BytesIO(b"x")) for n in range(3)]
    deleted = sweep_orphans(
        prefix=PREFIX,
        known=lambda batch: {keys[0]} & set(batch),
        older_than=timedelta(hours=1),
        now=timezone.now() + timedelta(hours=2),
    )
    assert sorted(deleted) == sorted(keys[1:])
    assert _objects(client, bucket) == {f"private/{keys[0]}"}
