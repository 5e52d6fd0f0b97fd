"""Plausible deployment dates. A deploying authority notifies plans and actual deployments with
their duration (Art. 4(1)); the registry feeds the board's overview (Art. 4(1), second
subparagraph), the gap analysis (Art. 8(2)(e)) and the list of deployed officers
(Art. 8(2)(d)), so a date typed wrong misleads all of them. What cannot be is refused with the
reason; what is unusual but possible (a deployment under the previous regulation, a long one) is accepted once
the authority confirms it (``confirm_unusual_dates``: a checkbox on the page, a field of the
API). The services call these checks, so pages and API share them (``shared.dates.DateReview``).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ilonet.shared.dates import (
    FIRST_ILO_REGULATION_IN_FORCE,
    REGULATION_IN_FORCE,
    DateReview,
    add_years,
    long_date,
)

# An actual start this much earlier than the planned start notified is unusual (confirm) ...
EARLY_START_TOLERANCE = timedelta(days=30)
# ... and this much earlier is not the start of that plan at all (refused).
EARLY_START_LIMIT = timedelta(days=365)
# A plan starting this many years ahead is unusual; this many is a typing mistake.
PLAN_AHEAD_UNUSUAL_YEARS, PLAN_AHEAD_LIMIT_YEARS = 2, 10
# A deployment planned to last this many years is unusual; this many is a typing mistake.
DURATION_UNUSUAL_YEARS, DURATION_LIMIT_YEARS = 6, 15


def review_period(review: DateReview, *, start: date, planned_end: date, today: date) -> None:
    """The start and planned end of a plan or of an actual deployment (whose start is not in
    the future: checked with the other fields)."""
    if start < FIRST_ILO_REGULATION_IN_FORCE:
        review.refuse(
            "start_date",
            _(
                "%(day)s is before the network of liaison officers existed (Regulation (EC) No 377/2004, "
                "in force since %(since)s): check the year."
            )
            % {"day": long_date(start), "since": long_date(FIRST_ILO_REGULATION_IN_FORCE)},
        )
        return
    if start < REGULATION_IN_FORCE:
        review.flag(
            "start_date",
            _(
                "%(day)s is before Regulation (EU) 2019/1240 entered into force on %(since)s (Art. 14): "
                "a deployment under the previous regulation."
            )
            % {"day": long_date(start), "since": long_date(REGULATION_IN_FORCE)},
        )
    if start > add_years(today, PLAN_AHEAD_LIMIT_YEARS):
        review.refuse(
            "start_date",
            _("A plan starts at most ten years ahead, not on %(day)s: check the year.")
            % {"day": long_date(start)},
        )
    elif start > add_years(today, PLAN_AHEAD_UNUSUAL_YEARS):
        review.flag(
            "start_date",
            _("The planned start, %(day)s, is more than two years ahead.") % {"day": long_date(start)},
        )
    if planned_end > add_years(start, DURATION_LIMIT_YEARS):
        review.refuse(
            "planned_end_date",
            _("A deployment lasts at most fifteen years, not until %(day)s: check the year.")
            % {"day": long_date(planned_end)},
        )
    elif planned_end > add_years(start, DURATION_UNUSUAL_YEARS):
        review.flag(
            "planned_end_date",
            _("The planned end, %(day)s, is more than six years after the start.")
            % {"day": long_date(planned_end)},
        )


def review_actual_start(review: DateReview, *, actual: date, planned: date) -> None:
    """A planned deployment starts (Art. 4(1)): its actual start against the planned start that
    was notified. Starting later is common; starting much earlier is not."""
    early = planned - actual
    if early > EARLY_START_LIMIT:
        review.refuse(
            "start_date",
            _(
                "The actual start, %(actual)s, is more than a year before the planned start notified, "
                "%(planned)s: it is not the start of this plan. Cancel the plan and notify the actual "
                "deployment with its own dates (Art. 4(1))."
            )
            % {"actual": long_date(actual), "planned": long_date(planned)},
        )
    elif early > EARLY_START_TOLERANCE:
        review.flag(
            "start_date",
            ngettext(
                "The actual start, %(actual)s, is %(days)d day before the planned start notified, "
                "%(planned)s.",
                "The actual start, %(actual)s, is %(days)d days before the planned start notified, "
                "%(planned)s.",
                early.days,
            )
            % {"actual": long_date(actual), "planned": long_date(planned), "days": early.days},
        )
