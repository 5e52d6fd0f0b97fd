"""Downloads: streamed from storage by a view, after the caller's policy check, every time.

No stored file has a URL of its own (``storage``): a download is a request to a view, which
asks the access policy at that moment (``check``, supplied by the caller and required), then
streams the file (``download_response``). Several files go out as one ZIP, built while it is
sent (``zip_response``): no file and no archive is ever held in memory or written to disk.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, cast

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from ..text import attachment, safe_filename
from .storage import get_storage, open_stream

CHUNK = 64 * 1024


def _harden(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def download_response(
    *,
    check: Callable[[], object],
    key: str,
    filename: str,
    content_type: str,
    size: int | None = None,
    storage_alias: str = "default",
) -> FileResponse:
    """``check()`` (raising ``PermissionDenied`` or ``Http404``), then the stored file as an
    attachment, streamed. ``filename`` is shown to the user (cleaned here); the stored key is
    never shown."""
    check()
    stream = open_stream(get_storage(storage_alias), key)
    response = FileResponse(
        stream, as_attachment=True, filename=safe_filename(filename), content_type=content_type
    )
    if size is not None:
        response["Content-Length"] = str(size)
    return _harden(response)


@dataclass(frozen=True)
class ZipEntry:
    """One stored file in a streamed ZIP, under the name shown, inside ``folders`` (the path of
    folder names below the ZIP's top). Every folder name and the file name are made safe here
    (no separators, controls, text-direction characters, ``..``), so a path is only ever the
    writer's ``/`` between cleaned names; file names are made unique within their folder."""

    name: str
    key: str
    storage_alias: str = "default"
    modified: datetime | None = None
    folders: tuple[str, ...] = ()


class _Sink:
    """A write-only, unseekable target for ``zipfile``: it then writes data descriptors after
    each entry, so nothing has to be rewritten, and the bytes are handed on as they come."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        return None

    def take(self) -> bytes:
        data, self.parts, self.size = b"".join(self.parts), [], 0
        return data


MAX_ZIP_DEPTH = 16


def _unique(name: str, used: set[str], folders: tuple[str, ...] = ()) -> str:
    """``folder/sub/name.ext``: each part cleaned, the whole path unique in the ZIP."""
    prefix = "".join(safe_filename(part, fallback="folder") + "/" for part in folders[:MAX_ZIP_DEPTH])
    clean = safe_filename(name, fallback="document")
    stem, ext = os.path.splitext(clean)
    candidate, number = clean, 2
    while (prefix + candidate).lower() in used:
        candidate = f"{stem} ({number}){ext}"
        number += 1
    used.add((prefix + candidate).lower())
    return prefix + candidate


def _date_time(moment: datetime | None) -> tuple[int, int, int, int, int, int]:
    moment = timezone.localtime(moment) if moment else timezone.localtime()
    if moment.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def zip_stream(entries: Iterable[ZipEntry]) -> Iterator[bytes]:
    """The ZIP of ``entries``, in pieces of about 64 KiB, read from storage as it is written."""
    sink = _Sink()
    used: set[str] = set()
    with zipfile.ZipFile(
        cast(IO[bytes], sink), mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
    ) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(
                _unique(entry.name, used, entry.folders), date_time=_date_time(entry.modified)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            source = open_stream(get_storage(entry.storage_alias), entry.key)
            try:
                with archive.open(info, mode="w", force_zip64=True) as target:
                    while chunk := source.read(CHUNK):
                        target.write(chunk)
                        if sink.size >= CHUNK:
                            yield sink.take()
            finally:
                source.close()
            yield sink.take()
    yield sink.take()


def zip_response(
    *, check: Callable[[], object], entries: Iterable[ZipEntry], filename: str
) -> StreamingHttpResponse:
    """``check()``, then a ZIP of ``entries`` streamed as an attachment. The caller passes only
    the entries the user may read."""
    check()
    response = StreamingHttpResponse(
        (piece for piece in zip_stream(entries) if piece), content_type="application/zip"
    )
    response["Content-Disposition"] = attachment(filename)
    return _harden(response)
