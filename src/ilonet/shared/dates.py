"""Dates for people and plausible dates.

Showing a date: one EU day-month-year style in every language (``ilonet.formats``). Messages,
warnings and document texts call ``long_date`` (``2 December 2025``) or ``long_datetime``
(``2 December 2025, 14:30``); tables and lists of choices ``short_date`` (``02.12.2025``).
Templates use the same through the filters of ``ilonet.shared.date_tags``. Machines (the API,
CSV exports, date inputs) keep ISO 8601.

Plausible dates: each app's services say which dates are impossible (refused, with the reason)
and which are unusual but possible (refused until the person confirms them: a checkbox on the
page, ``confirm_unusual_dates: true`` in the API). ``DateReview`` collects both and raises one
``ValidationError``, so pages and API share the rule and the message.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Regulation (EU) 2019/1240 entered into force on the twentieth day after its publication in the
# Official Journal (OJ L 198 of 25.7.2019), Art. 14: the steering board (Art. 7), the
# facilitators (Art. 5(2)) and the board's programmes and reports (Art. 8(2)) exist from then on.
REGULATION_IN_FORCE = date(2019, 8, 14)
# Its predecessor, Regulation (EC) No 377/2004 (OJ L 64 of 2.3.2004, Art. 9), created the
# network of liaison officers: no deployment of the network is older.
FIRST_ILO_REGULATION_IN_FORCE = date(2004, 3, 22)

CONFIRM_FIELD = "confirm_unusual_dates"


def as_date(value: date | datetime | str | None) -> date | None:
    """A day from a date, a datetime (in the local time zone) or an ISO string (``2025-12-02``,
    as the snapshots of notifications and lists store them); None when it is none of these."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def as_local_datetime(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return timezone.localtime(value) if timezone.is_aware(value) else value


def long_date(value: date | datetime | str) -> str:
    """``2 December 2025`` (``2 december 2025`` in Dutch): running text and messages."""
    day = as_date(value)
    return _long_date(day, get_language()) if day else ""


@lru_cache(maxsize=8192)
def _long_date(day: date, language: str | None) -> str:
    """Formatted once per day and language, as ``_short_date`` (the networks API explains an
    agreement's date for every network agreed on)."""
    return date_format(day, "DATE_FORMAT")


def short_date(value: date | datetime | str) -> str:
    """``02.12.2025``: tables and lists of choices."""
    day = as_date(value)
    return _short_date(day, get_language()) if day else ""


@lru_cache(maxsize=8192)
def _short_date(day: date, language: str | None) -> str:
    """Formatted once per day and language: a table of fifty rows formats a hundred dates,
    mostly the same few (issue 9, rendering cost)."""
    return date_format(day, "SHORT_DATE_FORMAT")


def long_datetime(value: datetime | str) -> str:
    """``2 December 2025, 14:30`` in the platform's time zone."""
    moment = as_local_datetime(value)
    return date_format(moment, "DATETIME_FORMAT") if moment else ""


def short_datetime(value: datetime | str) -> str:
    """``02.12.2025 14:30`` in the platform's time zone."""
    moment = as_local_datetime(value)
    return date_format(moment, "SHORT_DATETIME_FORMAT") if moment else ""


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February; beyond the calendar, its
    last or first day)."""
    year = day.year + years
    if not date.min.year <= year <= date.max.year:
        return date.max if years > 0 else date.min
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


class DateReview:
    """What is wrong with a set of dates: ``refuse`` an impossible one, flag an ``unusual`` one
    (possible, but a typing mistake more often than not). ``check`` raises one ValidationError:
    the refusals if there are any; otherwise the unusual dates, unless they were confirmed, with
    a request to confirm them on ``confirm_unusual_dates``."""

    def __init__(self) -> None:
        self.refused: dict[str, list[str]] = {}
        self.unusual: dict[str, list[str]] = {}

    def refuse(self, field: str, message: str) -> None:
        self.refused.setdefault(field, []).append(message)

    def flag(self, field: str, message: str) -> None:
        self.unusual.setdefault(field, []).append(message)

    def keep(self, **fields: bool) -> None:
        """Drop what was found about the fields given as False (a change that leaves them as
        they were is not asked about them again)."""
        for name, wanted in fields.items():
            if not wanted:
                self.refused.pop(name, None)
                self.unusual.pop(name, None)

    def check(self, *, confirmed: bool = False) -> None:
        if self.refused:
            raise ValidationError(self.refused)
        if self.unusual and not confirmed:
            ask = _("These dates are unusual, for the reasons given. Confirm them if they are right.")
            raise ValidationError({**self.unusual, CONFIRM_FIELD: [ask]})
