"""Streamed readers of Eurostat's files: the TSV layout and SDMX-CSV 1.0 and 2.0.

A reader takes a binary stream and yields, line by line, the list of the line's figures (tuples
in the order of ``Obs``): the file is never held in memory. Every problem is a ``Problem``
with its line and column (1-based, as a spreadsheet shows them); the loader stops writing at
the first and refuses the file.

TSV (Eurostat's bulk download)::

    freq,citizen,age,sex,unit,geo\\TIME_PERIOD<TAB>2022 <TAB>2023
    A,AF,TOTAL,T,PER,AT<TAB>1234 <TAB>: c

A value is a number, optionally followed by a space and flags (``e``, ``p``, ``b``, ``u`` …);
``:`` is "not available", alone or with flags. Periods are ``2023`` or ``2023-Q1`` (``2023Q1``).

SDMX-CSV 1.0: ``DATAFLOW,LAST UPDATE,<dimensions>,TIME_PERIOD,OBS_VALUE,OBS_FLAG``;
SDMX-CSV 2.0: ``STRUCTURE,STRUCTURE_ID[,STRUCTURE_NAME][,ACTION],<dimensions>,TIME_PERIOD,
OBS_VALUE[,OBS_FLAG][,CONF_STATUS]``. Headers and codes may carry labels (``geo: Geopolitical
entity``, ``AT: Austria``): the code is what comes before the colon.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, NamedTuple

from django.utils.translation import gettext as _

from .datasets import ANNUAL, DATASETS, FLAGS, QUARTERLY, Dataset, code_list

TSV = "tsv"
SDMX_1 = "sdmx-csv-1.0"
SDMX_2 = "sdmx-csv-2.0"
FORMAT_LABELS = {TSV: "TSV", SDMX_1: "SDMX-CSV 1.0", SDMX_2: "SDMX-CSV 2.0"}
MAX_PROBLEMS = 20
ABSENT = "TOTAL"  # the code of an optional dimension a file leaves out (``Dataset.optional``)
KNOWN_FLAGS = frozenset(FLAGS)

_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})-?Q([1-4])")
_VALUE = re.compile(r"(:|\d+)(?:\s+([A-Za-z]+))?")
_DATAFLOW = re.compile(r"(?:ESTAT:)?([A-Za-z0-9_]+)(?:\([^)]*\))?")
SDMX_1_META = ("DATAFLOW", "LAST UPDATE")
SDMX_2_META = ("STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION")
SDMX_OBS = ("TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS")
CONF_STATUSES = frozenset({"", "F", "N", "C", "D", "S", "A"})
CONFIDENTIAL = frozenset({"N", "C", "D"})


class Obs(NamedTuple):
    """One figure as the reader yields it (a plain tuple in this order, for speed)."""

    geo: str
    citizen: str
    breakdown: str
    period: str  # 2023 or 2023-Q1 (the loader derives the year and the quarter)
    value: int | None
    flags: str
    line: int  # where it was read (for a figure found twice)


Row = tuple[str, str, str, str, "int | None", str, int]  # the fields of ``Obs``


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d, column %(column)d: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class FileRefused(Exception):
    """The file cannot be loaded: nothing of it was kept."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _code(cell: str) -> str:
    """``AT: Austria`` -> ``AT``; a plain code is kept."""
    return cell.split(":", 1)[0].strip() if ":" in cell else cell.strip()


def parse_period(text: str, freq: str) -> tuple[str, int, int] | None:
    text = text.strip()
    if freq == ANNUAL and (m := _YEAR.fullmatch(text)):
        return text, int(m.group(1)), 0
    if freq == QUARTERLY and (m := _QUARTER.fullmatch(text)):
        return f"{m.group(1)}-Q{m.group(2)}", int(m.group(1)), int(m.group(2))
    return None


def check_flags(flags: str) -> str | None:
    """The first unknown flag, or None."""
    for flag in flags:
        if flag not in FLAGS:
            return flag
    return None


class Reader:
    """Iterate to get the figures, a list per line; ``problems`` holds what was wrong (iteration stops after
    ``MAX_PROBLEMS``). ``dataset`` and ``format`` are known once the header is read."""

    def __init__(self, stream: IO[bytes], *, dataset: str | None = None) -> None:
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self.requested = dataset
        self.problems: list[Problem] = []
        self.dataset: Dataset | None = DATASETS.get(dataset or "")
        self.format = ""
        self.lines = 0

    def problem(self, line: int, column: int, message: str) -> None:
        self.problems.append(Problem(line, column, message))

    def __iter__(self) -> Iterator[list[Row]]:
        if self.requested and self.dataset is None:
            self.problem(0, 0, _("Unknown Eurostat table %(code)s.") % {"code": self.requested})
            return
        first = self.text.readline()
        self.lines = 1
        if not first.strip():
            self.problem(1, 1, _("The file is empty."))
            return
        head = first.split("\t", 1)[0]
        if "\\" in head:
            self.format = TSV
            yield from self._tsv(first)
        elif first.startswith("DATAFLOW"):
            self.format = SDMX_1
            yield from self._sdmx(first, SDMX_1_META)
        elif first.startswith("STRUCTURE"):
            self.format = SDMX_2
            yield from self._sdmx(first, SDMX_2_META)
        else:
            self.problem(
                1,
                1,
                _(
                    "Not a layout of Eurostat's: expected a TSV header such as "
                    "“freq,citizen,geo\\TIME_PERIOD”, or SDMX-CSV starting with DATAFLOW or STRUCTURE."
                ),
            )

    # --- dimensions -------------------------------------------------------------------
    def _check_dimensions(self, found: list[str], column_of: dict[str, int]) -> bool:
        assert self.dataset is not None
        expected = list(self.dataset.dimensions)
        missing = [d for d in expected if d not in found and d not in self.dataset.optional]
        extra = [d for d in found if d not in expected]
        for name in extra:
            self.problem(
                1,
                column_of[name],
                _("Unexpected column “%(name)s” for %(table)s (expected: %(expected)s).")
                % {"name": name, "table": self.dataset.code, "expected": ", ".join(expected)},
            )
        if missing:
            self.problem(
                1,
                1,
                _("Missing columns for %(table)s: %(missing)s.")
                % {"table": self.dataset.code, "missing": ", ".join(missing)},
            )
        return not (missing or extra)

    def _codes(self, dims: list[str]) -> list[frozenset[str]]:
        return [code_list(d) for d in dims]

    # --- TSV ----------------------------------------------------------------------------
    def _tsv(self, first: str) -> Iterator[list[Row]]:
        if self.dataset is None:
            self.problem(1, 1, _("A TSV file does not name its table: choose the table."))
            return
        header = first.rstrip("\r\n").split("\t")
        dims = [d.strip() for d in header[0].split("\\", 1)[0].split(",")]
        if not self._check_dimensions(dims, {d: 1 for d in dims}):
            return
        freq = self.dataset.freq
        periods: list[str] = []
        for col, cell in enumerate(header[1:], start=2):
            parsed = parse_period(cell, freq)
            if parsed is None:
                self.problem(
                    1,
                    col,
                    _("“%(cell)s” is not a %(kind)s period.")
                    % {"cell": cell.strip(), "kind": _("yearly") if freq == ANNUAL else _("quarterly")},
                )
                return
            if parsed[0] in periods:
                self.problem(1, col, _("The period %(period)s appears twice.") % {"period": parsed[0]})
                return
            periods.append(parsed[0])
        ncols = len(header)
        codes = self._codes(dims)
        pos = {d: i for i, d in enumerate(dims)}
        i_geo, i_cit, i_freq = pos["geo"], pos["citizen"], pos["freq"]
        breakdown_dims = [(d, pos.get(d)) for d in self.dataset.breakdown]  # None: optional, absent
        seen: set[str] = set()
        for line_no, raw in enumerate(self.text, start=2):
            self.lines = line_no
            if len(self.problems) >= MAX_PROBLEMS:
                return
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            cells = line.split("\t")
            if len(cells) != ncols:
                what = _("truncated line") if len(cells) < ncols else _("extra columns")
                self.problem(
                    line_no,
                    min(len(cells), ncols) + 1,
                    _("%(what)s: %(found)d columns, %(expected)d expected.")
                    % {"what": what, "found": len(cells), "expected": ncols},
                )
                continue
            key = cells[0]
            parts = key.split(",")
            if len(parts) != len(dims):
                self.problem(
                    line_no,
                    1,
                    _("%(found)d codes, %(expected)d expected (%(dims)s).")
                    % {"found": len(parts), "expected": len(dims), "dims": ",".join(dims)},
                )
                continue
            bad = False
            for dim, code, allowed in zip(dims, parts, codes, strict=True):
                if code not in allowed:
                    self.problem(
                        line_no, 1, _("Unknown code “%(code)s” for %(dim)s.") % {"code": code, "dim": dim}
                    )
                    bad = True
            if parts[i_freq] != freq:
                self.problem(
                    line_no,
                    1,
                    _("Frequency %(found)s in a table of frequency %(freq)s.")
                    % {"found": parts[i_freq], "freq": freq},
                )
                bad = True
            if key in seen:
                self.problem(line_no, 1, _("The series %(key)s appears twice.") % {"key": key})
                bad = True
            seen.add(key)
            if bad:
                continue
            geo, citizen = parts[i_geo], parts[i_cit]
            breakdown = ";".join(f"{d}={ABSENT if i is None else parts[i]}" for d, i in breakdown_dims)
            out: list[Row] = []
            col = 1
            for cell, period in zip(cells[1:], periods, strict=True):
                col += 1
                cell = cell.strip()
                if cell.isdigit():  # the common cases first: a number, ":", a number with flags
                    out.append((geo, citizen, breakdown, period, int(cell), "", line_no))
                    continue
                if cell == ":":
                    out.append((geo, citizen, breakdown, period, None, "", line_no))
                    continue
                number, _sp, flags = cell.partition(" ")
                flags = flags.strip()
                if (number.isdigit() or number == ":") and flags.isalpha() and not set(flags) - KNOWN_FLAGS:
                    value = None if number == ":" else int(number)
                    out.append((geo, citizen, breakdown, period, value, flags, line_no))
                    continue
                parsed = self._value(cell, line_no, col)
                if parsed is not None:
                    out.append((geo, citizen, breakdown, period, *parsed, line_no))
            yield out

    def _value(self, cell: str, line: int, col: int) -> tuple[int | None, str] | None:
        m = _VALUE.fullmatch(cell)
        if m is None:
            self.problem(
                line, col, _("“%(cell)s” is not a whole number, “:” or a number with flags.") % {"cell": cell}
            )
            return None
        flags = m.group(2) or ""
        if (flag := check_flags(flags)) is not None:
            self.problem(line, col, _("Unknown flag “%(flag)s”.") % {"flag": flag})
            return None
        return (None if m.group(1) == ":" else int(m.group(1))), flags

    # --- SDMX-CSV -----------------------------------------------------------------------
    def _sdmx(self, first: str, meta: tuple[str, ...]) -> Iterator[list[Row]]:
        rows = csv.reader(self.text)
        header = [_code(h) for h in next(csv.reader([first]))]
        column_of = {name: i + 1 for i, name in enumerate(header)}
        dims = [h for h in header if h not in meta and h not in SDMX_OBS]
        flow_col = (
            0 if self.format == SDMX_1 else header.index("STRUCTURE_ID") if "STRUCTURE_ID" in header else -1
        )
        if flow_col < 0 or "TIME_PERIOD" not in header or "OBS_VALUE" not in header:
            needed = (
                "STRUCTURE_ID, TIME_PERIOD, OBS_VALUE" if self.format == SDMX_2 else "TIME_PERIOD, OBS_VALUE"
            )
            self.problem(1, 1, _("Missing columns: %(cols)s.") % {"cols": needed})
            return
        i_time, i_value = header.index("TIME_PERIOD"), header.index("OBS_VALUE")
        i_flag = header.index("OBS_FLAG") if "OBS_FLAG" in header else -1
        i_conf = header.index("CONF_STATUS") if "CONF_STATUS" in header else -1
        checked = False
        codes: list[frozenset[str]] = []
        positions: list[int] = []
        breakdown_dims: list[tuple[str, int | None]] = []
        ncols = len(header)
        for line_no, row in enumerate(rows, start=2):
            self.lines = line_no
            if len(self.problems) >= MAX_PROBLEMS:
                return
            if not row:
                continue
            if len(row) != ncols:
                what = _("truncated line") if len(row) < ncols else _("extra columns")
                self.problem(
                    line_no,
                    min(len(row), ncols) + 1,
                    _("%(what)s: %(found)d columns, %(expected)d expected.")
                    % {"what": what, "found": len(row), "expected": ncols},
                )
                continue
            if not checked:  # the table is named on every line; the first one decides
                checked = True
                m = _DATAFLOW.match(row[flow_col].strip())
                named = m.group(1).lower() if m else ""
                if self.dataset is None:
                    self.dataset = DATASETS.get(named)
                if self.dataset is None or named != self.dataset.code:
                    self.problem(
                        line_no,
                        flow_col + 1,
                        _("The file holds table “%(named)s”, not %(table)s.")
                        % {"named": row[flow_col], "table": self.requested or ", ".join(DATASETS)},
                    )
                    return
                if not self._check_dimensions(dims, column_of):
                    return
                codes = self._codes(dims)
                positions = [column_of[d] - 1 for d in dims]
                breakdown_dims = [
                    (d, column_of[d] - 1 if d in column_of else None) for d in self.dataset.breakdown
                ]
            yield self._sdmx_row(
                row,
                line_no,
                dims,
                codes,
                positions,
                breakdown_dims,
                column_of,
                i_time,
                i_value,
                i_flag,
                i_conf,
            )

    def _sdmx_row(
        self, row, line_no, dims, codes, positions, breakdown_dims, column_of, i_time, i_value, i_flag, i_conf
    ) -> list[Row]:
        assert self.dataset is not None
        values = {}
        for dim, allowed, i in zip(dims, codes, positions, strict=True):
            code = _code(row[i])
            if code not in allowed:
                self.problem(
                    line_no, i + 1, _("Unknown code “%(code)s” for %(dim)s.") % {"code": code, "dim": dim}
                )
                return []
            values[dim] = code
        if values["freq"] != self.dataset.freq:
            self.problem(
                line_no,
                column_of["freq"],
                _("Frequency %(found)s in a table of frequency %(freq)s.")
                % {"found": values["freq"], "freq": self.dataset.freq},
            )
            return []
        period = parse_period(row[i_time], self.dataset.freq)
        if period is None:
            self.problem(
                line_no,
                i_time + 1,
                _("“%(cell)s” is not a %(kind)s period.")
                % {
                    "cell": row[i_time],
                    "kind": _("yearly") if self.dataset.freq == ANNUAL else _("quarterly"),
                },
            )
            return []
        flags = row[i_flag].strip() if i_flag >= 0 else ""
        if (flag := check_flags(flags)) is not None:
            self.problem(line_no, i_flag + 1, _("Unknown flag “%(flag)s”.") % {"flag": flag})
            return []
        conf = row[i_conf].strip() if i_conf >= 0 else ""
        if conf not in CONF_STATUSES:
            self.problem(
                line_no, i_conf + 1, _("Unknown confidentiality status “%(conf)s”.") % {"conf": conf}
            )
            return []
        raw = row[i_value].strip()
        value: int | None
        if raw in ("", ":"):
            value = None
        elif raw.isdigit():
            value = int(raw)
        elif re.fullmatch(r"\d+\.0+", raw):
            value = int(raw.split(".")[0])
        else:
            self.problem(line_no, i_value + 1, _("“%(cell)s” is not a whole number.") % {"cell": raw})
            return []
        if conf in CONFIDENTIAL and "c" not in flags:
            flags += "c"
        breakdown = ";".join(f"{d}={values.get(d, ABSENT)}" for d, _i in breakdown_dims)
        return [(values["geo"], values["citizen"], breakdown, period[0], value, flags, line_no)]


__all__ = [
    "FORMAT_LABELS",
    "FileRefused",
    "Obs",
    "Problem",
    "QUARTERLY",
    "Reader",
    "Row",
    "SDMX_1",
    "SDMX_2",
    "TSV",
]
