"""Write-side functions of the situation reports (Art. 3(4), Art. 5(1)(b), Art. 5(1)(f)). Each
authorises first, runs in one transaction with its audit event, and passes every free-text
field through the personal-data guard (Art. 9(3)) before anything is stored: a refusal stores
nothing (its audit event holds the kinds and counts the guard found, never a value)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import Outcome
from ilonet.deployments import selectors as deployments
from ilonet.networks import selectors as networks
from ilonet.networks.models import Network

from . import guard, hooks
from .models import ReportCountry, ReportSection, SituationReport, Status, Subject
from .topics import BY_CODE, Topic, short_label

MAX_PERIOD_DAYS = 366
LIMITS = {"summary": 10000, "text": 10000, "vulnerable_persons": 4000, "gender": 4000, "reason": 2000}
SectionInput = Mapping[str, Mapping[str, str]]


def _clean_sections(sections: SectionInput | None, errors: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Topic letter -> {text, vulnerable_persons, gender}; sections without any text are left out."""
    result: dict[str, dict[str, str]] = {}
    for code, values in (sections or {}).items():
        if code not in Topic.values:
            errors["sections"] = _("Unknown topic: choose among Art. 3(4).")
            continue
        row = {
            key: str((values or {}).get(key) or "").strip()
            for key in ("text", "vulnerable_persons", "gender")
        }
        if not any(row.values()):
            continue
        if not row["text"]:
            errors[f"{code}_text"] = _(
                "Write the assessment of this topic, or leave the whole section empty."
            )
        for key, value in row.items():
            if len(value) > LIMITS[key]:
                errors[f"{code}_{key}"] = _("At most %(max)d characters.") % {"max": LIMITS[key]}
        result[code] = row
    return result


def _check_period(period_start: Any, period_end: Any, errors: dict[str, Any]) -> None:
    if not isinstance(period_start, date) or not isinstance(period_end, date):
        errors["period_start"] = _("Enter a valid date.")
        return
    if period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    elif (period_end - period_start).days >= MAX_PERIOD_DAYS:
        errors["period_end"] = _("A situation report covers at most a year.")
    if period_start > timezone.localdate():
        errors["period_start"] = _("A situation report covers a period that has begun.")
    if period_end > timezone.localdate() + timedelta(days=MAX_PERIOD_DAYS):
        errors["period_end"] = _("The period ends too far ahead.")


def _guard(actor: Any, summary: str, sections: dict[str, dict[str, str]], *, obj: Any = None) -> None:
    """Art. 9(3): every free-text field is checked; findings refuse the save (audited)."""
    fields = [("summary", str(_("Summary")), summary)]
    labels = {"text": _("assessment"), "vulnerable_persons": _("vulnerable persons"), "gender": _("gender")}
    for code, row in sections.items():
        for key, value in row.items():
            fields.append(
                (f"{code}_{key}", f"{BY_CODE[code].article} {short_label(code)}, {labels[key]}", value)
            )
    try:
        guard.check(fields)
    except guard.PersonalDataFound as refusal:
        _record_refusal(actor, obj, refusal)
        raise


def _record_refusal(actor: Any, obj: Any, refusal: guard.PersonalDataFound) -> None:
    with transaction.atomic():
        audit.record(
            action=AuditAction.SITUATION_REPORT_REFUSED,
            actor=actor,
            obj=obj,
            outcome=Outcome.DENIED,
            details={"found": refusal.counts(), "fields": sorted(refusal.message_dict)},
        )


def _write_sections(report: SituationReport, sections: dict[str, dict[str, str]]) -> None:
    report.sections.all().delete()
    ReportSection.objects.bulk_create(
        [ReportSection(report=report, topic=code, **row) for code, row in sorted(sections.items())]
    )


def create_report(
    *,
    actor: Any,
    subject: str,
    period_start: date,
    period_end: date,
    network: Network | None = None,
    summary: str = "",
    sections: SectionInput | None = None,
) -> SituationReport:
    """A draft report of the actor (an officer deployed now) or of one of their networks
    (Art. 3(4), Art. 5(1)(b)). Its countries: the officer's countries of deployment, or the
    network's countries."""
    policy.authorize(
        actor, policy.Action.WRITE_SITUATION_REPORTS, network if subject == Subject.NETWORK else None
    )
    errors: dict[str, Any] = {}
    summary = (summary or "").strip()
    if len(summary) > LIMITS["summary"]:
        errors["summary"] = _("At most %(max)d characters.") % {"max": LIMITS["summary"]}
    _check_period(period_start, period_end, errors)
    clean = _clean_sections(sections, errors)
    countries: list[str] = []
    authority_id = None
    if subject == Subject.OFFICER:
        rows = list(deployments.active_deployments().filter(officer_id=actor.pk))
        if not rows:
            errors["subject"] = _("Only an officer deployed now writes an officer's report (Art. 3(4)).")
        countries = sorted({row.country.code for row in rows})
        authority_id = rows[0].deploying_authority_id if rows else None
    elif subject == Subject.NETWORK:
        if network is None:
            errors["network"] = _("Choose the network.")
        else:
            countries = sorted(networks.countries_of_networks([network.pk]))
    else:
        errors["subject"] = _("Choose whose report it is.")
    if not clean and not summary:
        errors["sections"] = _("Write at least one section or the summary.")
    if errors:
        raise ValidationError(errors)
    _guard(actor, summary, clean)
    try:
        with transaction.atomic():
            report = SituationReport.objects.create(
                subject=subject,
                officer=actor if subject == Subject.OFFICER else None,
                network=network if subject == Subject.NETWORK else None,
                deploying_authority_id=authority_id,
                period_start=period_start,
                period_end=period_end,
                summary=summary,
                created_by=actor,
            )
            ReportCountry.objects.bulk_create([ReportCountry(report=report, country=c) for c in countries])
            _write_sections(report, clean)
            audit.record_change(
                actor=actor,
                action=AuditAction.SITUATION_REPORT_CREATED,
                obj=report,
                changes={"subject": subject, "network": report.network_id, "topics": sorted(clean),
                         "period": [period_start, period_end], "countries": countries},
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError(
            {"period_start": _("There is already a report for this period: open it and revise it.")}
        ) from None
    return report


def update_report(
    *,
    actor: Any,
    report: SituationReport,
    period_start: date,
    period_end: date,
    summary: str = "",
    sections: SectionInput | None = None,
) -> SituationReport:
    """Revise a draft, or a report returned for revision; the sections given replace the old."""
    policy.authorize(actor, policy.Action.WRITE_SITUATION_REPORTS, report)
    errors: dict[str, Any] = {}
    if not report.editable:
        raise ValidationError(_("A submitted report is not changed; it may be returned for revision."))
    summary = (summary or "").strip()
    if len(summary) > LIMITS["summary"]:
        errors["summary"] = _("At most %(max)d characters.") % {"max": LIMITS["summary"]}
    _check_period(period_start, period_end, errors)
    clean = _clean_sections(sections, errors)
    if not clean and not summary:
        errors["sections"] = _("Write at least one section or the summary.")
    if errors:
        raise ValidationError(errors)
    _guard(actor, summary, clean, obj=report)
    try:
        with transaction.atomic():
            locked = SituationReport.objects.select_for_update().get(pk=report.pk)
            if not locked.editable:
                raise ValidationError(
                    _("A submitted report is not changed; it may be returned for revision.")
                )
            locked.period_start, locked.period_end, locked.summary = period_start, period_end, summary
            locked.save(update_fields=["period_start", "period_end", "summary", "updated_at"])
            _write_sections(locked, clean)
            audit.record_change(
                actor=actor,
                action=AuditAction.SITUATION_REPORT_UPDATED,
                obj=locked,
                changes={"topics": sorted(clean), "period": [period_start, period_end]},
            )
    except IntegrityError:
        raise ValidationError(
            {"period_start": _("There is already a report for this period: open it and revise it.")}
        ) from None
    return locked


def submit_report(*, actor: Any, report: SituationReport) -> SituationReport:
    """Share the report with its readers (Art. 5(1)(b))."""
    policy.authorize(actor, policy.Action.WRITE_SITUATION_REPORTS, report)
    with transaction.atomic():
        locked = SituationReport.objects.select_for_update().get(pk=report.pk)
        if not locked.editable:
            raise ValidationError(_("The report is already submitted."))
        locked.status, locked.submitted_at = Status.SUBMITTED, timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        audit.record_change(
            actor=actor,
            action=AuditAction.SITUATION_REPORT_SUBMITTED,
            obj=locked,
            changes={"status": "submitted"},
        )
        hooks.report_submitted(actor=actor, report=locked)
    return locked


def return_report(*, actor: Any, report: SituationReport, reason: str) -> SituationReport:
    """Return a submitted report to its authors for revision, saying why."""
    policy.authorize(actor, policy.Action.RETURN_SITUATION_REPORTS, report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what to revise.")})
    if len(reason) > LIMITS["reason"]:
        raise ValidationError({"reason": _("At most %(max)d characters.") % {"max": LIMITS["reason"]}})
    try:
        guard.check([("reason", str(_("Reason for returning")), reason)])
    except guard.PersonalDataFound as refusal:
        _record_refusal(actor, report, refusal)
        raise
    with transaction.atomic():
        locked = SituationReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != Status.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be returned for revision."))
        locked.status, locked.returned_at, locked.return_reason = Status.RETURNED, timezone.now(), reason
        locked.save(update_fields=["status", "returned_at", "return_reason", "updated_at"])
        audit.record_change(
            actor=actor,
            action=AuditAction.SITUATION_REPORT_RETURNED,
            obj=locked,
            changes={"status": "returned"},
        )
    return locked
