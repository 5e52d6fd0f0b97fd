"""What an uploaded file is, from its content, never its name; and whether it may be stored.

``inspect_upload(file, profile=...)`` reads the file in a stream (it may be on disk, as Django's
``TemporaryFileUploadHandler`` leaves large uploads) and returns its type, size and SHA-256, or
raises ``UploadRefused`` with the reason:

* empty, or over the profile's size limit (the limit itself is allowed);
* a name with a path, control or text-direction characters (``names``);
* a program or script: PE, ELF, Mach-O, Java class, WebAssembly, DEX, ``#!`` scripts, and what
  libmagic calls executables, installers or scripts;
* a polyglot: another format's header where readers look for it (``%PDF-`` in the first KiB,
  HTML in the first KiB of a binary format, a ZIP end record at the end of a non-ZIP file, or
  data before or after a ZIP-based document, a PDF or a PNG;
* then by type (``containers``, ``pdfcheck``, ``formats``): malformed, encrypted, macros or
  active content, archive and decompression bombs, text not in UTF-8, CSV formulas;
* a type the profile does not accept.

libmagic (python-magic) names what the project's own signatures do not decide (scripts, HTML
and other text formats); for the accepted types the signatures and structure checks decide,
so that the result does not depend on the libmagic version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from . import refusals
from .containers import CDF_SIGNATURE, check_cdf, check_zip, tail_zip_records
from .formats import JPEG_SIGNATURE, PNG_SIGNATURE, check_jpeg, check_png, check_text
from .names import check_name
from .pdfcheck import check_pdf
from .types import JPEG, PDF, PNG, FileType, UploadProfile

HEAD = 64 * 1024
TAIL = 64 * 1024 + 22  # a ZIP end record and its longest comment
CHUNK = 1024 * 1024

EXECUTABLE_SIGNATURES = (
    b"MZ",  # DOS and Windows PE
    b"\x7fELF",
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal binary, Java class
    b"#!",  # scripts
    b"\x00asm",  # WebAssembly
    b"dex\n",  # Android
)  # fmt: skip
EXECUTABLE_MIME_TYPES = {
    "application/x-dosexec", "application/x-executable", "application/x-sharedlib",
    "application/x-pie-executable", "application/x-mach-binary", "application/x-elf",
    "application/x-object", "application/x-msdownload", "application/x-msi",
    "application/vnd.microsoft.portable-executable", "application/java-archive",
    "application/x-java-applet", "application/wasm", "application/x-bytecode.python",
    "text/x-shellscript", "text/x-msdos-batch", "text/x-python", "text/x-script.python",
    "text/x-perl", "text/x-php", "text/x-ruby", "text/x-lua", "text/x-tcl", "text/x-awk",
    "application/javascript", "text/javascript", "application/x-powershell",
}  # fmt: skip
# Text that is not plain text: shown by a browser or run by a program if opened.
NOT_PLAIN_TEXT = {
    "text/html", "text/xml", "application/xml", "image/svg+xml", "text/rtf", "application/rtf",
    "application/json", "text/x-tex", "message/rfc822", "text/calendar", "text/vcard",
}  # fmt: skip
HTML_MARKERS = (
    b"<html", b"<script", b"<!doctype html", b"<body", b"<iframe", b"<svg", b"<?php", b"<object",
    b"<embed",
)  # fmt: skip


@dataclass(frozen=True)
class Inspected:
    """An accepted upload: its type (from the content), size, SHA-256 and the name to show."""

    file_type: FileType
    size: int
    sha256: str
    name: str

    @property
    def content_type(self) -> str:
        return self.file_type.content_type

    @property
    def extension(self) -> str:
        return self.file_type.extension


def libmagic_type(head: bytes) -> str | None:
    """libmagic's MIME type for the first bytes, or None if libmagic cannot say."""
    try:
        import magic

        return magic.from_buffer(head, mime=True)
    except Exception:  # noqa: BLE001 - a libmagic failure leaves the project's signatures to decide
        return None


def _measure(fp: IO[bytes], limit: int) -> tuple[int, str]:
    """Size (up to just past ``limit``) and SHA-256, read in a stream into one reused buffer (no
    new megabyte of memory for each chunk)."""
    fp.seek(0)
    digest, size = hashlib.sha256(), 0
    readinto = getattr(fp, "readinto", None)
    if readinto is None:
        while chunk := fp.read(CHUNK):
            size += len(chunk)
            if size > limit:
                break
            digest.update(chunk)
        return size, digest.hexdigest()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    while count := readinto(buffer):
        size += count
        if size > limit:
            break
        digest.update(view[:count])
    return size, digest.hexdigest()


def inspect_upload(file: IO[bytes], *, profile: UploadProfile, name: str | None = None) -> Inspected:
    """Check an upload against ``profile``; ``name`` defaults to the file's own name."""
    shown = check_name(name if name is not None else getattr(file, "name", "") or "")
    limit = profile.max_bytes()
    declared = getattr(file, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise refusals.too_large(limit)
    size, sha256 = _measure(file, limit)
    if size == 0:
        raise refusals.empty()
    if size > limit:
        raise refusals.too_large(limit)
    file.seek(0)
    head = file.read(HEAD)
    tail_offset = max(0, size - TAIL)
    file.seek(tail_offset)
    tail = file.read(TAIL)
    file_type = identify(file, size, head, tail, tail_offset, profile)
    file.seek(0)
    return Inspected(file_type=file_type, size=size, sha256=sha256, name=shown)


def _refuse_unless_accepted(profile: UploadProfile, file_type: FileType) -> None:
    if not profile.accepts(file_type):
        raise refusals.type_not_accepted(profile.labels())


def _no_markup(head: bytes) -> None:
    """No HTML, SVG or PHP in the first KiB of a binary format: browsers and servers sniff
    there."""
    start = head[:1024].lower()
    if any(marker in start for marker in HTML_MARKERS):
        raise refusals.polyglot()


def identify(
    fp: IO[bytes], size: int, head: bytes, tail: bytes, tail_offset: int, profile: UploadProfile
) -> FileType:
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise refusals.executable()
    mime = libmagic_type(head)
    if mime in EXECUTABLE_MIME_TYPES:
        raise refusals.executable()
    if head.startswith(b"PK\x03\x04"):
        _no_markup(head)
        if b"%PDF-" in head[:1024]:
            raise refusals.polyglot()
        return check_zip(fp, size, profile, tail, tail_offset)
    if tail_zip_records(tail, tail_offset, size):  # a ZIP reader would open this file
        raise refusals.polyglot()
    if head.startswith(b"%PDF-"):
        _no_markup(head)
        _refuse_unless_accepted(profile, PDF)
        check_pdf(fp, size, tail)
        return PDF
    if b"%PDF-" in head[:1024]:  # PDF readers find a header anywhere in the first KiB
        raise refusals.polyglot()
    if head.startswith(CDF_SIGNATURE):
        return check_cdf(fp, size, profile)
    if head.startswith(PNG_SIGNATURE):
        _no_markup(head)
        _refuse_unless_accepted(profile, PNG)
        return check_png(fp, size, profile)
    if head.startswith(JPEG_SIGNATURE):
        _no_markup(head)
        _refuse_unless_accepted(profile, JPEG)
        return check_jpeg(fp, size, profile, tail)
    if mime is not None and (mime.startswith("text/") or mime in ("application/csv",)):
        if mime in NOT_PLAIN_TEXT:
            raise refusals.type_not_accepted(profile.labels())
        return check_text(fp, size, head, profile)
    raise refusals.type_not_accepted(profile.labels())
