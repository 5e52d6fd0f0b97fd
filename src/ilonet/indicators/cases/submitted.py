"""Aggregates submitted by member states that keep their own return case systems (RS, closing
list of indicators), through the API (rows) or a CSV file (``third_country,period,measure,value``).

Rules (docs/indicators.md):
- one row per third country of return, quarter (``2024-Q1``) and measure (``SUBMITTABLE``), a
  whole number from 0; every problem is named with its row (the file's line) and column, and
  nothing is kept when there is one;
- idempotent: a row equal to the stored one changes nothing; the same submission twice writes
  nothing and no audit event;
- a quarter for which the member state has case data is refused: case data take precedence, and
  should case data arrive later for a submitted quarter, the figures use the case data and keep
  the submitted rows aside (``fold.figures_for``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.directory import selectors as directory

from ..eurostat.datasets import MEMBER_STATES, iso_country
from ..models import CaseCount, SubmittedCount
from ..periods import parse
from . import fold
from .definitions import SUBMITTABLE

A = policy.Action
COLUMNS = ("third_country", "period", "measure", "value")
MAX_ROWS = 20000
MAX_PROBLEMS = 20


@dataclass
class Submission:
    rows: int
    changed: int


def _problem(row: int, column: str, message: str, *, in_file: bool = False) -> str:
    where = {"row": row, "column": column, "message": message}
    if in_file:
        return _("Line %(row)s, column %(column)s: %(message)s") % where
    return _("Row %(row)s, column %(column)s: %(message)s") % where


def _clean(
    geo: str, rows: list[tuple[int, dict[str, Any]]], *, in_file: bool
) -> tuple[dict[tuple[str, int, int, str], int], list[str]]:
    problems: list[str] = []

    def problem(row: int, column: str, message: str) -> str:
        return _problem(row, column, message, in_file=in_file)

    cleaned: dict[tuple[str, int, int, str], int] = {}
    case_quarters = set(
        CaseCount.objects.filter(geo=geo, measure="active_cases").values_list("year", "quarter").distinct()
    )
    for number, row in rows:
        tc = str(row.get("third_country") or "").strip().upper()
        period = parse(str(row.get("period") or ""))
        measure = str(row.get("measure") or "").strip()
        raw = row.get("value")
        if not directory.is_known_country(tc) or not directory.is_third_country(tc):
            problems.append(
                problem(number, "third_country", _("%(code)s is not a third country.") % {"code": tc})
            )
        if period is None or period[1] == 0:
            problems.append(problem(number, "period", _("Give a quarter as YYYY-Qn, e.g. 2024-Q1.")))
        elif period in case_quarters:
            problems.append(
                problem(
                    number, "period",
                    _("Your member state has case data for %(period)s: case data take precedence, "
                      "a submitted figure is refused.") % {"period": row.get("period")},
                )
            )  # fmt: skip
        if measure not in SUBMITTABLE:
            problems.append(
                problem(number, "measure", _("Give one of: %(names)s.") % {"names": ", ".join(SUBMITTABLE)})
            )
        try:
            value = int(str(raw).strip()) if not isinstance(raw, bool) else -1
        except ValueError:
            value = -1
        if value < 0:
            problems.append(problem(number, "value", _("Give a whole number from 0.")))
        if period and measure in SUBMITTABLE and value >= 0:
            key = (tc, period[0], period[1], measure)
            if key in cleaned:
                problems.append(problem(number, "period", _("This figure is given twice.")))
            cleaned[key] = value
        if len(problems) >= MAX_PROBLEMS:
            break
    return cleaned, problems


def submit(*, actor: Any, member_state: str, rows: list[dict[str, Any]], file_name: str = "") -> Submission:
    """Store a member state's submitted counts, all or nothing (see the module's rules)."""
    return _store(actor, member_state, list(enumerate(rows, start=1)), file_name=file_name, in_file=False)


def _store(
    actor: Any, member_state: str, rows: list[tuple[int, dict[str, Any]]], *, file_name: str, in_file: bool
) -> Submission:
    member_state = member_state.upper()
    if member_state not in {iso_country(g) for g in MEMBER_STATES}:
        raise ValidationError(
            {"member_state": _("%(code)s is not an EU member state.") % {"code": member_state}}
        )
    policy.authorize(actor, A.SUBMIT_RETURN_AGGREGATES, member_state)
    if not rows:
        raise ValidationError({"rows": _("The submission has no figures.")})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"rows": _("At most %(n)s figures at once.") % {"n": MAX_ROWS}})
    geo = fold.geo_of(member_state)
    with transaction.atomic():
        cleaned, problems = _clean(geo, rows, in_file=in_file)
        if problems:
            raise ValidationError({"file" if in_file else "rows": problems})
        stored = {
            (c, y, q, m): v
            for c, y, q, m, v in SubmittedCount.objects.filter(geo=geo).values_list(
                "citizen", "year", "quarter", "measure", "value"
            )
        }
        changed = {key: value for key, value in cleaned.items() if stored.get(key) != value}
        for (c, y, q, m), value in changed.items():
            SubmittedCount.objects.update_or_create(
                geo=geo, citizen=c, year=y, quarter=q, measure=m,
                defaults={"value": value, "submitted_by": actor},
            )  # fmt: skip
        if changed:
            fold.refresh({(geo, y) for (_c, y, _q, _m) in changed})
            audit.record(
                action=AuditAction.INDICATORS_AGGREGATES_SUBMITTED,
                actor=actor,
                details={
                    "member_state": member_state,
                    "rows": len(cleaned),
                    "changed": len(changed),
                    "file": file_name,
                },
            )
    return Submission(rows=len(cleaned), changed=len(changed))


def submit_file(*, actor: Any, member_state: str, stream: IO[bytes], file_name: str = "") -> Submission:
    """The same from a CSV file with the header ``third_country,period,measure,value``; rows are
    numbered by their line in the file."""
    try:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        header = [h.strip() for h in next(reader, [])]
        if tuple(header) != COLUMNS:
            raise ValidationError(
                {"file": _("Line 1: the header must be %(expected)s, found %(found)s.")
                 % {"expected": ",".join(COLUMNS), "found": ",".join(header) or _("nothing")}}
            )  # fmt: skip
        rows: list[tuple[int, dict[str, Any]]] = []
        for line in reader:
            if len(line) != len(COLUMNS):
                raise ValidationError(
                    {
                        "file": _("Line %(line)s: %(n)s columns, expected 4.")
                        % {"line": reader.line_num, "n": len(line)}
                    }
                )
            rows.append((reader.line_num, dict(zip(COLUMNS, line, strict=True))))
    except UnicodeDecodeError:
        raise ValidationError({"file": _("The file is not UTF-8 text.")}) from None
    return _store(actor, member_state, rows, file_name=file_name, in_file=True)
