"""Safe file uploads, a building block for every place that takes files (the board's meeting
documents, the information exchange): type by content, refusals with reasons, malware scanning,
private storage with nothing left behind, downloads checked at every request.

See docs/exchange.md, "Files: checks, scanning, storage".
"""

from .download import ZipEntry, download_response, zip_response, zip_stream
from .inspect import Inspected, inspect_upload
from .refusals import STATUS, UploadRefused
from .scan import ClamdScanner, NoScanner, Scanner, get_scanner, scanner_configured
from .storage import NoDirectURL, get_storage, new_key, open_stream
from .store import StoredFile, delete_on_commit, save_checked, stored_upload, sweep_orphans
from .types import (
    ALL_TYPES,
    CSV,
    DOCX,
    EXCHANGE,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    TXT,
    XLSX,
    FileType,
    UploadProfile,
)

__all__ = [
    "ALL_TYPES", "CSV", "DOCX", "EXCHANGE", "JPEG", "ODS", "ODT", "PDF", "PNG", "STATUS", "TXT", "XLSX",
    "ClamdScanner", "FileType", "Inspected", "NoDirectURL", "NoScanner", "Scanner", "StoredFile",
    "UploadProfile", "UploadRefused", "ZipEntry", "delete_on_commit", "download_response",
    "get_scanner", "get_storage", "inspect_upload", "new_key", "open_stream", "save_checked",
    "scanner_configured", "stored_upload", "sweep_orphans", "zip_response", "zip_stream",
]  # fmt: skip
