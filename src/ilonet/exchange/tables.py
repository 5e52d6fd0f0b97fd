"""Statistics uploads (CSV, XLSX, Art. 9(1)) shown as tables on the document's page: the first
rows of each sheet, read from the stored file as a stream, bounded."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ilonet.shared.uploads import CSV, XLSX, get_storage, open_stream

MAX_ROWS = 200
MAX_COLUMNS = 30
MAX_CELL = 200
MAX_CSV_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Table:
    name: str
    header: list[str]
    rows: list[list[str]]
    truncated: bool


def _cell(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return str(value)[:MAX_CELL]


def _table(name: str, rows_iter) -> Table:
    rows: list[list[str]] = []
    truncated = False
    for index, row in enumerate(rows_iter):
        if index > MAX_ROWS:
            truncated = True
            break
        rows.append([_cell(value) for value in list(row)[:MAX_COLUMNS]])
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    width = max([len(header), *(len(r) for r in body)])
    header += [""] * (width - len(header))
    body = [r + [""] * (width - len(r)) for r in body]
    return Table(name, header, body, truncated)


def is_table(content_type: str) -> bool:
    return content_type in (CSV.content_type, XLSX.content_type)


def tables_of(*, key: str, content_type: str) -> list[Table]:
    """The tables of a stored CSV or XLSX file ([] for other types)."""
    if not is_table(content_type):
        return []
    stream = open_stream(get_storage(), key)
    try:
        if content_type == CSV.content_type:
            text = stream.read(MAX_CSV_BYTES).decode("utf-8-sig", errors="replace")
            try:
                dialect: type[csv.Dialect] = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            return [_table("", csv.reader(io.StringIO(text, newline=""), dialect))]
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(stream.read()), read_only=True, data_only=True)
        try:
            return [
                _table(sheet.title, sheet.iter_rows(values_only=True))
                for sheet in workbook.worksheets
                if sheet.sheet_state == "visible"
            ]
        finally:
            workbook.close()
    finally:
        stream.close()
