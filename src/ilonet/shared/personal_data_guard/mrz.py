"""Machine-readable zones of passports, identity cards and visas (ICAO Doc 9303, Part 3:
check digits; Parts 4-6: TD3, TD1, TD2 layouts). Our own few lines: the PyPI ``mrz`` package
has not been released since 2020.

A line counts when its layout is exact and its check digits hold: TD3 line 2 (44 characters:
document number, date of birth, expiry date, personal number and the composite digit), TD2
line 2 (36), TD1 lines 1 and 2 (30 each; the composite digit spans both). The name line of a
TD3 or TD2 zone (``P<UTOERIKSSON<<ANNA<MARIA<<<…``) carries no check digit; it counts by its
unmistakable form (document code, a three-letter state, a name with ``<<`` and filler to the
exact length). OCR output is tolerated: spaces inside a line, ``«`` for ``<``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

WEIGHTS = (7, 3, 1)
CHARSET = re.compile(r"[A-Z0-9<]+")


def char_value(char: str) -> int:
    """ICAO 9303 Part 3, 4.9: digits are their value, A-Z are 10-35, the filler ``<`` is 0."""
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"not an MRZ character: {char!r}")


def check_digit(field: str) -> str:
    """The check digit of ``field``: the sum of its values weighted 7, 3, 1 (repeating), mod 10."""
    return str(sum(char_value(c) * WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def _holds(field: str, digit: str, *, optional: bool = False) -> bool:
    if optional and digit == "<" and set(field) <= {"<"}:
        return True
    return digit.isdigit() and check_digit(field) == digit


def _is_date(value: str) -> bool:
    return value.isdigit() and 1 <= int(value[2:4]) <= 12 and 1 <= int(value[4:6]) <= 31


def td3_line2(line: str) -> bool:
    """ICAO 9303 Part 4: the second line of a passport (TD3), 44 characters."""
    return (
        len(line) == 44
        and _holds(line[0:9], line[9])
        and _is_date(line[13:19])
        and _holds(line[13:19], line[19])
        and line[20] in "MFX<"
        and _is_date(line[21:27])
        and _holds(line[21:27], line[27])
        and _holds(line[28:42], line[42], optional=True)
        and _holds(line[0:10] + line[13:20] + line[21:43], line[43])
    )


def td2_line2(line: str) -> bool:
    """ICAO 9303 Part 6: the second line of a TD2 card or visa, 36 characters."""
    return (
        len(line) == 36
        and _holds(line[0:9], line[9])
        and _is_date(line[13:19])
        and _holds(line[13:19], line[19])
        and line[20] in "MFX<"
        and _is_date(line[21:27])
        and _holds(line[21:27], line[27])
        and _holds(line[0:10] + line[13:20] + line[21:35], line[35])
    )


def td1_line1(line: str) -> bool:
    """ICAO 9303 Part 5: the first line of an identity card (TD1), 30 characters."""
    return (
        len(line) == 30
        and line[0] in "ACI"
        and re.fullmatch(r"[A-Z<]{3}", line[2:5]) is not None
        and line[5:14] != "<" * 9
        and _holds(line[5:14], line[14])
    )


def td1_line2(line: str) -> bool:
    return (
        len(line) == 30
        and _is_date(line[0:6])
        and _holds(line[0:6], line[6])
        and line[7] in "MFX<"
        and _is_date(line[8:14])
        and _holds(line[8:14], line[14])
        and re.fullmatch(r"[A-Z<]{3}", line[15:18]) is not None
    )


def td1_composite(line1: str, line2: str) -> bool:
    return _holds(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29], line2[29])


NAME_LINE = re.compile(r"[PVIAC][A-Z<][A-Z<]{3}[A-Z]+(<[A-Z]+)*<<[A-Z]+(<[A-Z]+)*<*")
TD1_NAME = re.compile(r"[A-Z]+(<[A-Z]+)*<<[A-Z]+(<[A-Z]+)*<*")


def name_line(line: str) -> bool:
    """The first line of a TD3 (44) or TD2 (36) zone: no check digit, but an exact form."""
    return len(line) in (36, 44) and NAME_LINE.fullmatch(line) is not None and line.endswith("<")


@dataclass(frozen=True)
class MrzLine:
    start: int  # offset of the first character of the line in the scanned text
    end: int
    value: str  # the line without spaces
    layout: str  # "TD1", "TD2", "TD3"


# A candidate run: MRZ characters with at most single spaces between them, at least 30.
CANDIDATE = re.compile(r"[A-Z0-9<«](?:[ ]?[A-Z0-9<«]){29,}")


def _clean(raw: str) -> str:
    return raw.replace(" ", "").replace("«", "<")


def _classify(line: str, previous: str | None) -> str | None:
    if td3_line2(line):
        return "TD3"
    if td2_line2(line):
        return "TD2"
    if td1_line1(line):
        return "TD1"
    if td1_line2(line) and (previous is None or not td1_line1(previous) or td1_composite(previous, line)):
        return "TD1"
    if name_line(line):
        return "TD3" if len(line) == 44 else "TD2"
    return None


# A text line made of MRZ characters alone (a zone line broken in two by a narrow column).
MRZ_TEXT_LINE = re.compile(r"^[ \t]*([A-Z0-9<«](?:[ ]?[A-Z0-9<«])*)[ \t]*$", re.MULTILINE)
MAX_BROKEN_LINES = 12


def _broken_lines(text: str) -> Iterator[MrzLine]:
    """Zone lines broken over consecutive text lines: runs of lines made only of MRZ
    characters, joined, and read when their joined length is one, two or three zone widths."""
    runs: list[list[re.Match[str]]] = []
    for match in MRZ_TEXT_LINE.finditer(text):
        consecutive = runs and text.count("\n", runs[-1][-1].end(), match.start()) == 1
        if consecutive and len(runs[-1]) < MAX_BROKEN_LINES:
            runs[-1].append(match)
        else:
            runs.append([match])
    for run in runs:
        for first in range(len(run)):
            joined = ""
            for last in range(first, len(run)):
                joined += _clean(run[last].group(1))
                if last == first or "<" not in joined:
                    continue
                for width in (44, 36, 30):
                    if len(joined) in (width, 2 * width, 3 * width):
                        previous: str | None = None
                        for i in range(0, len(joined), width):
                            piece = joined[i : i + width]
                            layout = _classify(piece, previous)
                            if layout:
                                yield MrzLine(run[first].start(1), run[last].end(1), piece, layout)
                            previous = piece


def find_mrz(text: str) -> Iterator[MrzLine]:
    """Each line of a machine-readable zone in ``text``, validated. Two or three zone lines run
    together on one text line (as some PDF extractions give them) are split at their widths;
    a zone line broken over several text lines is joined again (:func:`_broken_lines`)."""
    found = set()
    for line in _find_mrz(text):
        found.add(line.value)
        yield line
    if "\n" in text and "<" in text:
        for line in _broken_lines(text):
            if line.value not in found:  # whole lines run together are read above
                found.add(line.value)
                yield line


def _find_mrz(text: str) -> Iterator[MrzLine]:
    previous: str | None = None
    for match in CANDIDATE.finditer(text):
        raw = match.group(0)
        line = _clean(raw)
        if "<" not in line and not any(c.isdigit() for c in line[-10:]):
            previous = None
            continue
        pieces = [line]
        for width in (44, 36, 30):
            if len(line) in (2 * width, 3 * width):
                pieces = [line[i : i + width] for i in range(0, len(line), width)]
                break
        for piece in pieces:
            layout = _classify(piece, previous)
            if layout:
                yield MrzLine(match.start(), match.end(), piece, layout)
            previous = piece
