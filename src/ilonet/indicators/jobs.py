"""Background work of return coordination (``ilonet.jobs``): the PDF progress report, and the
daily refresh of the running quarter's register figures."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils.translation import gettext_lazy as _

from ilonet.jobs.registry import job
from ilonet.jobs.schedules import Daily

from . import report, services


@job(label=_("Build a return progress report (PDF)"), timeout=600)
def build_progress_report(*, report_id: int) -> dict[str, Any]:
    """RS, closing paragraph: the coordinator reports progress to the high-level network; the
    reports feed the Schengen barometer. Idempotent: a report built once is kept."""
    return report.build(report_id)


@job(schedule=Daily(time(0, 15)), label=_("Refresh the register figures of the running quarter"), timeout=300)
def refresh_register_figures() -> dict[str, Any]:
    return {"figures": services.refresh_register_figures()}
