"""Load one Eurostat file: streamed, all or nothing, idempotent.

- Streamed: the reader yields figures line by line; they are written in batches of
  ``BATCH`` with one ``INSERT … ON CONFLICT DO UPDATE`` each (SQLite and PostgreSQL alike).
- All or nothing: the whole file is one transaction; at the first problem nothing more is
  written, the rest of the file is still read for more problems (up to ``MAX_PROBLEMS``), and
  ``FileRefused`` rolls everything back.
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
from .parse import FileRefused, Obs, Problem, Reader

BATCH = 5000
_COLUMNS = ("dataset", "geo", "citizen", "breakdown", "period", "year", "quarter", "value", "flags")


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


def _upsert_sql() -> str:
    table = EurostatObservation._meta.db_table
    columns = ", ".join(_COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    # Table and column names are ours; the values are parameters.
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608
        "ON CONFLICT (dataset, geo, citizen, breakdown, period) "
        "DO UPDATE SET value = excluded.value, flags = excluded.flags"
    )


def _write(cursor: Any, sql: str, dataset: str, batch: list[Obs]) -> None:
    cursor.executemany(sql, [(dataset, *obs) for obs in batch])


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
    sql = _upsert_sql()
    count = 0
    with transaction.atomic():
        batch: list[Obs] = []
        with connection.cursor() as cursor:
            for obs in reader:
                if reader.problems:
                    continue  # keep reading for more problems, write nothing more
                batch.append(obs)
                if len(batch) >= BATCH:
                    assert reader.dataset is not None
                    _write(cursor, sql, reader.dataset.code, batch)
                    count += len(batch)
                    batch = []
            if reader.problems:
                raise FileRefused(reader.problems)
            assert reader.dataset is not None
            if batch:
                _write(cursor, sql, reader.dataset.code, batch)
                count += len(batch)
        code = reader.dataset.code
        if count == 0:
            raise FileRefused([Problem(reader.lines, 1, _("The file holds no figures."))])
        if not dataset and (earlier := EurostatLoad.objects.filter(dataset=code, sha256=sha).first()):
            transaction.set_rollback(True)  # named by the file itself: same answer as above
            return LoadResult(earlier, created=False)
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
