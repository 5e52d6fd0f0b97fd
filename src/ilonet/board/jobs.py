"""The steering board's periodic jobs (``ilonet.jobs``): written procedures close at their
deadline without anyone opening a page (Art. 7(8)), and the chair is reminded of what is due
(Art. 7(7), Art. 8(1), Art. 8(2)(d))."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilonet.jobs import clock
from ilonet.jobs.registry import job
from ilonet.jobs.schedules import Daily, Every

from . import erasure, services


@job(schedule=Every(minutes=1), label=_("Close written procedures at their deadline"), timeout=300)
def close_written_procedures() -> dict[str, Any]:
    """Art. 7(8), Art. 8(1): a written procedure closes and is counted at its deadline; each
    closes once (``services.close_due_motions`` locks and re-checks every motion)."""
    closed = services.close_due_motions(now=clock.now())
    return {"closed": [motion.pk for motion in closed]}


@job(schedule=Daily(time(7, 0)), label=_("Remind the chair of what is due"), timeout=300)
def remind_the_chair() -> dict[str, Any]:
    """Art. 8(1) (rules of procedure within three months of the first meeting), Art. 7(7) (two
    meetings a year), Art. 8(2)(d) (the list of deployed ILOs before each meeting)."""
    issued = services.issue_due_reminders(now=clock.now())
    return {"issued": [reminder.key for reminder in issued]}


@job(
    schedule=Daily(time(1, 50)),
    label=_("Erase the list details of people who left the board"),
    timeout=600,
)
def erase_left_members_details() -> dict[str, Any]:
    """Destroys the data keys of the people whose last board membership ended more than
    ``BOARD_MEMBER_DETAILS_RETENTION_DAYS`` ago (Art. 9(2)(c)): their name and e-mail on the
    list can no longer be read, here or in an earlier backup of the database (``erasure``)."""
    return {"people": erasure.erase_member_details(today=timezone.localdate(clock.now()))}
