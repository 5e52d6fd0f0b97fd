"""Background work of return coordination (``ilonet.jobs``): the PDF progress report, and the
daily refresh of the running quarter's register figures, the fold of new case events into the
case indicators every minute and their nightly rebuild (``cases.fold``)."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils.translation import gettext_lazy as _

from ilonet.jobs.registry import job
from ilonet.jobs.schedules import Daily, Every

from . import report, services
from .cases import fold


@job(label=_("Build a return progress report (PDF)"), timeout=600)
def build_progress_report(*, report_id: int) -> dict[str, Any]:
    """RS, closing paragraph: the coordinator reports progress to the high-level network; the
    reports feed the Schengen barometer. Idempotent: a report built once is kept."""
    return report.build(report_id)


@job(schedule=Daily(time(0, 15)), label=_("Refresh the register figures of the running quarter"), timeout=300)
def refresh_register_figures() -> dict[str, Any]:
    return {"figures": services.refresh_register_figures()}


@job(schedule=Every(minutes=1), label=_("Fold new return-case events into the case indicators"), timeout=300)
def fold_case_events(**_scheduled: Any) -> dict[str, Any]:
    """An event changes the case indicators within a minute (issue 14)."""
    return fold.fold()


@job(schedule=Daily(time(2, 30)), label=_("Rebuild the case indicators from the timelines"), timeout=1800)
def rebuild_case_indicators(**_scheduled: Any) -> dict[str, Any]:
    """Closes what the watermark can miss (a late commit); the same as the fold otherwise."""
    return fold.rebuild()
