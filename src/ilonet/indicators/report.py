"""The PDF progress report for the high-level network and the Schengen barometer (RS, closing
paragraph): the dashboard's panels for a quarter (same SVG charts and tables), the targets, the
quarter's priority countries against the previous quarters, and the open obstacles (counts and
titles, no personal data). Built by the job ``jobs.build_progress_report``."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.shared.pdf import render_pdf
from ilonet.shared.uploads import get_storage, new_key

from . import dashboard, report_sections, selectors
from .models import Obstacle, ObstacleStatus, ProgressReport
from .periods import label


def context(year: int, quarter: int) -> dict[str, Any]:
    period = label(year, quarter)
    annual = str(year - 1)
    panels = [
        dashboard.trend_panel(code, quarterly=True) for code in ("return_rate", "effective_return_rate")
    ]
    panels.append(dashboard.comparison_panel("return_rate", period=period))
    panels.append(dashboard.map_panel("return_rate", period=annual))
    panels.append(dashboard.trend_panel("voluntary_share", quarterly=False))
    panels.append(dashboard.register_panel())
    return {
        "period": period,
        "panels": panels,
        "targets": selectors.targets(),
        "priority_view": selectors.priority_view(year=year, quarter=quarter),
        "open_obstacles": Obstacle.objects.exclude(
            status__in=[ObstacleStatus.RESOLVED, ObstacleStatus.CLOSED]
        ),
        "sections": report_sections.for_quarter(year, quarter),  # from apps above, e.g. cooperation
        "generated_at": timezone.now(),
    }


def build(report_id: int) -> dict[str, Any]:
    report = ProgressReport.objects.select_for_update().get(pk=report_id)
    if report.storage_key:
        return {"report": report.pk, "key": report.storage_key, "built": False}
    pdf = render_pdf("indicators/pdf/progress_report.html", context(report.year, report.quarter))
    storage = get_storage()
    key = storage.save(new_key("indicators/reports", ".pdf"), io.BytesIO(pdf))
    report.storage_key, report.finished_at = key, timezone.now()
    report.save(update_fields=["storage_key", "finished_at"])
    audit.record(
        action=AuditAction.INDICATORS_REPORT_BUILT,
        actor_label="ilonet.jobs",
        obj=report,
        details={"bytes": len(pdf)},
    )
    return {"report": report.pk, "key": key, "built": True}
