"""Checks of a case's fields that writes and imports share (no database writes)."""

from __future__ import annotations

import secrets

from django.utils.translation import gettext as _

from ilonet.directory import selectors as directory


def third_country_problem(code: str) -> str | None:
    """Why ``code`` is not a third country of return the directory knows, or None."""
    code = (code or "").strip().upper()
    if not directory.is_known_country(code):
        return _("Unknown country code: %(code)s.") % {"code": code or "—"}
    if not directory.is_third_country(code):
        return directory.not_third_country_reason(code)
    return None


def new_reference(member_state: str, year: int) -> str:
    return f"{member_state}-{year}-{secrets.token_hex(5).upper()}"
