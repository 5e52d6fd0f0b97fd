"""Load one Eurostat file: streamed, all or nothing, idempotent, set-based.

- Streamed: the reader yields the figures line by line; they are written in batches of
  ``BATCH`` into a temporary staging table without indexes (one ``executemany`` each), then
  moved into ``EurostatObservation`` by one ``INSERT … SELECT … ON CONFLICT DO UPDATE`` (SQLite
  and PostgreSQL alike), and the indicator figures are recomputed in SQL (``compute``).
- All or nothing: the whole file is one transaction; at the first problem nothing more is
  written, the rest of the file is still read for more problems (up to ``MAX_PROBLEMS``), and
  ``FileRefused`` rolls everything back. A figure found twice in an SDMX-CSV file (same series
  and period) is a problem with both lines.
- Idempotent: a figure is keyed by (table, geo, citizenship, breakdown, period), so loading a
  file again rewrites the same values; the same file (table and SHA-256) is not even read
  twice: the second load answers that it was loaded and changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO, Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction

from .. import compute
from ..models import EurostatLoad, EurostatObservation
from .parse import MAX_PROBLEMS, SDMX_1, SDMX_2, FileRefused, Problem, Reader, Row

BATCH = 20000
STAGE = "indicators_eurostat_stage"
_KEY = ("geo", "citizen", "breakdown", "period")
_STAGED = (*_KEY, "value", "flags", "line")


@dataclass(frozen=True)
class LoadResult:
    load: EurostatLoad
    created: bool  # False: the same file was loaded before, nothing changed


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


# Table and column names below are ours; every value is a parameter.
def _create_stage(cursor: Any) -> None:
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} (geo varchar(12), citizen varchar(16), "
        "breakdown varchar(120), period varchar(7), value bigint, "
        "flags varchar(8), line integer)"
    )
    cursor.execute(f"DELETE FROM {STAGE}")  # noqa: S608


def _stage(cursor: Any, batch: list[Row]) -> None:
    marks = ", ".join(["%s"] * len(_STAGED))
    cursor.executemany(f"INSERT INTO {STAGE} ({', '.join(_STAGED)}) VALUES ({marks})", batch)  # noqa: S608


def _twice(cursor: Any) -> list[Problem]:
    """Figures found twice in the file (same series and period): SDMX-CSV has a line per figure."""
    keys = ", ".join(_KEY)
    cursor.execute(
        f"SELECT {keys}, MIN(line), MAX(line) FROM {STAGE} GROUP BY {keys} "  # noqa: S608
        "HAVING COUNT(*) > 1 ORDER BY MAX(line) LIMIT %s",
        [MAX_PROBLEMS],
    )
    return [
        Problem(
            last,
            1,
            _("The figure of %(series)s for %(period)s appears twice (also on line %(first)d).")
            % {
                "series": ",".join(x for x in (geo, citizen, breakdown) if x),
                "period": period,
                "first": first,
            },
        )
        for geo, citizen, breakdown, period, first, last in cursor.fetchall()
    ]


def _merge(cursor: Any, dataset: str) -> None:
    table = EurostatObservation._meta.db_table
    columns = ", ".join((*_KEY, "value", "flags"))
    # the period is 2023 or 2023-Q1: its year and quarter
    year = "CAST(substr(period, 1, 4) AS integer)"
    quarter = "CASE WHEN length(period) = 7 THEN CAST(substr(period, 7, 1) AS integer) ELSE 0 END"
    cursor.execute(
        f"INSERT INTO {table} (dataset, {columns}, year, quarter) "  # noqa: S608
        f"SELECT %s, {columns}, {year}, {quarter} FROM {STAGE} "
        # WHERE: SQLite's parser needs it before ON CONFLICT in INSERT … SELECT
        "WHERE true ON CONFLICT (dataset, geo, citizen, breakdown, period) "
        "DO UPDATE SET value = excluded.value, flags = excluded.flags",
        [dataset],
    )
    cursor.execute(f"DROP TABLE {STAGE}")


def load_stream(
    stream: IO[bytes],
    *,
    dataset: str | None = None,
    file_name: str = "",
    actor: Any = None,
    actor_label: str = "",
) -> LoadResult:
    """Load a Eurostat file (TSV, SDMX-CSV 1.0 or 2.0); raises ``FileRefused`` with every
    problem found (line and column), having kept nothing. The caller authorised ``actor``."""
    sha = sha256_of(stream)
    if dataset and (earlier := EurostatLoad.objects.filter(dataset=dataset, sha256=sha).first()):
        return LoadResult(earlier, created=False)
    reader = Reader(stream, dataset=dataset)
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        _create_stage(cursor)
        batch: list[Row] = []
        for rows in reader:
            if reader.problems:
                continue  # keep reading for more problems, write nothing more
            batch += rows
            if len(batch) >= BATCH:
                _stage(cursor, batch)
                count += len(batch)
                batch = []
        if not reader.problems and batch:
            _stage(cursor, batch)
            count += len(batch)
        if not reader.problems and reader.format in (SDMX_1, SDMX_2):
            reader.problems += _twice(cursor)
        if reader.problems:
            raise FileRefused(reader.problems)
        assert reader.dataset is not None
        code = reader.dataset.code
        if count == 0:
            raise FileRefused([Problem(reader.lines, 1, _("The file holds no figures."))])
        if not dataset and (earlier := EurostatLoad.objects.filter(dataset=code, sha256=sha).first()):
            transaction.set_rollback(True)  # named by the file itself: same answer as above
            return LoadResult(earlier, created=False)
        _merge(cursor, code)
        load = EurostatLoad.objects.create(
            dataset=code,
            file_format=reader.format,
            file_name=file_name[:255],
            sha256=sha,
            lines=reader.lines,
            observations=count,
            loaded_by=actor if getattr(actor, "pk", None) else None,
        )
        compute.rebuild_eurostat({code})
        audit.record(
            action=AuditAction.INDICATORS_EUROSTAT_LOADED,
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=actor_label,
            obj=load,
            details={"dataset": code, "format": reader.format, "figures": count, "sha256": sha},
        )
    return LoadResult(load, created=True)
