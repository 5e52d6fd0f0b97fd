"""Images (PNG, JPEG) and text (TXT, CSV), each read in a stream.

PNG: the chunks are walked to ``IEND``; anything after it is hidden content. JPEG: the file
ends with its end-of-image marker. Both are opened by Pillow, the pixel count is checked before
anything is decoded (decompression bombs), and the image is decoded (JPEG at an eighth of its
size, which still reads every byte of it) or its checksums verified (PNG).

Text: UTF-8 (a byte-order mark is allowed), no NUL bytes. A text whose lines split into the
same number (two or more) of fields on a comma, semicolon or tab is CSV; a CSV cell that a
spreadsheet would run as a formula (``=``, ``@``, or ``+``/``-`` before a function call, a sheet
reference or a DDE command) is refused, the "CSV injection" of spreadsheet programs.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import struct
import warnings
from typing import IO

from django.utils.translation import gettext as _

from . import refusals
from .types import CSV, JPEG, PNG, TXT, FileType, UploadProfile

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
TRAILING_PADDING = b"\x00 \t\r\n"


def _pixels(profile: UploadProfile, width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise refusals.malformed()
    if width * height > profile.max_pixels:
        raise refusals.bomb(
            _("The image has too many pixels (at most %(limit)d million).")
            % {"limit": profile.max_pixels // 1_000_000}
        )


def check_png(fp: IO[bytes], size: int, profile: UploadProfile) -> FileType:
    fp.seek(len(PNG_SIGNATURE))
    position, first = len(PNG_SIGNATURE), True
    while True:
        header = fp.read(8)
        if len(header) < 8:
            raise refusals.malformed(PNG.label)  # no IEND: truncated
        length, kind = struct.unpack(">I4s", header)
        if first:
            if kind != b"IHDR" or length != 13:
                raise refusals.malformed(PNG.label)
            width, height = struct.unpack(">II", fp.read(8))
            _pixels(profile, width, height)
            first = False
        position += 12 + length
        if position > size:
            raise refusals.malformed(PNG.label)
        fp.seek(position)
        if kind == b"IEND":
            break
    if position != size:
        raise refusals.polyglot()  # bytes after the image's end
    _open_image(fp, profile, PNG, verify=True)
    return PNG


def check_jpeg(fp: IO[bytes], size: int, profile: UploadProfile, tail: bytes) -> FileType:
    if not tail.rstrip(TRAILING_PADDING).endswith(b"\xff\xd9"):
        raise refusals.malformed(JPEG.label)
    _open_image(fp, profile, JPEG, verify=False)
    return JPEG


def _open_image(fp: IO[bytes], profile: UploadProfile, file_type: FileType, *, verify: bool) -> None:
    from PIL import Image, UnidentifiedImageError

    fp.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(fp, formats=[file_type.key.upper()]) as image:
                _pixels(profile, *image.size)
                if verify:
                    image.verify()
                else:
                    image.draft("RGB", (max(1, image.size[0] // 8), max(1, image.size[1] // 8)))
                    image.load()
        except refusals.UploadRefused:
            raise
        except Image.DecompressionBombError:
            raise refusals.bomb(_("The image has too many pixels.")) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error, EOFError):
            raise refusals.malformed(file_type.label) from None


# --- text -----------------------------------------------------------------------------------------

NUMBER_LIKE = re.compile(r"[+-][\d\s.,()/%]*")
FORMULA_START = ("=", "@", "+", "-")


def check_text(fp: IO[bytes], size: int, head: bytes, profile: UploadProfile) -> FileType:
    """TXT or CSV; refuses text that is not UTF-8 and CSV with formulas."""
    fp.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := fp.read(1024 * 1024):
            if b"\x00" in chunk:
                raise refusals.text_encoding()
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise refusals.text_encoding() from None
    sample = head[:65536].decode("utf-8-sig", errors="ignore")
    dialect = _csv_dialect(sample)
    file_type = CSV if dialect is not None and profile.accepts(CSV) else TXT
    if not profile.accepts(file_type):
        raise refusals.type_not_accepted(profile.labels())
    if file_type is CSV and dialect is not None:
        _check_formulas(fp, dialect)
    return file_type


def _csv_dialect(sample: str) -> type[csv.Dialect] | None:
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if len(lines) < 2:
        return None
    if len(sample) == 65536:
        lines = lines[:-1]  # the last line of the sample may be cut
    for delimiter in (",", ";", "\t"):

        class Dialect(csv.excel):
            pass

        Dialect.delimiter = delimiter
        try:
            counts = {len(row) for row in csv.reader(lines, Dialect)}
        except csv.Error:
            continue
        if len(counts) == 1 and counts.pop() >= 2:
            return Dialect
    return None


def _is_formula(value: str) -> bool:
    """``=`` and ``@`` always start a formula; ``+`` and ``-`` do when a function call, a
    reference to another sheet or a DDE command follows (``-2+cmd|' /C calc'!A0``), not for a
    number (``-3.5``, ``+31 (0)70 123 4567``) or a bullet (``- item``)."""
    if not value.startswith(FORMULA_START):
        return False
    if value[0] in "=@":
        return True
    return not NUMBER_LIKE.fullmatch(value) and any(mark in value for mark in "(|!")


def _check_formulas(fp: IO[bytes], dialect: type[csv.Dialect]) -> None:
    fp.seek(0)
    text = io.TextIOWrapper(fp, encoding="utf-8-sig", newline="")
    try:
        reader = csv.reader(text, dialect)
        for row in reader:
            for cell in row:
                value = cell.lstrip(" \t\r\n")
                if _is_formula(value):
                    raise refusals.csv_formula(reader.line_num)
    except csv.Error:
        raise refusals.malformed(CSV.label) from None
    finally:
        text.detach()  # leave the upload open for the next step
