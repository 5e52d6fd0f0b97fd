"""Periodic jobs of return cases (RS 2(a), RS 2(c)), on the jobs clock.

- ``hand_over_expired_departures`` (every 5 minutes): a voluntary departure period that expired
  without departure hands the case over to enforced return at once (RS 2(a)).
- ``remind_detention_reviews`` (daily 06:30): detention re-assessments due soon are reminded to
  the member state's return officers (no personal data in the notice).
- ``erase_expired_return_cases`` (daily 01:45): crypto-shredding of closed cases past their
  retention.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilonet.jobs import clock
from ilonet.jobs.registry import job
from ilonet.jobs.schedules import Daily, Every

from .services import cases, reminders, timeline


def _today():
    return timezone.localdate(clock.now())


@job(
    schedule=Every(minutes=5),
    label=_("Hand expired voluntary departures over to enforced return"),
    atomic=False,
)
def hand_over_expired_departures(**_scheduled: Any) -> dict[str, Any]:
    return {"handed_over": timeline.hand_over_expired_departures(today=_today())}


@job(schedule=Daily(time(6, 30)), label=_("Remind detention reviews before they fall due"), atomic=False)
def remind_detention_reviews(**_scheduled: Any) -> dict[str, Any]:
    return {"reminded": reminders.remind_detention_reviews(today=_today())}


@job(
    schedule=Daily(time(1, 45)),
    label=_("Erase closed return cases past their retention"),
    timeout=3600,
    atomic=False,
)
def erase_expired_return_cases(**_scheduled: Any) -> dict[str, Any]:
    return {"erased": cases.erase_due_cases(today=_today())}
