"""The name a file was uploaded under: shown to people, never used to store or type the file.

Django's upload parser already drops directories and unprintable characters from names that
arrive over HTTP; a name that still carries a path, a control character or a text-direction
character (``report\\u202egpj.exe`` shows as ``reportexe.jpg``) was made to deceive, and is
refused, whoever passes it. What is kept is cleaned once more by ``ilonet.shared.text.safe_filename``.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from ..text import UNSAFE, safe_filename
from . import refusals

MAX_NAME_LENGTH = 255


def check_name(name: str | None) -> str:
    """The name to show for an upload, or ``UploadRefused("file_name")``."""
    name = unicodedata.normalize("NFC", name or "")
    if UNSAFE.search(name):
        raise refusals.file_name(
            _(
                "The file name holds control or text-direction characters, which can disguise a "
                "file's type: rename the file and upload it again."
            )
        )
    if "/" in name or "\\" in name or name.strip() in (".", ".."):
        raise refusals.file_name(
            _("The file name holds a path (/, \\ or ..): rename the file and upload it again.")
        )
    if len(name) > MAX_NAME_LENGTH:
        raise refusals.file_name(
            _("The file name is longer than %(limit)d characters.") % {"limit": MAX_NAME_LENGTH}
        )
    return safe_filename(name, fallback="document")
