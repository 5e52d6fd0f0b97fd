"""Checks on uploaded meeting documents: size, and type by content, never by name.

PDF, ODT and DOCX only. python-magic (libmagic) is used when it is installed; the signatures
below decide in every case, so that a ZIP archive or an OpenDocument spreadsheet that libmagic
calls "application/zip" is not taken for a text document, and so that the result does not
depend on which libmagic version the machine has.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: ".pdf", ODT: ".odt", DOCX: ".docx"}
MAX_ENTRIES = 5000  # a document with more ZIP entries than this is refused (zip bombs)


def max_upload_bytes() -> int:
    return int(getattr(settings, "ILONET_BOARD_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str
    size: int
    sha256: str


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                return None
            names = {i.filename for i in infos}
            # OpenDocument: the first entry is "mimetype", stored uncompressed, holding the type.
            if infos and infos[0].filename == "mimetype" and infos[0].file_size < 100:
                if archive.read("mimetype").strip() == ODT.encode():
                    return ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, RuntimeError, ValueError, NotImplementedError, EOFError):
        return None
    return None


def sniff(data: bytes) -> str | None:
    """The content type of a document from its bytes, or None if it is not PDF/ODT/DOCX."""
    try:
        import magic  # python-magic, optional

        reported = magic.from_buffer(data[:8192], mime=True)
    except Exception:  # noqa: BLE001 - not installed, or libmagic missing: signatures decide
        reported = None
    if data.startswith(b"%PDF-"):
        return PDF if reported in (None, PDF) else None
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def check(file) -> Sniffed:
    """Size limit, then type by content. Raises a translated ``ValidationError`` on ``file``."""
    limit = max_upload_bytes()
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, os.SEEK_END)
        size = file.tell()
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}}
        )
    file.seek(0)
    data = file.read(limit + 1)
    file.seek(0)
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError({"file": _("Upload a PDF, ODT or DOCX document (checked by its content).")})
    return Sniffed(
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def display_name(name: str) -> str:
    """The uploaded file's name for display only (never used to store or type the file)."""
    base = os.path.basename(name.replace("\\", "/")).strip() or "document"
    return "".join(ch for ch in base if ch.isprintable())[:200]
