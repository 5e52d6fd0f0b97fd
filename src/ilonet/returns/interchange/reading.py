"""Reading an import file as a stream of numbered rows: CSV (a header line, then one row a line)
or JSON lines (one object a line). Never the whole file in memory: one line at a time, with its
line number for the reports, whatever the file's size.

A row that cannot be read (invalid JSON, a CSV row with too many cells, a line that is not an
object) is yielded as a ``Unreadable`` with its line and reason: the import reports it and
goes on. A file that cannot be read at all (no header, an unknown column, not UTF-8 in its
first line) raises ``MalformedFile`` before anything is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import orjson

# A cell of the import is a short text; a field larger than this is a broken file, not data.
csv.field_size_limit(1_000_000)


class MalformedFile(ValueError):
    """The file cannot be read as an import at all (nothing is written)."""


class Line(NamedTuple):
    number: int  # 1-based physical line of the file where the row starts
    data: dict[str, Any]


class Unreadable(NamedTuple):
    number: int
    code: str  # a reason code of ``refusals``
    params: dict[str, Any]


def file_digest(path: Path, *, block: int = 1 << 20) -> str:
    """SHA-256 of the file (its identity for resuming: the same file resumes its own run)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def detect_format(path: Path) -> str:
    """``jsonl`` or ``csv``, by the file name's ending, else by its first character."""
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    with path.open("rb") as handle:
        first = handle.read(1)
    return "jsonl" if first == b"{" else "csv"


def rows(path: Path, *, columns: frozenset[str], fmt: str | None = None) -> Iterator[Line | Unreadable]:
    """The rows of ``path`` in order. ``columns`` are the names a row may have (an unknown CSV
    header column makes the file malformed; an unknown JSON key is reported on its line)."""
    fmt = fmt or detect_format(path)
    if fmt == "jsonl":
        yield from _jsonl(path, columns)
    elif fmt == "csv":
        yield from _csv(path, columns)
    else:
        raise MalformedFile(f"unknown format {fmt!r} (csv or jsonl)")


def _open(path: Path) -> io.TextIOWrapper:
    return path.open("r", encoding="utf-8", newline="", errors="strict")


def _jsonl(path: Path, columns: frozenset[str]) -> Iterator[Line | Unreadable]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.strip()
            if not text:
                continue
            try:
                # orjson: the bytes as they are (UTF-8 checked by the parser), about three times
                # faster than the standard library's json for these short objects
                data = orjson.loads(text)
            except ValueError as error:  # orjson.JSONDecodeError, invalid UTF-8 included
                if number == 1 and not text.startswith(b"{"):
                    raise MalformedFile(f"line 1: not JSON lines ({error})") from None
                yield Unreadable(number, "not_json", {"detail": str(error)[:200]})
                continue
            if not isinstance(data, dict):
                yield Unreadable(number, "not_an_object", {})
                continue
            if not data.keys() <= columns:  # no set made of the row's keys (``issuperset`` makes one)
                unknown = sorted(set(data) - columns)
                yield Unreadable(number, "unknown_fields", {"names": ", ".join(unknown)[:200]})
                continue
            yield Line(number, data)


def _csv(path: Path, columns: frozenset[str]) -> Iterator[Line | Unreadable]:
    with _open(path) as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise MalformedFile("the file is empty: a CSV import starts with its header line") from None
        except (csv.Error, UnicodeDecodeError) as error:
            raise MalformedFile(f"line 1: not a CSV header ({error})") from None
        header = [name.strip().lstrip("\ufeff") for name in header]
        unknown = sorted(set(header) - columns)
        if unknown or len(set(header)) != len(header) or "record" not in header:
            reason = (
                f"unknown column(s) {', '.join(unknown)}"
                if unknown
                else "a column twice or no 'record' column"
            )
            raise MalformedFile(f"line 1: not an ILOnet return-case header: {reason}")
        width = len(header)
        previous = reader.line_num
        while True:
            start = previous + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                raise MalformedFile(f"after line {previous}: not UTF-8 ({error.reason})") from None
            except csv.Error as error:
                previous = reader.line_num
                yield Unreadable(start, "not_csv", {"detail": str(error)[:200]})
                continue
            previous = reader.line_num
            if not cells:
                continue
            if len(cells) != width:
                yield Unreadable(start, "cell_count", {"cells": len(cells), "width": width})
                continue
            yield Line(start, {name: value for name, value in zip(header, cells, strict=True) if value != ""})
