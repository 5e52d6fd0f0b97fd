"""Uploads when the file store cannot take them: a clear refusal (503 with the reason), no
row, nothing half-written.

- **Disk full**: the media directory and Django's upload temporary directory are each a 2 MB
  tmpfs (``mount``, as root). A first 1.5 MB document is stored; a second one does not fit
  (``storage_full``, the partial file removed); a 3 MB one cannot even be received (its
  temporary file: ``shared.unavailable``). Afterwards one row and its one file, nothing else.
- **S3 unreachable**: the store is an S3 server (moto) on loopback; an upload is stored; the
  server is stopped and the next upload is refused (``storage_unavailable``) with no row; once
  the server is back the bucket holds the first object only. An S3 endpoint on a closed port
  refuses the same way."""

from __future__ import annotations

import os
import subprocess

import pytest

from . import harness, uploads

MB = 1024 * 1024


def _mount_tmpfs(path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(path)], check=True)


def _unmount(path) -> None:
    subprocess.run(["umount", str(path)], check=False)


def _rows(cluster, database) -> int:
    with cluster.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM exchange_documentversion").fetchone()[0]


def _files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_full_disk_refuses_the_upload_clearly_and_stores_nothing(cluster, app):
    if os.getuid() != 0:  # a failure, never a skip: the full disk is what this test is about
        pytest.fail("mounting a small tmpfs needs root: run the suite as root (CI does)", pytrace=False)
    import random

    rng = random.Random(7)  # noqa: S311 - seeded on purpose
    media, spool = app["data"] / "media", app["data"] / "upload-tmp"
    _mount_tmpfs(media)
    try:
        _mount_tmpfs(spool)
        env = {**app["env"], "ILONET_UPLOAD_TEMP_DIR": str(spool)}
        web = harness.Gunicorn(env, workers=1, log=app["data"] / "gunicorn.log").start()
        try:
            first = uploads.upload(web.base, app["space"], uploads.text_file(rng, int(1.5 * MB)), "first")
            second = uploads.upload(web.base, app["space"], uploads.text_file(rng, int(1.5 * MB)), "second")
            spooled = uploads.upload(web.base, app["space"], uploads.text_file(rng, 3 * MB), "spooled")
        finally:
            web.stop()
        stored, spool_left = _files(media), _files(spool)
    finally:
        _unmount(spool)
        _unmount(media)
    print(print(f"first {first.status_code}, second {second.status_code}, spooled {spooled.status_code}"))
    assert first.status_code == 201
    assert second.status_code == 503 and "file store is full" in second.json()["detail"]
    assert spooled.status_code == 503 and "no room" in spooled.json()["detail"]
    assert second.headers["Content-Type"].startswith("application/json")
    assert _rows(cluster, app["database"]) == 1
    assert len(stored) == 1 and spool_left == []


def _s3_env(app, endpoint: str, bucket: str) -> dict[str, str]:
    return {
        **app["env"],
        "ILONET_STORAGE": "s3",
        "ILONET_S3_BUCKET": bucket,
        "ILONET_S3_ENDPOINT_URL": endpoint,
        "ILONET_S3_REGION": "us-east-1",
        "ILONET_S3_ACCESS_KEY_ID": "faults",
        "ILONET_S3_SECRET_ACCESS_KEY": "faults-secret",
        "ILONET_S3_ADDRESSING_STYLE": "path",
    }


def test_an_unreachable_object_store_refuses_uploads_cleanly(cluster, app):
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=harness.S3_PORT, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{harness.S3_PORT}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="faults", aws_secret_access_key="faults-secret",
    )  # fmt: skip
    client.create_bucket(Bucket="faults")
    web = harness.Gunicorn(_s3_env(app, endpoint, "faults"), workers=1, log=app["data"] / "gunicorn.log")
    closed = harness.Gunicorn(
        _s3_env(app, "http://127.0.0.1:18549", "faults"), port=harness.WEB_PORT + 10, workers=1
    )
    try:
        web.start()
        stored = uploads.upload(web.base, app["space"], b"Stored while the object store is up.\n", "up")
        server.stop()
        refused = uploads.upload(web.base, app["space"], b"Sent while the object store is away.\n", "away")
        closed.start()
        refused_closed = uploads.upload(closed.base, app["space"], b"Sent to a closed port.\n", "closed")
        server.start()  # the same in-process state: what the bucket holds now
        with cluster.connect(app["database"]) as conn:
            partial, orphans = uploads.check_s3(conn, client, "faults")
    finally:
        web.stop()
        closed.stop()
        server.stop()
    print(f"stored {stored.status_code}, refused {refused.status_code} {refused.json()}, closed port "
          f"{refused_closed.status_code}")  # fmt: skip
    assert stored.status_code == 201
    for answer in (refused, refused_closed):
        assert answer.status_code == 503
        assert "file store is unavailable" in answer.json()["detail"]
    assert _rows(cluster, app["database"]) == 1
    assert partial == [] and orphans == []
