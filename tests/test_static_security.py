"""Static security checks of the code and the supply chain, part of `make test` and `make security`.

- bandit over the running code (`src/`, its tests and migrations excluded by `[tool.bandit]` in
  pyproject.toml) reports no finding of high severity;
- every requirement of both lock files is pinned to one version (`==`) with its hashes, so that
  `pip install --require-hashes` installs exactly what was reviewed;
- the CycloneDX SBOM that `make sbom` writes names every locked package at its locked version.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.security

ROOT = Path(__file__).resolve().parent.parent
LOCK_FILES = ("requirements.lock", "requirements-dev.lock")
# name[extras]==version, an optional environment marker, then one or more sha256 hashes.
PINNED = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[A-Za-z0-9,._-]+\])?==(?P<version>[A-Za-z0-9.+!_-]+)"
    r"(\s*;\s*[^-]+?)?(?P<hashes>(\s+--hash=sha256:[0-9a-f]{64})+)$"
)


def _bandit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", "src", "-q", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_bandit_finds_no_high_severity_issue_in_the_running_code():
    result = _bandit("-f", "json", "--severity-level", "high")
    report = json.loads(result.stdout)
    assert not report["errors"], report["errors"]
    high = [
        f"{issue['filename']}:{issue['line_number']} {issue['test_id']} {issue['issue_text']}"
        for issue in report["results"]
    ]
    assert high == [], "\n".join(high)
    # The scan saw the code (a configuration excluding everything would pass vacuously).
    assert report["metrics"]["_totals"]["loc"] > 10_000


def test_bandit_configuration_still_reports_a_planted_high_finding(tmp_path):
    """The same command and configuration fail on a high finding (the check can fail)."""
    planted = tmp_path / "planted.py"
    planted.write_text("import subprocess\nsubprocess.call('ls ' + input(), shell=True)\n")
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-q", "-f", "json",
         "--severity-level", "high", str(planted)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert [issue["test_id"] for issue in json.loads(result.stdout)["results"]] == ["B602"]


def _requirements(lock: Path) -> list[str]:
    """The logical lines of a requirements file: continuations joined, comments dropped."""
    text = re.sub(r"\\\n", " ", lock.read_text())
    lines = (re.sub(r"(^|\s)#.*$", "", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def locked_packages(lock: Path) -> dict[str, str]:
    packages = {}
    for line in _requirements(lock):
        match = PINNED.match(line)
        if match:
            packages[match["name"].lower().replace("_", "-")] = match["version"]
    return packages


@pytest.mark.parametrize("lock_name", LOCK_FILES)
def test_every_locked_requirement_is_pinned_with_hashes(lock_name):
    lines = _requirements(ROOT / lock_name)
    unpinned = [line[:120] for line in lines if not PINNED.match(line)]
    assert unpinned == [], f"{lock_name}: not pinned with == and --hash: {unpinned}"
    assert len(lines) > 50


def test_the_pin_check_refuses_loose_or_unhashed_requirements():
    for loose in (
        "django>=5.2 --hash=sha256:" + "a" * 64,
        "django==5.2.1",
        "-e git+https://example.org/django.git#egg=django",
        "--index-url https://example.org/simple",
        "django==5.2.1 --hash=md5:" + "a" * 32,
    ):
        assert not PINNED.match(loose), loose
    assert PINNED.match("django==5.2.1 --hash=sha256:" + "a" * 64)
    assert PINNED.match('tzdata==2025.2 ; sys_platform == "win32" --hash=sha256:' + "b" * 64)


def test_the_sbom_names_every_locked_package_at_its_version(tmp_path):
    """`make sbom` (scripts/sbom.py) writes a CycloneDX JSON document validated against the lock."""
    output = tmp_path / "sbom.cdx.json"
    result = subprocess.run(
        [sys.executable, "scripts/sbom.py", "--output", str(output)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    sbom = json.loads(output.read_text())
    assert sbom["bomFormat"] == "CycloneDX"
    assert sbom["metadata"]["component"]["name"] == "ilonet"
    listed = {c["name"].lower().replace("_", "-"): c["version"] for c in sbom["components"]}
    assert listed == locked_packages(ROOT / "requirements.lock")
    assert all(c["purl"].startswith("pkg:pypi/") for c in sbom["components"])
