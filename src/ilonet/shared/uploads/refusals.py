"""Why an upload is refused: one exception with a code, a translated message and an HTTP status.

``UploadRefused`` is a Django ``ValidationError`` on the field ``file`` (forms and services show it
as any other field error), carrying ``code`` and ``status`` so that a view or the API answers
with the right status: 413 for the size, 415 for a type that is not accepted, 503 when the
malware scanner or the file store cannot be reached (or the store is full), 422 for everything
else.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# code -> HTTP status
STATUS = {
    "empty": 422,
    "too_large": 413,
    "file_name": 422,
    "type_not_accepted": 415,
    "executable": 415,
    "macros": 422,
    "active_content": 422,
    "bomb": 422,
    "polyglot": 422,
    "encrypted": 422,
    "malformed": 422,
    "text_encoding": 422,
    "csv_formula": 422,
    "malware": 422,
    "scanner_unavailable": 503,
    "storage_full": 503,
    "storage_unavailable": 503,
}


class UploadRefused(ValidationError):
    """An upload that is not stored, and why. ``code`` is one of ``STATUS``; ``status`` the HTTP
    status to answer with."""

    def __init__(self, code: str, message: str, *, field: str = "file") -> None:
        if code not in STATUS:
            raise ValueError(f"unknown refusal code {code!r}")
        super().__init__({field: [ValidationError(message, code=code)]})
        self.code = code
        self.status = STATUS[code]
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def join_labels(labels: list[str]) -> str:
    """``PDF, ODT or DOCX`` (translated ``or``)."""
    if len(labels) < 2:
        return "".join(labels)
    return _("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


# --- the refusals, one function each, so that every message is written (and translated) once --


def empty() -> UploadRefused:
    return UploadRefused("empty", _("The file is empty."))


def too_large(limit: int) -> UploadRefused:
    return UploadRefused(
        "too_large", _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
    )


def file_name(reason: str) -> UploadRefused:
    return UploadRefused("file_name", reason)


def type_not_accepted(labels: list[str]) -> UploadRefused:
    return UploadRefused(
        "type_not_accepted",
        _("Upload a %(types)s document (checked by its content, not its name).")
        % {"types": join_labels(labels)},
    )


def executable() -> UploadRefused:
    return UploadRefused(
        "executable", _("The file is a program or script, or contains one: programs are never accepted.")
    )


def macros() -> UploadRefused:
    return UploadRefused(
        "macros",
        _(
            "The document contains macros or other active content (or loads a template that may): "
            "save it without macros, as DOCX, XLSX, ODT or ODS, and upload it again."
        ),
    )


def active_content() -> UploadRefused:
    return UploadRefused(
        "active_content",
        _(
            "The PDF contains JavaScript, launch actions, embedded files or interactive forms: "
            "print it to a new PDF and upload that."
        ),
    )


def bomb(what: str) -> UploadRefused:
    return UploadRefused("bomb", what)


def polyglot() -> UploadRefused:
    return UploadRefused(
        "polyglot",
        _(
            "The file is also readable as another type of file (content hidden before or after the "
            "document): save the document again and upload the new file."
        ),
    )


def unsafe_part() -> UploadRefused:
    return UploadRefused(
        "malformed",
        _(
            "The document holds a part with a path outside the document or a link to another "
            "file: save it again and upload the new file."
        ),
    )


def xml_declarations() -> UploadRefused:
    return UploadRefused(
        "malformed",
        _(
            "The document declares XML entities (a DOCTYPE), which office programs never write: "
            "save it again and upload the new file."
        ),
    )


def encrypted() -> UploadRefused:
    return UploadRefused(
        "encrypted",
        _(
            "The file is encrypted or protected by a password: remove the protection and upload it "
            "again, so that it can be checked."
        ),
    )


def malformed(label: str | None = None) -> UploadRefused:
    if label is None:
        return UploadRefused("malformed", _("The file is damaged or incomplete: it cannot be read."))
    return UploadRefused(
        "malformed",
        _("The file is damaged or incomplete: it is not a readable %(type)s.") % {"type": label},
    )


def text_encoding() -> UploadRefused:
    return UploadRefused(
        "text_encoding", _("The text is not in UTF-8 (or holds binary data): save it as UTF-8 text.")
    )


def csv_formula(line: int) -> UploadRefused:
    return UploadRefused(
        "csv_formula",
        _(
            "Line %(line)d of the CSV file holds a cell that a spreadsheet would run as a formula "
            "(it begins with =, +, - or @): remove the formulas or quote the values."
        )
        % {"line": line},
    )


def malware(name: str) -> UploadRefused:
    return UploadRefused(
        "malware", _("The malware scanner found a threat in the file (%(name)s).") % {"name": name}
    )


def scanner_unavailable() -> UploadRefused:
    return UploadRefused(
        "scanner_unavailable",
        _("The malware scanner is unavailable: nothing was stored. Try again later."),
    )


def storage_full() -> UploadRefused:
    return UploadRefused(
        "storage_full",
        _("The file store is full: nothing was stored. Try again later or tell the administrators."),
    )


def storage_unavailable() -> UploadRefused:
    return UploadRefused(
        "storage_unavailable",
        _("The file store is unavailable: nothing was stored. Try again later."),
    )
