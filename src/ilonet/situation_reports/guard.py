"""The personal-data guard on every free-text field of a situation report (Art. 3(4): the
information collected holds no personal data; Art. 9(3): nor does the platform). A field with
findings refuses the save with the guard's translated report: the field, the line, the kind
and a masked value, never the value itself. Nothing is stored."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ilonet.shared.personal_data_guard import ExtractionError, GuardReport, scan_text


def check(fields: Iterable[tuple[str, str, str]]) -> dict[str, GuardReport]:
    """``fields``: (form field name, label shown in the report, text). Raises a
    ``ValidationError`` keyed by field name when the guard finds personal data; returns the
    (clean) reports otherwise."""
    errors: dict[str, list[str]] = {}
    reports: dict[str, GuardReport] = {}
    for name, label, text in fields:
        if not (text or "").strip():
            continue
        try:
            report = scan_text(text, label)
        except ExtractionError as error:
            errors[name] = [str(error.message)]
            continue
        reports[name] = report
        if not report.clean:
            errors[name] = [
                _(
                    "Not saved: a situation report holds no personal data (Art. 3(4), Art. 9(3)). "
                    "Rewrite without it:"
                ),
                *report.lines(),
            ]
    if errors:
        raise PersonalDataFound(errors, reports)
    return reports


class PersonalDataFound(ValidationError):
    """The guard's refusal: a ``ValidationError`` (422 in the API, errors on the form) that
    also keeps the guard's reports for the audit trail (counts, never values)."""

    def __init__(self, errors: dict[str, list[str]], reports: dict[str, GuardReport]):
        super().__init__(errors)
        self.reports = reports

    def counts(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for report in self.reports.values():
            for kind, count in report.counts().items():
                total[kind] = total.get(kind, 0) + count
        return total
