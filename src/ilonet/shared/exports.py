"""CSV exports for every app: streamed row by row (millions of rows need no memory), with
cells that a spreadsheet would run as a formula neutralised (CSV injection: names, titles,
user agents and login names are typed by users, or by attackers)."""

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import StreamingHttpResponse

from .text import attachment

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Phone numbers and signed amounts start with + or - but can hold no formula.
PLAIN_NUMBER = re.compile(r"[+-]?[\d\s().,/]+")


def safe_cell(value: Any) -> Any:
    """Prefix text that starts like a formula with an apostrophe; other values pass as they are."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_response(
    rows: Iterable[Sequence[Any]], *, filename: str, header: Sequence[Any] | None = None
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        if header is not None:
            yield writer.writerow([str(column) for column in header])
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(filename)
    return response


def text_response(chunks: Iterable[str], *, filename: str, content_type: str) -> StreamingHttpResponse:
    """Stream text that is already formatted (CSV or JSON lines written by the database or a
    generator of the caller's), piece by piece: no response waits for the whole export, and no
    proxy times it out while the first bytes keep coming."""
    response = StreamingHttpResponse((chunk.encode() for chunk in chunks if chunk), content_type=content_type)
    response["Content-Disposition"] = attachment(filename)
    response["X-Accel-Buffering"] = "no"  # nginx: pass each piece on as it comes
    return response
