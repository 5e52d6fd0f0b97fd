"""Why an import refused a row: a stable **code** and its **parameters**, stored with the row's
line (``ImportRowError``) and rendered in the reader's language when a page or the API shows
it. The code is the API's stable key (``code``); the words (``reason``) follow the language.

Parameters are plain values (a column's name, a date, a line number, a country code). Two
kinds of reason come from the core's own rules, whose words are made where the rule is checked:
a refused event (the case's state machine: ``returns.machine.Refusal``) and an event's fields
(``returns.events.clean_fields``). Their message is kept in each language of the platform
(``settings.LANGUAGES``, made while the row is refused: refused rows are few), beside the
rule's stable key; the page shows the reader's.

No parameter holds personal data: a refused row is reported by its line, its external id and
the column at fault, never by the names it carries (a refused value is kept only where it is a
code, a date or a kind, cut to 40 characters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

# code -> the words, with the parameters' names (every code the import gives; a test checks
# that each renders in English and Dutch)
MESSAGES: dict[str, Any] = {
    "missing": _("%(field)s: missing"),
    "not_text": _("%(field)s: must be text"),
    "too_long": _("%(field)s: longer than %(limit)s characters or not one line"),
    "not_a_date": _("%(field)s: not a date as YYYY-MM-DD (%(value)s)"),
    "future_date": _("%(field)s: in the future (%(date)s)"),
    "unknown_country": _("%(field)s: unknown country code %(code)s (ISO 3166-1 alpha-2)"),
    "not_third_country": _("%(field)s: %(why)s"),
    "bad_external_id": _("%(field)s: letters, digits and . _ : / - only, at most 64"),
    "other_member_state": _("member_state: %(state)s in an import for %(import_state)s"),
    "bad_case_type": _("case_type: %(value)s is not one of %(allowed)s"),
    "kind_not_importable": _("kind: %(kind)s is not an importable event kind"),
    "fields_not_object": _("fields: not a JSON object"),
    "bad_fields": _("fields of %(kind)s: %(detail)s"),
    "bad_record": _("record: must be 'case' or 'event'"),
    "not_json": _("not valid JSON: %(detail)s"),
    "not_an_object": _("a line must be one JSON object"),
    "unknown_fields": _("unknown fields: %(names)s"),
    "not_csv": _("not valid CSV: %(detail)s"),
    "cell_count": _("%(cells)s cells where the header has %(width)s"),
    "duplicate_in_file": _("duplicate row: external id %(external_id)s already on line %(line)s"),
    "duplicate_in_run": _("duplicate row: external id %(external_id)s already imported from line %(line)s"),
    "id_used_by_event": _("external id %(external_id)s is already used by an event"),
    "id_used_by_case": _("external id %(external_id)s is already used by a case"),
    "reference_too_long": _("external_id: at most %(limit)s characters for a case"),
    "no_such_case": _("case_external_id: no case %(case)s of %(member_state)s"),
    "case_later_in_file": _("the case %(case)s comes later in the file"),
    "no_superseded_event": _("supersedes: no earlier event %(supersedes)s on this case"),
    "before_last_event": _("occurred_on: %(date)s is before the case's last event (%(last)s)"),
    "rule_refused": _("refused by rule %(rule)s: %(detail)s"),
}
# Codes whose ``detail`` is the core's message kept in each language ({"en": ..., "nl": ...}).
MULTILINGUAL = frozenset({"bad_fields", "rule_refused"})
UNKNOWN = gettext_lazy("refused (reason %(code)s)")
VALUE_LIMIT = 40


class Refused(ValueError):
    """A row refused with ``code`` and its ``params`` (``external_id``: the row's, when known)."""

    def __init__(self, code: str, params: Mapping[str, Any] | None = None, external_id: str = "") -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown refusal code {code!r}")
        self.code, self.params, self.external_id = code, dict(params or {}), str(external_id)[:64]
        super().__init__(render(self.code, self.params, language="en"))

    @property
    def reason(self) -> str:
        """The words in the active language (what a log line or an exception shows)."""
        return render(self.code, self.params)


def value(text: Any) -> str:
    """A refused value as a parameter: a short quoted excerpt, never a whole cell."""
    return repr(str(text)[:VALUE_LIMIT])


def in_each_language(make: Callable[[], Any]) -> dict[str, str]:
    """``make()``'s words in each language of the platform (the core's message of a rule)."""
    out = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out[code] = str(make())
    return out


def _detail(detail: Any) -> str:
    if isinstance(detail, Mapping):
        language = translation.get_language() or settings.LANGUAGE_CODE
        for candidate in (language, language.split("-")[0], settings.LANGUAGE_CODE, "en"):
            if candidate in detail:
                return str(detail[candidate])
        return str(next(iter(detail.values()), ""))
    return str(detail)


def render(code: str, params: Mapping[str, Any] | None, *, language: str | None = None) -> str:
    """The reason in words: in ``language``, else the active language."""
    if language is not None:
        with translation.override(language):
            return render(code, params)
    params = dict(params or {})
    if code == "text":  # rows refused before reasons had codes: the words as they were stored
        return str(params.get("text", ""))
    message = MESSAGES.get(code)
    if message is None:
        return str(UNKNOWN) % {"code": code}
    if code in MULTILINGUAL:
        params["detail"] = _detail(params.get("detail", ""))
    if code == "not_third_country":
        from ilonet.directory import selectors as directory

        params["why"] = directory.not_third_country_reason(str(params.get("code", "")))
    try:
        return str(message) % params
    except (KeyError, TypeError, ValueError):
        return str(UNKNOWN) % {"code": code}
