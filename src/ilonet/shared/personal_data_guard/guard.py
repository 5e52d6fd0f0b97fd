"""The guard's entry points, called by the exchange platform on every upload, every new version
and the free text of every situation report (Art. 9(3)): apart from the list of steering board
members (Art. 9(2)(c)) and the ILO contact list (Art. 9(2)(d)), the platform holds no personal
data and no links through which personal data is reachable.

``scan(file, content_type)`` and ``scan_text(text, field_label)`` return a
:class:`GuardReport`. With findings, the caller refuses the document and stores nothing, and
shows ``report.summary()`` and ``report.lines()`` (translated; places, kinds and masked values).
A user the board authorised may override a finding they judge false (an institution's
switchboard number) with a reason: the exchange app records the finding's ``fingerprint`` (a
keyed hash, not the value) with the reason in its audit trail, marks the document, and asks
``report.remaining(overridden)`` whether anything is left. ``report.as_dict()`` is safe to keep:
masked values only.

A document that cannot be read through raises an :class:`ExtractionError` subclass (damaged,
password-protected, empty, too large, a scan without text): refuse it with ``error.message``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext, ngettext

from ilonet.shared.personal_data_guard.detect import Finding, detect, kind_label
from ilonet.shared.personal_data_guard.extract import Limits, TextChunk, extract, normalise_content_type
from ilonet.shared.personal_data_guard.formats.plain import paragraphs
from ilonet.shared.personal_data_guard.location import Location

# Past this many findings the guard stops reading: the document is refused either way.
MAX_FINDINGS = 200
# The end of the previous chunk of the same page, sheet or part is read for labels: a label
# at the end of one paragraph or table line stands next to the value that opens the next.
CONTEXT_CHARS = 80


def _same_flow(a: Location, b: Location) -> bool:
    return (a.part, a.page, a.sheet, a.table, a.field) == (b.part, b.page, b.sheet, b.table, b.field)


@dataclass(frozen=True)
class GuardReport:
    """What the guard found in one document or text field."""

    source: str  # the content type, or "text" for scan_text
    findings: tuple[Finding, ...] = ()
    chunks: int = 0
    characters: int = 0
    truncated: bool = False  # stopped at MAX_FINDINGS
    seconds: float = field(default=0.0, compare=False)

    @property
    def clean(self) -> bool:
        return not self.findings

    def remaining(self, overridden: Iterable[str]) -> tuple[Finding, ...]:
        """The findings left once those whose fingerprints were overridden are set aside."""
        gone = set(overridden)
        return tuple(f for f in self.findings if f.fingerprint not in gone)

    def counts(self) -> dict[str, int]:
        return dict(Counter(f.kind for f in self.findings))

    def summary(self) -> str:
        """One translated sentence for the uploader."""
        if self.clean:
            return gettext("No personal data was found.")
        parts = []
        for kind, count in sorted(self.counts().items()):
            parts.append(
                ngettext("%(count)s %(kind)s", "%(count)s × %(kind)s", count)
                % {"count": count, "kind": kind_label(kind)}
            )
        more = (
            gettext(" (and possibly more: the check stopped at %(limit)s)") % {"limit": MAX_FINDINGS}
            if self.truncated
            else ""
        )
        return gettext(
            "The document was refused and not stored: the exchange platform holds no personal data "
            "(Art. 9(3) of Regulation (EU) 2019/1240). Found: %(found)s%(more)s."
        ) % {"found": "; ".join(parts), "more": more}

    def lines(self) -> list[str]:
        """One translated line per finding: place, kind, detail, masked value."""
        return [finding.describe() for finding in self.findings]

    def as_dict(self) -> dict[str, object]:
        """For an audit record: counts, places, masked values and fingerprints; no value."""
        return {
            "source": self.source,
            "clean": self.clean,
            "counts": self.counts(),
            "findings": [finding.as_dict() for finding in self.findings],
            "chunks": self.chunks,
            "characters": self.characters,
            "truncated": self.truncated,
        }


def scan_chunks(chunks: Iterable[TextChunk], source: str) -> GuardReport:
    started = time.monotonic()
    findings: list[Finding] = []
    seen: set[tuple[str, Location]] = set()
    count = characters = 0
    truncated = False
    previous: TextChunk | None = None
    fingerprints: set[str] = set()
    for chunk in chunks:
        count += 1
        if chunk.joins:
            # A page's pieces put together (``formats/pdf.py``): read already, piece by piece;
            # only a value no piece showed on its own is new.
            for finding in detect(chunk):
                if finding.fingerprint not in fingerprints:
                    fingerprints.add(finding.fingerprint)
                    findings.append(finding)
            continue
        characters += len(chunk.text)
        context = (
            previous.text[-CONTEXT_CHARS:]
            if previous and _same_flow(previous.location, chunk.location)
            else ""
        )
        previous = chunk
        for finding in detect(chunk, context=context):
            key = (finding.fingerprint, finding.location)
            fingerprints.add(finding.fingerprint)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
        if len(findings) >= MAX_FINDINGS:
            truncated = True
            findings = findings[:MAX_FINDINGS]
            break
    return GuardReport(source, tuple(findings), count, characters, truncated, time.monotonic() - started)


def scan(file_obj: IO[bytes], content_type: str, *, limits: Limits | None = None) -> GuardReport:
    """Check an uploaded file (Art. 9(3)). Raises an ``ExtractionError`` subclass when the file
    cannot be read through; otherwise the report says whether it holds personal data."""
    chunks = extract(file_obj, content_type, limits=limits, page_views=True)
    return scan_chunks(chunks, normalise_content_type(content_type))


def scan_text(text: str, field_label: str = "") -> GuardReport:
    """Check the free text of a form field (a situation report's), placed by field and line."""
    limits = Limits()
    if len(text) > limits.max_chars:
        from ilonet.shared.personal_data_guard.errors import LimitExceeded

        raise LimitExceeded("characters")
    chunks = paragraphs(text, lambda line: Location(part="field", field=field_label or None, line=line))
    return scan_chunks(chunks, "text")
