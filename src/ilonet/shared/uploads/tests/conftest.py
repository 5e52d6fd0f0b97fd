"""Fixtures: a real ClamAV daemon (scripts/clamav.sh, local EICAR signature only) and an S3
server on loopback (moto). Neither is skipped when missing: the tests fail and say why."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[5]
SCRIPT = ROOT / "scripts" / "clamav.sh"


def _clamav(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT), command], cwd=ROOT, capture_output=True, text=True, timeout=180
    )


@pytest.fixture(scope="session")
def clamd_socket() -> str:
    """The unix socket of a private clamd, started for the session (and stopped after it, if
    this session started it)."""
    was_running = _clamav("status").returncode == 0
    started = _clamav("start")
    if started.returncode != 0:
        pytest.fail(
            "ClamAV's daemon could not be started by scripts/clamav.sh start; install it with "
            "`sudo bash scripts/system-deps.sh` (Debian's clamav-daemon).\n" + started.stderr,
            pytrace=False,
        )
    socket = started.stdout.strip().splitlines()[-1]
    yield socket
    if not was_running:
        _clamav("stop")


@pytest.fixture
def clamd(settings, clamd_socket):
    """Scanning configured, as in production, against the test daemon."""
    settings.CLAMAV_SOCKET = clamd_socket
    settings.CLAMAV_HOST = ""
    settings.CLAMAV_WAIT_SECONDS = 0
    return clamd_socket


@pytest.fixture(scope="session")
def s3_endpoint() -> str:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    """STORAGES["default"] on a fresh bucket of the loopback S3 server."""
    import uuid

    import boto3

    bucket = f"ilonet-{uuid.uuid4().hex[:12]}"
    options = {
        "bucket_name": bucket,
        "endpoint_url": s3_endpoint,
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "us-east-1",
        "location": "private",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "ilonet.shared.uploads.s3.PrivateS3Storage", "OPTIONS": options},
    }
    return client, bucket


@pytest.fixture
def stored_keys():
    """stored_keys(prefix) -> the keys stored under prefix in the default storage."""
    from ilonet.shared.uploads.storage import get_storage, iter_objects

    def keys(prefix: str) -> set[str]:
        return {key for key, _modified in iter_objects(get_storage(), prefix)}

    return keys


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test stores into its own directory (the S3 tests switch to a bucket of their own)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "ilonet.shared.uploads.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
