"""The file types the platform knows, and upload profiles: which of them a place accepts, and
how large a file may be there.

Accepted for the information exchange (Art. 9(1), Art. 9(2)(a), Art. 9(2)(b)): documents (PDF,
DOCX, ODT), spreadsheets and statistics (XLSX, ODS, CSV), plain text, and images (PNG, JPEG)
for the maps and charts of analytical products. Not accepted: legacy Office formats (DOC, XLS:
the containers that carry VBA macros), macro-enabled formats (DOCM, XLSM), presentations,
archives, HTML, SVG (it can hold scripts) and anything else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

MIB = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extension: str
    label: str  # what users call it, in messages ("PDF")


PDF = FileType("pdf", "application/pdf", ".pdf", "PDF")
DOCX = FileType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "DOCX"
)
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "XLSX")
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", ".odt", "ODT")
ODS = FileType("ods", "application/vnd.oasis.opendocument.spreadsheet", ".ods", "ODS")
CSV = FileType("csv", "text/csv", ".csv", "CSV")
TXT = FileType("txt", "text/plain", ".txt", "TXT")
PNG = FileType("png", "image/png", ".png", "PNG")
JPEG = FileType("jpeg", "image/jpeg", ".jpg", "JPEG")

ALL_TYPES = (PDF, DOCX, XLSX, ODT, ODS, CSV, TXT, PNG, JPEG)
BY_CONTENT_TYPE = {t.content_type: t for t in ALL_TYPES}


@dataclass(frozen=True)
class UploadProfile:
    """Where files are uploaded: the types accepted there and the size limit (a setting, read
    when a file arrives, so that it can change without a restart of the profile's module)."""

    name: str
    types: tuple[FileType, ...]
    max_bytes_setting: str = "UPLOAD_MAX_BYTES"
    default_max_bytes: int = 100 * MIB
    max_entries: int = 5000  # files in a ZIP-based document (archive bombs)
    max_pixels: int = 100_000_000  # pixels in an image (decompression bombs)

    def max_bytes(self) -> int:
        return int(getattr(settings, self.max_bytes_setting, self.default_max_bytes))

    def max_unpacked_bytes(self) -> int:
        """Everything a ZIP-based document unpacks to, at most: ten times the size limit, capped
        at 1 GiB (``UPLOAD_MAX_UNPACKED_BYTES`` overrides)."""
        default = min(10 * self.max_bytes(), 1024 * MIB)
        return int(getattr(settings, "UPLOAD_MAX_UNPACKED_BYTES", default))

    def labels(self) -> list[str]:
        return [t.label for t in self.types]

    def accepts(self, file_type: FileType) -> bool:
        return file_type in self.types


EXCHANGE = UploadProfile("exchange", ALL_TYPES)
