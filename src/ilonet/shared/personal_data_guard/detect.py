"""The detectors of the personal-data guard (Art. 9(3)) and what they report.

Each detector is a small class with a ``kind`` and ``find(text)``; it validates what it finds
with a maintained validator (Django's e-mail validator, libphonenumber, python-stdnum) or a
check digit (ICAO 9303), never with a loose pattern alone. A :class:`Finding` carries the kind,
the place, the value masked (first and last two characters kept) and a keyed fingerprint of the
normalised value: enough to show the uploader what to remove and to record an override, never
the value itself. Only the lists of Art. 9(2)(c) and Art. 9(2)(d) may hold personal data; they
are kept by their own apps and never pass through this guard.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

from ilonet.shared.personal_data_guard import contact, dates, ids, mrz
from ilonet.shared.personal_data_guard.base import KINDS, Match
from ilonet.shared.personal_data_guard.extract import TextChunk
from ilonet.shared.personal_data_guard.location import Location

FINGERPRINT_SALT = b"ilonet.personal_data_guard.fingerprint"


def kind_label(kind: str) -> str:
    return {
        "email": gettext("e-mail address"),
        "phone": gettext("phone number"),
        "mrz": gettext("machine-readable zone of a passport or identity card"),
        "iban": gettext("bank account number (IBAN)"),
        "national_id": gettext("national identity number"),
        "date_of_birth": gettext("date of birth"),
        "personal_link": gettext("link to a personal profile or document"),
    }.get(kind, kind)


def detail_label(kind: str, detail: str) -> str:
    """A reader's words for a finding's detail (the type of number, the country, the site)."""
    labels = {
        "nl.bsn": gettext("Dutch citizen service number (BSN)"),
        "be.nn": gettext("Belgian national register number"),
        "fr.nir": gettext("French social security number (NIR)"),
        "de.idnr": gettext("German tax identification number"),
        "it.codicefiscale": gettext("Italian fiscal code"),
        "es.dni": gettext("Spanish identity card number (DNI)"),
        "es.nie": gettext("Spanish foreigner's identity number (NIE)"),
        "pl.pesel": gettext("Polish PESEL number"),
        "label": gettext("after a birth label"),
        "name": gettext("next to a name"),
        "obfuscated": gettext("written in disguise"),
        "cloud share": gettext("shared cloud document"),
        "mailto": gettext("e-mail link"),
        "TD1": gettext("identity card (TD1)"),
        "TD2": gettext("identity card or visa (TD2)"),
        "TD3": gettext("passport (TD3)"),
    }
    return labels.get(detail, detail)


def mask(value: str) -> str:
    """The value with all but its first and last two characters replaced by ``*`` (shorter
    values keep less: one each side up to 7 characters, nothing up to 4)."""
    if len(value) <= 4:
        return "*" * len(value)
    keep = 1 if len(value) < 8 else 2
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def fingerprint_key() -> bytes:
    """``PERSONAL_DATA_GUARD_KEY`` if set, else a key derived from ``SECRET_KEY`` for this use
    alone. Changing either changes every fingerprint (recorded overrides then stop matching)."""
    configured = getattr(settings, "PERSONAL_DATA_GUARD_KEY", "")
    secret = configured or settings.SECRET_KEY
    return hmac.new(secret.encode(), FINGERPRINT_SALT, hashlib.sha256).digest()


def fingerprint(kind: str, value: str) -> str:
    """HMAC-SHA256 of the kind and the normalised value: the same number in a new version of a
    document has the same fingerprint, so an override can be recorded and matched without the
    number being stored anywhere."""
    return hmac.new(fingerprint_key(), f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Finding:
    kind: str
    location: Location
    masked: str
    detail: str
    fingerprint: str

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "location": self.location.as_dict(),
            "masked": self.masked,
            "detail": self.detail,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        return cls(
            kind=str(data["kind"]),
            location=Location(**data.get("location", {})),
            masked=str(data["masked"]),
            detail=str(data.get("detail", "")),
            fingerprint=str(data["fingerprint"]),
        )

    def describe(self) -> str:
        """ "page 3, line 12: e-mail address j******************eu" in the active language."""
        detail = f" ({detail_label(self.kind, self.detail)})" if self.detail else ""
        return f"{self.location.label()}: {kind_label(self.kind)}{detail} {self.masked}"


class Detector:
    """A kind of personal data and the function that finds it in a text."""

    def __init__(self, kind: str, finder: Callable[[str], Iterator[Match]]) -> None:
        assert kind in KINDS
        self.kind = kind
        self._finder = finder

    def find(self, text: str) -> Iterator[Match]:
        return self._finder(text)


class EmailDetector(Detector):
    def __init__(self) -> None:
        super().__init__("email", contact.find_emails)


class PhoneDetector(Detector):
    def __init__(self) -> None:
        super().__init__("phone", contact.find_phones)


class MrzDetector(Detector):
    def __init__(self) -> None:
        super().__init__("mrz", _find_mrz)


class IbanDetector(Detector):
    def __init__(self) -> None:
        super().__init__("iban", ids.find_iban)


class NationalIdDetector(Detector):
    def __init__(self) -> None:
        super().__init__("national_id", ids.find_national_ids)


class DateOfBirthDetector(Detector):
    def __init__(self) -> None:
        super().__init__("date_of_birth", dates.find_dates_of_birth)


class PersonalLinkDetector(Detector):
    def __init__(self) -> None:
        super().__init__("personal_link", contact.find_links)


def _find_mrz(text: str) -> Iterator[Match]:
    for line in mrz.find_mrz(text):
        yield Match("mrz", line.start, line.end, line.value, line.layout)


# Order matters where two detectors see the same characters: the first keeps them (an IBAN is
# not also a phone number; a machine-readable zone is not also a date of birth).
DETECTORS: tuple[Detector, ...] = (
    MrzDetector(),
    IbanDetector(),
    NationalIdDetector(),
    PersonalLinkDetector(),
    EmailDetector(),
    DateOfBirthDetector(),
    PhoneDetector(),
)


def find_matches(text: str, detectors: tuple[Detector, ...] = DETECTORS) -> list[Match]:
    """Every match in ``text``, overlaps resolved in favour of the earlier detector."""
    kept: list[Match] = []
    for detector in detectors:
        for match in detector.find(text):
            if not any(m.start < match.end and match.start < m.end for m in kept):
                kept.append(match)
    return sorted(kept, key=lambda m: m.start)


# Characters a reader does not see: zero-width spaces and joiners, the word joiner, the soft
# hyphen, the byte-order mark, bidirectional marks. Slipped inside an address or an account
# number they hide it from a pattern, not from a reader.
INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` as a reader reads it, and for each of its characters the offset of the original
    character it comes from: invisible characters (and every other format character, Unicode
    category Cf) removed, compatibility forms folded (NFKC: full-width ``Ｊ＠１`` to ``J@1``,
    ligatures to their letters). Plain ASCII text is returned as it is."""
    if text.isascii():
        return text, []
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in INVISIBLE or (not char.isascii() and unicodedata.category(char) == "Cf"):
            continue
        folded = unicodedata.normalize("NFKC", char) if not char.isascii() else char
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def _original_span(origin: list[int], start: int, end: int) -> tuple[int, int]:
    """The span in the original text of the span ``start:end`` of its normalised form."""
    if not origin:
        return start, end
    return origin[start], origin[end - 1] + 1


def _pieced(chunk: TextChunk, detectors: tuple[Detector, ...]) -> list[Match]:
    """The matches of a pieced chunk that only its joining reveals: no piece it covers holds a
    match of the same kind there on its own (that one was reported when the piece was read:
    "Write to" + "jan@example.org" is not a second address "tojan@example.org"). A match inside
    one piece counts when the piece alone does not show it: its label stands in another piece
    ("BSN" at the margin, the number at the right)."""
    if chunk.kinds:
        detectors = tuple(d for d in detectors if d.kind in chunk.kinds)
    text, origin = normalise(chunk.text)
    starts = (0, *chunk.joins)
    ends = (*chunk.joins, len(chunk.text))
    kept = []
    for match in find_matches(text, detectors):
        start, end = _original_span(origin, match.start, match.end)
        detector = next(d for d in detectors if d.kind == match.kind)
        seen_alone = False
        for piece_start, piece_end in zip(starts, ends, strict=True):
            if piece_end <= start or end <= piece_start:
                continue
            piece, piece_origin = normalise(chunk.text[piece_start:piece_end])
            for alone in detector.find(piece):
                a_start, a_end = _original_span(piece_origin, alone.start, alone.end)
                if piece_start + a_start < end and start < piece_start + a_end:
                    seen_alone = True
        if not seen_alone:
            kept.append(Match(match.kind, start, end, match.value, match.detail))
    return kept


def detect(
    chunk: TextChunk, detectors: tuple[Detector, ...] = DETECTORS, *, context: str = ""
) -> list[Finding]:
    """The findings in one chunk, each placed on its own line of the chunk. ``context`` is the
    end of the text before the chunk (a table's header row, a label in the previous paragraph):
    read for labels only, never reported. The text is read as :func:`normalise` gives it."""
    if chunk.joins:
        matches = _pieced(chunk, detectors)
        prefix = ""
    else:
        prefix = context + "\n" if context else ""
        text, origin = normalise(prefix + chunk.text)
        matches = [
            Match(m.kind, *_original_span(origin, m.start, m.end), m.value, m.detail)
            for m in find_matches(text, detectors)
        ]
    findings = []
    for match in matches:
        start = match.start - len(prefix)
        if start < 0 and match.kind == "mrz" and match.end > len(prefix):
            start = 0  # a zone line broken over the previous paragraph and this one
        if start < 0:
            continue
        findings.append(
            Finding(
                kind=match.kind,
                location=chunk.location.at_line_offset(chunk.text.count("\n", 0, start)),
                masked=mask(match.value),
                detail=match.detail,
                fingerprint=fingerprint(match.kind, match.value),
            )
        )
    return findings
