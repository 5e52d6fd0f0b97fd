"""The activity report with its overview of deployments (Art. 8(2)(c), Art. 4(1))."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.deployments import reporting as deployment_reporting

from ..models import (
    ActivityReport,
    MotionStatus,
    ProgrammeStatus,
)
from .biannual import create_draft, mark_sent
from .common import A, _clean

# --- activity report (Art. 8(2)(c), Art. 4(1)) ---------------------------------------------------------


def _regenerate_overview(report: ActivityReport) -> None:
    report.overview = deployment_reporting.deployment_overview(
        period_start=report.period_start, period_end=report.period_end
    )
    report.overview_generated_at = timezone.now()


def create_report(
    *, actor, title: str, period_start: date, period_end: date, body: str = ""
) -> ActivityReport:
    """The chair drafts the biannual activity report (Art. 8(2)(c)); its overview of deployments
    (Art. 4(1), second subparagraph) is generated from the registry."""
    return create_draft(
        ActivityReport,
        actor=actor,
        title=title,
        period_start=period_start,
        period_end=period_end,
        text=body,
        prepare=_regenerate_overview,
    )


def update_report(
    *,
    actor,
    report: ActivityReport,
    title: str | None = None,
    body: str | None = None,
    regenerate_overview: bool = False,
) -> ActivityReport:
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        report = ActivityReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ProgrammeStatus.DRAFT:
            raise ValidationError(_("An adopted activity report is not changed."))
        if report.motions.filter(status=MotionStatus.OPEN).exists():
            raise ValidationError(_("The report is being voted on; it cannot be changed now."))
        changes: dict[str, Any] = {}
        if title is not None and title.strip() != report.title:
            changes["title"] = [report.title, title.strip()]
            report.title = title.strip()
        if body is not None and body.strip() != report.body:
            changes["body"] = "changed"
            report.body = body.strip()
        if regenerate_overview:
            _regenerate_overview(report)
            changes["overview"] = "regenerated"
        _clean(report, exclude=["drafted_by"])
        report.save()
        if changes:
            audit.record_change(
                actor=actor, action=AuditAction.BOARD_REPORT_UPDATED, obj=report, changes=changes
            )
        return report


def mark_report_sent(*, actor, report: ActivityReport, on: date | None = None) -> ActivityReport:
    """Art. 8(2), last paragraph: the activity report goes to the European Parliament."""
    return mark_sent(actor=actor, document=report, on=on)
