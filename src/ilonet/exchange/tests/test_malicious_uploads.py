"""The security battery's malicious uploads, through the REST API as an ILO uploading to the
network's space, with the real ClamAV daemon (scripts/clamav.sh, its local EICAR signature):
every case of ``ilonet.shared.uploads.malicious`` is refused with a 4xx status and leaves 0 bytes
behind (no document or version row, no stored file, no temporary upload file), and checking
them all stays under 512 MB of memory.

Every upload is spooled to disk (``FILE_UPLOAD_MAX_MEMORY_SIZE = 0``) in a directory of the
test's own, so that a temporary file left behind would be seen. The size limit is lowered to
``malicious.TEST_LIMIT`` (2 MiB) so that "limit + 1 byte" stays small; the archive bombs unpack
to far more than the unpacked limit that follows from it (and from the default limit).
"""

import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ilonet.accounts import testing as account_tokens
from ilonet.exchange.models import Document, DocumentVersion
from ilonet.shared.uploads import malicious

pytestmark = pytest.mark.django_db

CASES = sorted(malicious.CASES)
MEMORY_LIMIT = 512 * 1024 * 1024
MALWARE = {name for name in CASES if name.startswith("eicar-")}
# EICAR cases that only the scanner stops (the content checks pass them; EICAR inside a DOCX or
# a PDF is refused before the scan by the personal data guard, which cannot read its text, and by
# the scanner alone below)
SCANNER_ONLY = {"eicar-plain-txt", "eicar-plain-com", "eicar-in-csv"}


@pytest.fixture
def upload_dirs(settings, tmp_path, clamd):
    settings.UPLOAD_MAX_BYTES = malicious.TEST_LIMIT
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    (tmp_path / "samples").mkdir()
    return {"media": tmp_path / "media", "temp": tmp_path / "upload-tmp", "samples": tmp_path / "samples"}


def _files(directory: Path) -> list[Path]:
    return [path for path in directory.rglob("*") if path.is_file()] if directory.exists() else []


def test_the_battery_has_at_least_fifty_named_cases_of_every_kind():
    assert len(CASES) >= 50
    kinds = ("eicar", "zip-bomb", "zip-slip", "zip-symlink", "polyglot", "svg", "xxe", "macro", "named",
             "limit-plus-one", "pixel-flood")  # fmt: skip
    assert all(any(kind in name for name in CASES) for kind in kinds)


@pytest.mark.parametrize("case", CASES)
def test_every_malicious_upload_is_refused_and_leaves_nothing(people, upload_dirs, case):
    path, upload_name = malicious.build(case, upload_dirs["samples"])
    _token, secret = account_tokens.issue_api_token(actor=people.ilo, name="battery", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    # the file under the name the attacker chose (the test client sends a file's own name)
    upload = SimpleUploadedFile(upload_name, path.read_bytes())
    data = {"title": "Report", "category": "other", "marking": "normal", "file": upload}
    tracemalloc.start()
    try:
        response = client.post(f"/api/v1/exchange/spaces/{people.network_space.pk}/documents", data)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code in (413, 415, 422), (case, response.status_code, response.content[:300])
    if case in MALWARE and case in SCANNER_ONLY:
        assert "malware scanner found" in response.content.decode(), response.content[:300]
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert _files(upload_dirs["media"]) == []
    assert _files(upload_dirs["temp"]) == []
    assert peak < MEMORY_LIMIT, f"{case}: {peak / 2**20:.0f} MiB traced"


def test_the_scanner_alone_finds_eicar_in_every_wrapping(clamd, tmp_path):
    """Defence in depth: the zipped EICAR cases are refused by the content checks already; the
    local ClamAV signature finds them too (clamd unpacks archives)."""
    from ilonet.shared.uploads import UploadRefused, get_scanner

    scanner = get_scanner()
    missed = []
    for case in sorted(MALWARE):
        path, _name = malicious.build(case, tmp_path)
        with path.open("rb") as handle:
            try:
                scanner.scan(handle)
            except UploadRefused as refusal:
                assert refusal.code == "malware", (case, refusal)
                continue
        missed.append(case)
    assert missed == []


MEASURE = r"""
import json, os, sys, tempfile
from pathlib import Path
import django
django.setup()
from django.conf import settings
from ilonet.shared.uploads import EXCHANGE, UploadRefused, get_scanner, inspect_upload, malicious
settings.UPLOAD_MAX_BYTES = malicious.TEST_LIMIT
settings.CLAMAV_SOCKET, settings.CLAMAV_HOST, settings.CLAMAV_WAIT_SECONDS = sys.argv[1], "", 0
scanner = get_scanner()
accepted, directory = [], Path(tempfile.mkdtemp(prefix="ilonet-battery-"))
for case in malicious.CASES:
    path, name = malicious.build(case, directory)
    try:
        with path.open("rb") as handle:
            inspect_upload(handle, profile=EXCHANGE, name=name)
            scanner.scan(handle)
        accepted.append(case)
    except UploadRefused:
        pass
    path.unlink()
directory.rmdir()
# VmHWM: this process image's own peak. getrusage's ru_maxrss would carry the parent's peak
# across fork and exec (the kernel keeps it), so a big test process would be counted here.
status = Path("/proc/self/status").read_text()
peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) * 1024
print(json.dumps({"accepted": accepted, "peak_rss": peak, "cases": len(malicious.CASES)}))
"""


def test_checking_every_malicious_upload_stays_under_512_mb(clamd):
    """Peak resident memory of a process that builds, checks and scans every case (the 1 GiB
    bomb included), measured by the kernel (``VmHWM`` of the process), Python's own start
    included."""
    root = Path(__file__).resolve().parents[4]
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "DJANGO_SETTINGS_MODULE": "ilonet.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, clamd], capture_output=True, text=True, timeout=600, check=False,
        cwd=root, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    print(
        f"\nmalicious uploads: peak RSS {measured['peak_rss'] / 2**20:.0f} MiB over {measured['cases']} cases"
    )
    assert measured["accepted"] == [] and measured["cases"] >= 50
    assert measured["peak_rss"] < MEMORY_LIMIT
