"""Write the CycloneDX SBOM of what production installs (requirements.lock) and validate it.

    python scripts/sbom.py [--output build/sbom.cdx.json]

cyclonedx-py reads the hash-pinned lock file (no network: the versions and hashes are in the
file) and validates its JSON against the CycloneDX 1.6 schema; this script then checks that the
document lists every locked package at its locked version, and nothing else, and exits non-zero
otherwise. `make sbom` runs it.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"


def locked_versions(lock: Path) -> dict[str, str]:
    text = re.sub(r"\\\n", " ", lock.read_text())
    found = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;]+)", line.strip())
        if match:
            found[match[1].lower().replace("_", "-")] = match[2]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "sbom.cdx.json")
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(Path(sys.executable).parent / "cyclonedx-py"), "requirements", str(LOCK),
        "--pyproject", str(ROOT / "pyproject.toml"), "--of", "JSON", "--sv", "1.6",
        "--validate", "--output-reproducible", "-o", str(args.output),
    ]  # fmt: skip
    # cyclonedx-py warns that the root component has no dependency graph (a lock file has none).
    quiet = {**os.environ, "PYTHONWARNINGS": "ignore::UserWarning"}
    subprocess.run(command, check=True, cwd=ROOT, env=quiet)  # noqa: S603 (fixed arguments)
    sbom = json.loads(args.output.read_text())
    problems = []
    if sbom.get("bomFormat") != "CycloneDX" or sbom.get("specVersion") != "1.6":
        problems.append(f"not a CycloneDX 1.6 document: {sbom.get('bomFormat')} {sbom.get('specVersion')}")
    listed = {c["name"].lower().replace("_", "-"): c.get("version") for c in sbom.get("components", [])}
    locked = locked_versions(LOCK)
    for name, version in sorted(locked.items()):
        if listed.get(name) != version:
            problems.append(f"{name}=={version} is locked but the SBOM lists {listed.get(name)}")
    problems += [f"{name} is in the SBOM but not locked" for name in sorted(set(listed) - set(locked))]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"SBOM: {args.output} (CycloneDX {sbom['specVersion']}, {len(listed)} components, all locked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
