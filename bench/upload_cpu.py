"""Where the web process's CPU of one 5 MB upload goes, in one process: the load's upload
(bench/load_locustfile.py: ``POST /api/v1/exchange/spaces/{id}/documents``, the demo officer's
API token, the 5 MB PDF of bench/_load_seed.py with 16 bytes of its image varied per request) sent
through Django's test handler with the production settings (bench/http_settings.py), a private
clamd (scripts/clamav.sh) and, with ``--s3``, a private S3 server (nanio, as ``make prod-local``)
on a port of ``--s3-port``.

The multipart body is encoded once, before timing (the client's work is not the web's); each
request is the server's: the multipart parser writing the file to a temporary file, the
exchange's upload service (inspection, personal-data guard, malware scan client, storage, rows,
audit, index job, notices) and the answer's JSON. CPU per upload: process time (every thread of
the process: boto3's transfer threads too; clamd and the S3 server are other processes), the
least of ``--batches`` batches of ``--repeat`` uploads (other jobs on the machine slow a batch,
never speed it). ``--profile`` prints a cProfile of one more batch.

The data: the demo (``seed_demo``) in the SQLite file under ``ILONET_DATA_DIR`` or the database of
``DATABASE_URL``, seeded by ``bench/page_profile.py --seed``; the environment is that of
``bench/page_profile.py --env``.

Usage: .venv/bin/python bench/upload_cpu.py [--s3] [--repeat 5] [--batches 3] [--profile]
"""

import argparse
import cProfile
import os
import pstats
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# A diagnostic, not a benchmark of make bench: it needs the demo data and prints only.
BENCH_RUN = None

ROOT = Path(__file__).resolve().parent.parent


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def clamav(workdir: Path, command: str, *, check: bool = True) -> str:
    """scripts/clamav.sh ``command`` for a private clamd under ``workdir``; its output."""
    return subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        ["bash", str(ROOT / "scripts" / "clamav.sh"), command],  # noqa: S607
        check=check,
        env={**os.environ, "ILONET_CLAMAV_DIR": str(workdir / "clamav")},
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout.strip()


def start_clamd(workdir: Path) -> str:
    clamav(workdir, "start")
    return clamav(workdir, "socket")


def start_s3(workdir: Path, port: int) -> tuple[subprocess.Popen, dict[str, str]]:
    access, secret = "bench" + secrets.token_hex(4), secrets.token_urlsafe(24)
    data = workdir / "s3"
    data.mkdir(parents=True, exist_ok=True)
    nanio = str(Path(sys.executable).parent / "nanio")
    process = subprocess.Popen(  # noqa: S603  (the S3 server of the venv, fixed arguments)
        [nanio, "serve", "--data-dir", str(data), "--host", "127.0.0.1", "--port", str(port),
         "--region", "us-east-1", "--workers", "1", "--no-access-log", "--log-level", "warning"],
        env={**os.environ, "NANIO_ACCESS_KEY": access, "NANIO_SECRET_KEY": secret},
    )  # fmt: skip
    for _ in range(150):
        if _port_open(port):
            break
        time.sleep(0.2)
    else:
        process.terminate()
        raise SystemExit("the S3 server did not start")
    env = {
        "ILONET_STORAGE": "s3",
        "ILONET_S3_BUCKET": "ilonet",
        "ILONET_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "ILONET_S3_REGION": "us-east-1",
        "ILONET_S3_ACCESS_KEY_ID": access,
        "ILONET_S3_SECRET_ACCESS_KEY": secret,
        "ILONET_S3_ADDRESSING_STYLE": "path",
    }
    import boto3

    boto3.client(
        "s3",
        endpoint_url=env["ILONET_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id=access,
        aws_secret_access_key=secret,
    ).create_bucket(Bucket="ilonet")
    return process, env


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--s3", action="store_true", help="store in a private nanio S3 server")
    parser.add_argument("--s3-port", type=int, default=18310)
    parser.add_argument("--repeat", type=int, default=5, help="uploads per batch")
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one more batch")
    parser.add_argument("--lines", type=int, default=50, help="lines of the profile")
    args = parser.parse_args()

    (ROOT / "var").mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="upload-cpu-", dir=ROOT / "var"))
    server = None
    try:
        os.environ["ILONET_CLAMAV_SOCKET"] = start_clamd(workdir)
        if args.s3:
            server, env = start_s3(workdir, args.s3_port)
            os.environ.update(env)
        return run(args, workdir)
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
        clamav(workdir, "stop", check=False)
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> int:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
    import django

    django.setup()
    from _load_seed import write_upload_pdf
    from django.conf import settings
    from django.core.files.storage import storages
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from ilonet import policy
    from ilonet.accounts.models import User
    from ilonet.accounts.testing import issue_api_token
    from ilonet.exchange.models import Space
    from ilonet.shared.uploads.scan import get_scanner

    settings.DEBUG = False
    officer = User.objects.get(email="ilo@demo.ilonet.eu")
    space = next(
        s
        for s in Space.objects.order_by("pk")
        if policy.can(officer, policy.Action.CONTRIBUTE_TO_EXCHANGE, s)
    )
    _token, secret = issue_api_token(actor=officer, name="upload cpu", scope="write", days=1)
    pdf_path = workdir / "upload.pdf"
    write_upload_pdf(pdf_path)
    pdf = pdf_path.read_bytes()
    mark = pdf.index(b"stream\n", pdf.index(b"/Subtype /Image")) + len(b"stream\n") + 64
    fields = {"title": "Load test report", "category": "other", "marking": "normal", "language": "en"}

    def body() -> bytes:
        varied = bytearray(pdf)
        varied[mark : mark + 16] = secrets.token_bytes(16)
        upload = SimpleUploadedFile("load-report.pdf", bytes(varied), content_type="application/pdf")
        return encode_multipart(
            BOUNDARY, {**fields, "title": f"Load test report {secrets.token_hex(4)}", "file": upload}
        )

    client = Client(HTTP_HOST="testserver", HTTP_AUTHORIZATION=f"Bearer {secret}")
    path = f"/api/v1/exchange/spaces/{space.pk}/documents"

    def upload(payload: bytes) -> None:
        response = client.generic("POST", path, payload, content_type=MULTIPART_CONTENT, secure=True)
        if response.status_code != 201:
            raise SystemExit(f"{path} answered {response.status_code}: {response.content[:500]!r}")

    storage = storages["default"]
    print(
        f"{len(pdf) / 1e6:.2f} MB PDF into space {space.pk}; scanner {get_scanner()!r}; storage "
        f"{type(storage).__name__}; database {settings.DATABASES['default']['ENGINE']}",
        flush=True,
    )
    for _ in range(2):  # warm: imports, caches, the first connection
        upload(body())
    batches = []
    for _ in range(args.batches):
        payloads = [body() for _ in range(args.repeat)]
        began, wall = time.process_time(), time.perf_counter()
        for payload in payloads:
            upload(payload)
        batches.append(
            (
                (time.process_time() - began) / args.repeat * 1000,
                (time.perf_counter() - wall) / args.repeat * 1000,
            )
        )
    for cpu, wall in batches:
        print(f"batch: CPU {cpu:7.1f} ms per upload, wall {wall:7.1f} ms")
    best = min(batches)
    print(f"least CPU per upload: {best[0]:.1f} ms (load average {os.getloadavg()[0]:.2f})")
    if args.profile:
        payloads = [body() for _ in range(args.repeat)]
        profiler = cProfile.Profile(time.process_time)  # CPU, not the waits for clamd and S3
        profiler.enable()
        for payload in payloads:
            upload(payload)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.lines)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
