"""What the Eurostat upload accepts: CSV or text (TSV), checked and scanned by the shared
pipeline (``ilonet.shared.uploads``), up to ``ILONET_EUROSTAT_MAX_UPLOAD_BYTES`` (500 MB)."""

from ilonet.shared.uploads import CSV, TXT, UploadProfile
from ilonet.shared.uploads.types import MIB

EUROSTAT_FILES = UploadProfile(
    "Eurostat tables",
    (CSV, TXT),
    max_bytes_setting="ILONET_EUROSTAT_MAX_UPLOAD_BYTES",
    default_max_bytes=500 * MIB,
)
