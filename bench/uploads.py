"""Benchmark of the upload pipeline's memory: a 50 MB PDF through the web process, end to end.

The path of a real upload in the web process, each step streamed:
1. Django's multipart parser reads the request body from ``wsgi.input`` (a file on disk here,
   as a socket would deliver it) and the ``TemporaryFileUploadHandler`` writes the file to disk;
2. ``stored_upload``: the checks (``inspect_upload``: size, hash, type, PDF structure through
   pdfminer.six), the malware scan (clamd, INSTREAM, started with ``scripts/clamav.sh`` when it
   is installed) and the save to the private storage;
3. the download: ``download_response`` streamed to the end, as the WSGI server would send it.

Measured: the process's resident memory (RSS, sampled every 5 ms in a thread) above its level
before the upload, and the peak of Python allocations (tracemalloc), for the whole path and
for each step. Budget (issue 11): RSS growth well under 300 MB.

Usage: .venv/bin/python bench/uploads.py [--megabytes 50] [--no-scan] [--write-docs]
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

# How bench/run.py (make bench) runs this module.
BENCH_RUN = {"quick": ["--megabytes", "10"], "database": False}

from _docs import replace_section  # noqa: E402  (bench/ is the script's own directory)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
WORK = Path(tempfile.mkdtemp(prefix="ilonet-bench-uploads-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"  # transactions only, no table
os.environ["ILONET_DATA_DIR"] = str(WORK / "data")

import django  # noqa: E402

django.setup()

import psutil  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIRequest  # noqa: E402

from ilonet.shared.uploads import EXCHANGE, download_response, get_scanner, stored_upload  # noqa: E402
from ilonet.shared.uploads.testing import write_large_pdf  # noqa: E402

BUDGET_MB = 300
MB = 1024 * 1024


class Peak:
    """Highest RSS seen by a sampling thread while the block runs."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.peak = self.process.memory_info().rss
        self._stop = threading.Event()

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __enter__(self) -> "Peak":
        self.start = self.process.memory_info().rss
        self.peak = self.start
        tracemalloc.reset_peak()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.started
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)
        self.python_peak = tracemalloc.get_traced_memory()[1]

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / MB


def multipart_body(pdf: Path, boundary: str) -> Path:
    """The request body of a form upload, written to disk in a stream."""
    body = WORK / "body.bin"
    with open(body, "wb") as out, open(pdf, "rb") as source:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="Analysis 2026.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
        )
        while chunk := source.read(MB):
            out.write(chunk)
        out.write(f"\r\n--{boundary}--\r\n".encode())
    return body


def start_clamd() -> str:
    result = subprocess.run(  # noqa: S603  (our own script, fixed arguments)
        ["bash", str(ROOT / "scripts" / "clamav.sh"), "start"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode != 0:
        return ""
    return result.stdout.strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--no-scan", action="store_true")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    socket = "" if args.no_scan else start_clamd()
    settings.CLAMAV_SOCKET = socket
    settings.UPLOAD_MAX_BYTES = max(settings.UPLOAD_MAX_BYTES, (args.megabytes + 10) * MB)
    scanner = get_scanner()
    pdf = WORK / "large.pdf"
    size = write_large_pdf(pdf, args.megabytes * MB)
    boundary = "ilonetbenchboundary"
    body = multipart_body(pdf, boundary)
    tracemalloc.start()
    baseline = psutil.Process().memory_info().rss

    with Peak() as total:
        with open(body, "rb") as stream, Peak() as receive:
            request = WSGIRequest(
                {
                    "REQUEST_METHOD": "POST",
                    "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
                    "CONTENT_LENGTH": str(body.stat().st_size),
                    "wsgi.input": stream,
                    "SERVER_NAME": "testserver",
                    "SERVER_PORT": "80",
                    "PATH_INFO": "/upload",
                    "wsgi.url_scheme": "http",
                }
            )
            upload = request.FILES["file"]
        on_disk = hasattr(upload, "temporary_file_path")
        with Peak() as store, stored_upload(upload, profile=EXCHANGE, prefix="x", scanner=scanner) as stored:
            pass
        with Peak() as download:
            response = download_response(
                check=lambda: None,
                key=stored.key,
                filename=stored.name,
                content_type=stored.content_type,
                size=stored.size,
            )
            sent = sum(len(piece) for piece in response.streaming_content)
            response.close()
        upload.close()
    tracemalloc.stop()
    total.python_peak = max(step.python_peak for step in (receive, store, download))  # peaks reset per step

    assert stored.size == size and sent == size, (stored.size, sent, size)
    scanned = f"clamd {scanner!r}" if socket else "not scanned (clamd not available or --no-scan)"
    rows = [
        ("receive (multipart parser, to a temporary file)", receive),
        ("check + scan + store (`stored_upload`)", store),
        ("download (`download_response`, streamed)", download),
        ("**whole path**", total),
    ]
    lines = [
        f"A {size / MB:.1f} MB PDF (one page, a {args.megabytes} MB image stream of random bytes), "
        f"uploaded as a multipart form read from disk, {scanned}; stored on local disk. "
        f"Upload written to a temporary file by Django: {'yes' if on_disk else 'NO'}. "
        f"Process RSS before: {baseline / MB:.0f} MB. Python {platform.python_version()}, "
        f"{os.cpu_count()} cores.",
        "",
        "| step | seconds | RSS growth MB | Python peak MB |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {label} | {p.seconds:.2f} | {p.growth_mb:.1f} | {p.python_peak / MB:.1f} |" for label, p in rows
    ]
    verdict = "within" if total.growth_mb < BUDGET_MB else "OVER"
    lines += [
        "",
        f"Peak RSS growth of the whole path: {total.growth_mb:.1f} MB ({verdict} the {BUDGET_MB} MB budget).",
    ]
    report = "\n".join(lines)
    print(report)
    if args.write_docs:
        _write_docs(report)
    return 0 if total.growth_mb < BUDGET_MB and on_disk else 1


def _write_docs(report: str) -> None:
    replace_section("bench/uploads.py", report)


if __name__ == "__main__":
    sys.exit(main())
