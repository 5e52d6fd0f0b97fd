"""Plausible dates of the steering board's records (issue 8). The board exists since Regulation
(EU) 2019/1240 entered into force (Art. 7(1), Art. 14): nothing of the board is older. What it
plans (seats, appointments, work programmes, trainings) is at most two years ahead; what it
records as done (agreements, evaluations, reports on past activities) is not in the future.
Each function returns the refusals by field, with the reason, for the services to raise."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet.shared.dates import REGULATION_IN_FORCE, add_years, long_date

AHEAD_YEARS = 2


def board_day_problems(field: str, day: date | None, *, future: bool = True) -> dict[str, str]:
    """A day of the board's records: not before the Regulation; at most two years ahead, or not
    in the future at all when ``future`` is False (something recorded once it happened)."""
    if day is None:
        return {}
    today = timezone.localdate()
    if day < REGULATION_IN_FORCE:
        return {
            field: _(
                "%(day)s is before the steering board existed: Regulation (EU) 2019/1240 entered into "
                "force on %(since)s (Art. 7(1), Art. 14)."
            )
            % {"day": long_date(day), "since": long_date(REGULATION_IN_FORCE)}
        }
    if not future and day > today:
        return {field: _("%(day)s is in the future: record it once it happened.") % {"day": long_date(day)}}
    if day > add_years(today, AHEAD_YEARS):
        return {field: _("%(day)s is more than two years ahead: check the year.") % {"day": long_date(day)}}
    return {}
