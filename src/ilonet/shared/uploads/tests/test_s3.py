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


def _calls(storage) -> list[str]:
    """The S3 operations the storage's client makes from now on."""
    made: list[str] = []
    storage.connection.meta.client.meta.events.register(
        "before-call.s3", lambda model, **kwargs: made.append(model.name)
    )
    return made


def test_a_file_below_the_multipart_threshold_is_one_put_and_no_head(s3_storage):
    """The stored object is the file, byte for byte, with its type; one PutObject, no HEAD asking
    whether a random 128-bit name is taken, no managed transfer."""
    import hashlib

    client, bucket = s3_storage
    storage = get_storage()
    made = _calls(storage)
    data = make.pdf_bytes(pages=3)
    upload = SimpleUploadedFile("a.pdf", data, content_type="application/pdf")
    stored = storage.save(f"{PREFIX}/one.pdf", upload)
    assert made == ["PutObject"]
    body = client.get_object(Bucket=bucket, Key=f"private/{stored}")
    assert hashlib.sha256(body["Body"].read()).hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_file_at_the_multipart_threshold_goes_through_the_managed_transfer(s3_storage):
    client, bucket = s3_storage
    storage = get_storage()
    storage.transfer_config.multipart_threshold = 64 * 1024
    data = bytes(range(256)) * 256  # 64 KiB: at the threshold
    made = _calls(storage)
    stored = storage.save(f"{PREFIX}/big.bin", SimpleUploadedFile("big.bin", data))
    assert "CreateMultipartUpload" in made and "PutObject" not in made  # the managed multipart transfer
    assert client.get_object(Bucket=bucket, Key=f"private/{stored}")["Body"].read() == data
