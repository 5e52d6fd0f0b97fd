"""What the board accepts as a meeting document (Art. 9(2)(a), Art. 9(2)(e)): PDF, ODT or DOCX,
recognised by content, up to ``ILONET_BOARD_MAX_UPLOAD_BYTES`` (20 MB by default). Every check,
the malware scan and the storage are the shared pipeline's (``ilonet.shared.uploads``)."""

from ilonet.shared.uploads import DOCX, ODT, PDF, UploadProfile
from ilonet.shared.uploads.types import MIB

MEETING_DOCUMENTS = UploadProfile(
    "board meeting documents",
    (PDF, ODT, DOCX),
    max_bytes_setting="ILONET_BOARD_MAX_UPLOAD_BYTES",
    default_max_bytes=20 * MIB,
)


def document_prefix(meeting_id: int) -> str:
    """Where a meeting's documents are stored (random names below it)."""
    return f"board/meetings/{meeting_id}"
