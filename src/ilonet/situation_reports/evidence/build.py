"""Build the evidence pack of a period from the other apps' public selectors (never their
tables): the deployment registry (Art. 4(1), Art. 6), the networks and their facilitators
(Art. 5(1), Art. 5(2), Art. 5(3)), the steering board's meetings and decisions (Art. 7(7),
Art. 7(8)), the situation reports by topic (Art. 3(4)) and the use of the platform (the audit
trail)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from ilonet.audit import selectors as audit
from ilonet.board import selectors as board
from ilonet.deployments import reporting as deployments
from ilonet.networks import selectors as networks

from ..models import ReportCountry, ReportSection, SituationReport, Status, Subject
from ..topics import TOPICS

MAX_DAYS = 366 * 10  # the regulation's report looks back five years; ten at most
MIN_YEAR, MAX_YEAR = 2000, 2100  # the regulation dates from 2019; its predecessor from 2004

# Use of the platform: the audit trail's actions grouped by what people did.
USE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sign_ins", ("auth.logged_in",)),
    ("failed_sign_ins", ("auth.login_failed", "auth.login_locked_out")),
    ("deployment_notifications", ("deployment.",)),
    ("network_work", ("network.",)),
    ("board_work", ("board.",)),
    ("votes_cast", ("board.vote_cast",)),
    ("situation_reports_submitted", ("situation_report.submitted",)),
    ("personal_data_refused", ("situation_report.refused",)),
    ("personal_data_reads", ("personal_data.read",)),
    ("refusals", ("permission.denied",)),
)


@dataclass
class EvidencePack:
    period_start: date
    period_end: date
    generated_at: datetime
    deployments: dict[str, Any]
    deployment_rows: list[dict[str, Any]]
    networks: dict[str, Any]
    meetings: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    reports: dict[str, Any]
    use: dict[str, int]
    actions: dict[str, int]
    active_accounts: int
    notes: list[str] = field(default_factory=list)


def _reports(period_start: date, period_end: date) -> dict[str, Any]:
    """Submitted situation reports whose period overlaps the period, counted; no text."""
    qs = SituationReport.objects.filter(
        status=Status.SUBMITTED, period_start__lte=period_end, period_end__gte=period_start
    )
    rows = list(qs.values_list("pk", "subject", "officer_id", "network_id"))
    ids = [r[0] for r in rows]
    by_topic = Counter(ReportSection.objects.filter(report_id__in=ids).values_list("topic", flat=True))
    by_country = Counter(ReportCountry.objects.filter(report_id__in=ids).values_list("country", flat=True))
    return {
        "reports": len(rows),
        "officer_reports": sum(1 for r in rows if r[1] == Subject.OFFICER),
        "network_reports": sum(1 for r in rows if r[1] == Subject.NETWORK),
        "officers_reporting": len({r[2] for r in rows if r[2]}),
        "networks_reporting": len({r[3] for r in rows if r[3]}),
        "by_topic": [
            {
                "code": info.code,
                "article": info.article,
                "label": str(info.short),
                "count": by_topic[info.code],
            }
            for info in TOPICS
        ],
        "by_country": [
            {"code": code, "count": n} for code, n in sorted(by_country.items(), key=lambda i: (-i[1], i[0]))
        ],
    }


def _use(actions: dict[str, int]) -> dict[str, int]:
    result = {}
    for key, prefixes in USE_GROUPS:
        result[key] = sum(n for name, n in actions.items() if any(name.startswith(p) for p in prefixes))
    return result


def build(*, period_start: date, period_end: date, now: datetime | None = None) -> EvidencePack:
    """The pack of a period (both days included). The caller authorises
    (``VIEW_EVIDENCE_PACK``)."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(period_start, time.min, tzinfo=tz)
    until = datetime.combine(period_end + timedelta(days=1), time.min, tzinfo=tz)
    actions = audit.action_counts(since=since, until=until)
    held = board.meetings_and_decisions(period_start=period_start, period_end=period_end)
    return EvidencePack(
        period_start=period_start,
        period_end=period_end,
        generated_at=now or timezone.now(),
        deployments=deployments.deployment_overview(
            period_start=period_start, period_end=period_end, top_countries=500
        ),
        deployment_rows=deployments.deployments_by_country_and_authority(
            period_start=period_start, period_end=period_end
        ),
        networks=networks.facilitation_summary(period_start=period_start, period_end=period_end),
        meetings=held["meetings"],
        decisions=held["decisions"],
        reports=_reports(period_start, period_end),
        use=_use(actions),
        actions=dict(sorted(actions.items())),
        active_accounts=audit.distinct_actors(since=since, until=until, action="auth.logged_in"),
    )
