"""House rules that hold only if checked: every article citation names its paragraph in full (so
``grep -rn "Art. 5(2)"`` finds every place a rule lives), no source file grows past 600
lines (a big app is a package of modules by seam), and the day is Brussels' day everywhere."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "ilonet"
# "Art. 5(1)-(2)", "Art. 5(1)(a)-(h)", "art. 2(2)(a) – (d)": a range hides the paragraphs inside.
CITATION_RANGE = re.compile(r"[Aa]rt\. ?[0-9]+\([0-9a-z]+\)(\([a-z]\))? ?[-–] ?\(")
MAX_LINES = 600
# The machine's own day or time (UTC on a server): an hour a night it is not the site's day.
MACHINE_CLOCK = re.compile(r"\b(date\.today|datetime\.now|datetime\.utcnow|datetime\.today)\(\)")


def _texts() -> list[Path]:
    files = [*SOURCE.rglob("*.py"), *SOURCE.rglob("*.html"), *SOURCE.rglob("*.po")]
    files += [*(ROOT / "docs").glob("*.md"), ROOT / "README.md"]
    return [f for f in files if "vendor" not in f.parts]


def test_article_citations_name_each_paragraph_not_a_range():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"
        for path in _texts()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CITATION_RANGE.search(line)
    ]
    assert not found, "Spell out each paragraph (Art. 5(1), Art. 5(2)):\n" + "\n".join(found)


def test_no_source_file_is_longer_than_600_lines():
    too_long = [
        f"{path.relative_to(ROOT)} ({count} lines)"
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not too_long, "Split these by seam:\n" + "\n".join(too_long)


def test_the_range_check_recognises_ranges():
    for cited in ("Art. 5(1)-(2)", "Art. 5(1)(a)-(h)", "art. 2(2)(a) – (d)"):
        assert CITATION_RANGE.search(cited), cited
    for cited in ("Art. 5(1), Art. 5(2)", "Art. 5(1)(a), Art. 5(1)(b)", "Art. 7"):
        assert not CITATION_RANGE.search(cited), cited


def test_the_day_is_the_sites_day_never_the_machines():
    """``timezone.localdate()`` and ``timezone.now()``: ``date.today()`` is the server's day (UTC),
    which between 23:00 and 24:00 UTC in winter is yesterday in Brussels. Tests included: one
    compared roles valid "until today" by the two days, and failed in CI at that hour. (bench/
    is not held to it: it dates its reports by the machine's day, some of it outside Django.)"""
    files = [*SOURCE.rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"
        for path in files
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_CLOCK.search(line)
    ]
    assert not found, "Use timezone.localdate() / timezone.now():\n" + "\n".join(found)
