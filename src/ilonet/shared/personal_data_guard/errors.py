"""Why a document could not be checked. The guard fails closed: a document it cannot read
through is refused, since nothing unread can be vouched for (Art. 9(3))."""

from __future__ import annotations

from django.utils.translation import gettext


class ExtractionError(Exception):
    """A document whose text cannot be read in full: the upload is refused with ``message``."""

    code = "unreadable"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail  # for logs; may name a library's error, never document content

    @property
    def message(self) -> str:
        return gettext("The document could not be read, so it could not be checked for personal data.")


class CorruptDocument(ExtractionError):
    code = "corrupt"

    @property
    def message(self) -> str:
        return gettext(
            "The file is damaged or is not the kind of document it claims to be; it could not be "
            "checked for personal data. Save it again from its program and upload it again."
        )


class EncryptedDocument(ExtractionError):
    code = "encrypted"

    @property
    def message(self) -> str:
        return gettext(
            "The document is protected by a password, so it could not be checked for personal "
            "data. Remove the password and upload it again."
        )


class EmptyDocument(ExtractionError):
    code = "empty"

    @property
    def message(self) -> str:
        return gettext("The file is empty.")


class UnsupportedType(ExtractionError):
    code = "unsupported"

    @property
    def message(self) -> str:
        return gettext(
            "This kind of file cannot be checked for personal data. Upload a PDF, DOCX, XLSX, ODT, "
            "CSV or plain text file."
        )


class LimitExceeded(ExtractionError):
    code = "too_large"

    @property
    def message(self) -> str:
        return gettext(
            "The document is too large to be checked for personal data (too many pages, rows or "
            "characters, or it took too long). Split it into smaller documents."
        )


class NoReadableText(ExtractionError):
    code = "no_text"

    @property
    def message(self) -> str:
        return gettext(
            "No text could be read from the document (a scan or an image?), so it could not be "
            "checked for personal data. Upload a version with its text (for example the original "
            "file, or a PDF with recognised text)."
        )
