"""Write-side functions of return coordination (RS 1, RS 2(c)): each authorises its actor
before its transaction and writes its audit event inside it."""

from __future__ import annotations

from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.directory import selectors as directory
from ilonet.jobs import queue
from ilonet.policy.markers import system_operation
from ilonet.shared.personal_data_guard import scan_text

from . import compute
from .definitions import STRATEGY_TARGETS
from .eurostat.datasets import MEMBER_STATES, iso_country
from .eurostat.load import LoadResult, load_stream
from .models import (
    THIRD_COUNTRY_CAPABILITIES,
    Capability,
    CapabilityEntry,
    Ground,
    JointAction,
    JointActionKind,
    NetworkMeeting,
    Obstacle,
    ObstacleStatus,
    ProgressReport,
    QuarterPriority,
    Target,
)

A = policy.Action
MEMBER_STATE_ISO = frozenset(iso_country(code) for code in MEMBER_STATES)


def load_eurostat(*, actor: Any, stream: IO[bytes], dataset: str | None, file_name: str = "") -> LoadResult:
    """Load one Eurostat file, all or nothing (RS 2(c): better return statistics)."""
    policy.authorize(actor, A.LOAD_EUROSTAT)
    return load_stream(stream, dataset=dataset, file_name=file_name, actor=actor)


# --- the register of capabilities and Frontex services ------------------------------------------


def _check_register_entry(country: str, capability: str, effective_from: date) -> None:
    errors: dict[str, str] = {}
    if capability not in Capability.values:
        errors["capability"] = _("Unknown capability.")
    elif capability in THIRD_COUNTRY_CAPABILITIES:
        if not directory.is_known_country(country) or not directory.is_third_country(country):
            errors["country"] = _(
                "Frontex joint reintegration services cover third countries: %(code)s is not one."
            ) % {"code": country}
    elif country not in MEMBER_STATE_ISO:
        errors["country"] = _("%(code)s is not an EU member state.") % {"code": country}
    if effective_from > timezone.localdate():
        errors["effective_from"] = _("An entry records what is in place: it cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)


def record_capability(
    *, actor: Any, country: str, capability: str, has: bool, effective_from: date, note: str = ""
) -> CapabilityEntry:
    """Record that from a day a member state has (or no longer has) a capability, or a third
    country is covered by Frontex joint reintegration services (RS, closing list). Refused when
    dated in the future; the figures of every period are rebuilt."""
    policy.authorize(actor, A.MANAGE_RETURN_REGISTER)
    country = country.upper()
    entry = CapabilityEntry(
        country=country,
        capability=capability,
        has=has,
        effective_from=effective_from,
        note=note,
        recorded_by=actor,
    )
    policy.authorize(actor, A.MANAGE_RETURN_REGISTER, entry)
    _check_register_entry(country, capability, effective_from)
    _no_personal_data(note=note)
    with transaction.atomic():
        if CapabilityEntry.objects.filter(
            country=country, capability=capability, effective_from=effective_from
        ).exists():
            raise ValidationError({"effective_from": _("This capability already has an entry on that day.")})
        entry.save()
        compute.rebuild_register()
        audit.record(
            action=AuditAction.INDICATORS_CAPABILITY_RECORDED,
            actor=actor,
            obj=entry,
            details={
                "country": country,
                "capability": capability,
                "has": has,
                "effective_from": effective_from.isoformat(),
            },
        )
    return entry


@system_operation
def refresh_register_figures() -> int:
    """The running quarter's register figures are measured today: rebuilt daily (a job)."""
    return compute.rebuild_register()


# --- targets ----------------------------------------------------------------------------------


@system_operation
def ensure_strategy_targets(*, baseline_date: date) -> list[Target]:
    """Create the strategy's four targets if missing (RS 2(b), RS 2(c)), with the current
    value of their indicator as baseline; the coordinator sets the baseline and target after."""
    from . import selectors

    made = []
    for code, (indicator, deadline, _label) in STRATEGY_TARGETS.items():
        if Target.objects.filter(code=code).exists():
            continue
        baseline = selectors.register_count(indicator, on=baseline_date) or 0.0
        target = baseline * 2 if code == "jrs_countries_doubled" else float(len(MEMBER_STATES))
        made.append(
            Target.objects.create(
                code=code,
                indicator=indicator,
                baseline=baseline,
                baseline_date=baseline_date,
                target=target,
                deadline=date.fromisoformat(deadline),
            )
        )
    return made


def update_target(
    *, actor: Any, target: Target, baseline: float, baseline_date: date, value: float, deadline: date
) -> Target:
    policy.authorize(actor, A.MANAGE_RETURN_COORDINATION, target)
    if baseline_date > deadline:
        raise ValidationError({"deadline": _("The deadline comes after the baseline date.")})
    if value < 0 or baseline < 0:
        raise ValidationError({"target": _("Counts are not negative.")})
    with transaction.atomic():
        before = {
            "baseline": target.baseline,
            "target": target.target,
            "deadline": target.deadline.isoformat(),
        }
        target.baseline, target.baseline_date, target.target, target.deadline = (
            baseline,
            baseline_date,
            value,
            deadline,
        )
        target.save()
        audit.record(
            action=AuditAction.INDICATORS_TARGET_UPDATED,
            actor=actor,
            obj=target,
            details={
                "before": before,
                "after": {"baseline": baseline, "target": value, "deadline": deadline.isoformat()},
            },
        )
    return target


# --- the high-level network: meetings, priorities, joint actions (RS 1) -----------------------------


def _no_personal_data(**fields: str) -> None:
    """No personal data in what the coordination keeps (RS 1 asks for aggregates and issues)."""
    errors = {}
    for name, text in fields.items():
        if text and not (report := scan_text(text, name)).clean:
            errors[name] = _("Remove the personal data first: %(summary)s") % {"summary": report.summary()}
    if errors:
        raise ValidationError(errors)


def record_meeting(*, actor: Any, held_on: date, title: str, summary: str = "") -> NetworkMeeting:
    policy.authorize(actor, A.MANAGE_RETURN_COORDINATION)
    _no_personal_data(title=title, summary=summary)
    with transaction.atomic():
        meeting = NetworkMeeting.objects.create(
            held_on=held_on, title=title, summary=summary, created_by=actor
        )
        audit.record(
            action=AuditAction.INDICATORS_MEETING_RECORDED,
            actor=actor,
            obj=meeting,
            details={"held_on": held_on.isoformat()},
        )
    return meeting


def set_priority(
    *,
    actor: Any,
    year: int,
    quarter: int,
    country: str,
    grounds: list[str],
    note: str = "",
    meeting: NetworkMeeting | None = None,
) -> QuarterPriority:
    """RS 1: the high-level network chooses a limited number of priority third countries for the
    next quarter, with its grounds (EU action plans, the follow-up of Art. 25a of the Visa Code,
    Council discussions; visa-free countries included). Only third countries."""
    policy.authorize(actor, A.MANAGE_RETURN_COORDINATION)
    country = country.upper()
    errors: dict[str, str] = {}
    if not directory.is_known_country(country):
        errors["country"] = _("%(code)s is not a country code (ISO 3166-1).") % {"code": country}
    elif not directory.is_third_country(country):
        errors["country"] = directory.not_third_country_reason(country)
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        errors["quarter"] = _("A quarter is 1 to 4 of a year between 2000 and 2100.")
    if not grounds or any(g not in Ground.values for g in grounds):
        errors["grounds"] = _("Give at least one of the grounds listed.")
    if errors:
        raise ValidationError(errors)
    _no_personal_data(note=note)
    with transaction.atomic():
        if QuarterPriority.objects.filter(year=year, quarter=quarter, country=country).exists():
            raise ValidationError({"country": _("This country is already a priority in that quarter.")})
        priority = QuarterPriority.objects.create(
            year=year,
            quarter=quarter,
            country=country,
            grounds=sorted(grounds),
            note=note,
            meeting=meeting,
            created_by=actor,
        )
        audit.record(
            action=AuditAction.INDICATORS_PRIORITY_SET,
            actor=actor,
            obj=priority,
            details={"period": f"{year}-Q{quarter}", "country": country, "grounds": sorted(grounds)},
        )
    return priority


def record_joint_action(
    *,
    actor: Any,
    priority: QuarterPriority,
    kind: str,
    description: str,
    planned_on: date | None = None,
    member_states: list[str] | None = None,
) -> JointAction:
    """RS 1, RS 2(b): missions, charter flights, identification missions agreed for a priority."""
    policy.authorize(actor, A.MANAGE_RETURN_COORDINATION, priority)
    states = sorted({s.upper() for s in member_states or []})
    errors = {}
    if kind not in JointActionKind.values:
        errors["kind"] = _("Unknown kind of joint action.")
    if unknown := [s for s in states if s not in MEMBER_STATE_ISO]:
        errors["member_states"] = _("Not EU member states: %(codes)s.") % {"codes": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    _no_personal_data(description=description)
    with transaction.atomic():
        action = JointAction.objects.create(
            priority=priority, kind=kind, description=description, planned_on=planned_on, member_states=states
        )
        audit.record(
            action=AuditAction.INDICATORS_JOINT_ACTION_RECORDED,
            actor=actor,
            obj=action,
            details={"priority": priority.pk, "kind": kind},
        )
    return action


# --- obstacles and ad-hoc issues to the EU return coordinator (RS 1) --------------------------------


def report_obstacle(
    *,
    actor: Any,
    member_state: str,
    title: str,
    description: str,
    third_country: str = "",
    deadline: date | None = None,
) -> Obstacle:
    """RS 1: obstacles are flagged quickly and ad-hoc issues reported to the EU return
    coordinator. No personal data (checked by the personal-data guard)."""
    policy.authorize(actor, A.REPORT_RETURN_OBSTACLE)
    member_state, third_country = member_state.upper(), third_country.upper()
    obstacle = Obstacle(
        member_state=member_state,
        third_country=third_country,
        title=title,
        description=description,
        deadline=deadline,
        reported_by=actor,
    )
    policy.authorize(actor, A.REPORT_RETURN_OBSTACLE, obstacle)
    errors = {}
    if member_state not in MEMBER_STATE_ISO:
        errors["member_state"] = _("%(code)s is not an EU member state.") % {"code": member_state}
    if third_country and not (
        directory.is_known_country(third_country) and directory.is_third_country(third_country)
    ):
        errors["third_country"] = _("%(code)s is not a third country.") % {"code": third_country}
    if errors:
        raise ValidationError(errors)
    _no_personal_data(title=title, description=description)
    with transaction.atomic():
        obstacle.save()
        audit.record(
            action=AuditAction.INDICATORS_OBSTACLE_REPORTED,
            actor=actor,
            obj=obstacle,
            details={"member_state": member_state, "third_country": third_country},
        )
    return obstacle


def update_obstacle(
    *,
    actor: Any,
    obstacle: Obstacle,
    status: str,
    owner: str = "",
    deadline: date | None = None,
    resolution: str = "",
) -> Obstacle:
    """The coordinator follows an obstacle up: status, owner (a unit, not a person), deadline,
    resolution. Resolved needs a resolution."""
    policy.authorize(actor, A.MANAGE_RETURN_COORDINATION, obstacle)
    if status not in ObstacleStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == ObstacleStatus.RESOLVED and not resolution.strip():
        raise ValidationError({"resolution": _("Say how the obstacle was resolved.")})
    _no_personal_data(owner=owner, resolution=resolution)
    with transaction.atomic():
        before = {"status": obstacle.status, "owner": obstacle.owner}
        obstacle.status, obstacle.owner, obstacle.deadline, obstacle.resolution = (
            status,
            owner,
            deadline,
            resolution,
        )
        obstacle.save()
        audit.record(
            action=AuditAction.INDICATORS_OBSTACLE_UPDATED,
            actor=actor,
            obj=obstacle,
            details={"before": before, "after": {"status": status, "owner": owner}},
        )
    return obstacle


# --- the progress report -------------------------------------------------------------------------


def request_report(*, actor: Any, year: int, quarter: int) -> ProgressReport:
    """The coordinator's progress report to the high-level network, also for the Schengen
    barometer (RS, closing paragraph): a PDF built by a background job."""
    policy.authorize(actor, A.MANAGE_RETURN_COORDINATION)
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise ValidationError({"quarter": _("A quarter is 1 to 4 of a year between 2000 and 2100.")})
    from .jobs import build_progress_report

    with transaction.atomic():
        report = ProgressReport.objects.create(year=year, quarter=quarter, requested_by=actor)
        queue.enqueue(build_progress_report, key=f"indicators.report:{report.pk}", report_id=report.pk)
        audit.record(
            action=AuditAction.INDICATORS_REPORT_REQUESTED,
            actor=actor,
            obj=report,
            details={"period": f"{year}-Q{quarter}"},
        )
    return report
