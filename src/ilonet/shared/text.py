"""One cleaner for single-line text (titles, names, places, file names).

Input is refused, not silently changed: a line break lets a value forge a second line (in a
header, a CSV row, a log), and the Unicode bidirectional controls make ``report\\u202egpj.exe.pdf``
display as ``reportfdp.exe.jpg``. Download file names, which we build ourselves from stored
titles, are sanitised instead (``safe_filename``).
"""

import re
import unicodedata
from typing import Annotated, Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import AfterValidator

# C0 and C1 controls (tab, CR, LF included), DEL, the bidirectional embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069), the direction marks and the Unicode line separators.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def single_line_problem(value: str) -> str | None:
    """Why ``value`` is not acceptable single-line text, or None."""
    if UNSAFE.search(value or ""):
        return _(
            "Use one line of plain text: line breaks, tabs, control characters and text-direction "
            "characters are not allowed."
        )
    return None


def validate_single_line(value: str) -> None:
    """Django validator (forms and model fields)."""
    problem = single_line_problem(value)
    if problem:
        raise ValidationError(problem, code="single_line")


def _pydantic_single_line(value: str) -> str:
    problem = single_line_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# For API schemas: ``name: SingleLine = Field(..., max_length=200)``.
SingleLine = Annotated[str, AfterValidator(_pydantic_single_line)]


def safe_filename(name: str, *, fallback: str = "download") -> str:
    """A file name fit for a Content-Disposition header: no controls, no bidirectional
    characters, no path separators or quotes."""
    cleaned = UNSAFE.sub("", unicodedata.normalize("NFC", name or ""))
    cleaned = re.sub(r'[\\/"<>:|?*;]', "_", cleaned).strip(" .")
    return cleaned[:150] or fallback


def attachment(name: str) -> str:
    """``attachment; filename=…`` with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    clean = safe_filename(name)
    ascii_name = clean.encode("ascii", "ignore").decode() or "download"
    if ascii_name == clean:
        return f'attachment; filename="{clean}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(clean)}"


def single_line_field_errors(obj: Any) -> dict[str, str]:
    """The one-line text fields of a model instance (``CharField``, not ``TextField``) that
    hold line breaks, control or text-direction characters, with the reason: a title shown in a
    list or used as a file name must read as it is stored."""
    errors: dict[str, str] = {}
    for field in obj._meta.concrete_fields:
        if type(field).__name__ != "CharField" or field.choices:
            continue
        value = getattr(obj, field.attname, None)
        problem = single_line_problem(value) if isinstance(value, str) else None
        if problem:
            errors[field.name] = problem
    return errors
