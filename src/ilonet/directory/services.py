"""Write-side functions of the directory: every change is audited in the same transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.policy.markers import system_operation

from . import reference, selectors
from .models import Organisation, OrganisationKind, ParticipationChange, PriorityCountry, PrioritySetter

# The participation before the first recorded change (recital 31, 33): kept as a change
# effective from the earliest day, so the participation on any past day stays derivable.
BEFORE_RECORDS = date(1, 1, 1)


def _reference_rows() -> list[dict]:
    """Every reference organisation: member states, associated countries, EU bodies,
    international organisations and third countries (names from ISO 3166 via django-countries).
    """
    rows: list[dict] = []
    for code in reference.EU_MEMBER_STATES:
        rows.append(
            {
                "code": code.lower(),
                "kind": OrganisationKind.MEMBER_STATE,
                "country": code,
                "takes_part_in_ilo_regulation": code not in reference.NOT_TAKING_PART,
                "is_deploying_authority": False,
            }
        )
    for code in reference.SCHENGEN_ASSOCIATED:
        rows.append(
            {
                "code": code.lower(),
                "kind": OrganisationKind.SCHENGEN_ASSOCIATED,
                "country": code,
                "takes_part_in_ilo_regulation": True,
                "is_deploying_authority": False,
            }
        )
    for body in reference.EU_BODIES:
        rows.append(
            {
                "code": body["code"],
                "kind": body["kind"],
                "acronym": body["acronym"],
                "name_en": body["name_en"],
                "name_nl": body["name_nl"],
                "takes_part_in_ilo_regulation": True,
                "is_deploying_authority": body["deploys"],
            }
        )
    for org in reference.INTERNATIONAL_ORGANISATIONS:
        rows.append({**org, "kind": OrganisationKind.INTERNATIONAL_ORGANISATION})
    # Outermost regions and Åland are part of the Union, not third countries (Art. 349 TFEU).
    european = (
        set(reference.EU_MEMBER_STATES)
        | set(reference.SCHENGEN_ASSOCIATED)
        | set(reference.PARTS_OF_MEMBER_STATES)
    )
    for code, _name in countries:
        if code not in european:
            rows.append(
                {"code": f"tc-{code.lower()}", "kind": OrganisationKind.THIRD_COUNTRY, "country": code}
            )
    return rows


@system_operation
def ensure_reference_organisations(organisation_model=Organisation) -> int:
    """Create missing reference organisations; returns how many were created. Idempotent.

    Takes the model so that the data migration can pass its historical model.
    """
    existing = set(organisation_model.objects.values_list("code", flat=True))
    new = [organisation_model(**row) for row in _reference_rows() if row["code"] not in existing]
    organisation_model.objects.bulk_create(new, batch_size=500)
    return len(new)


def create_organisation(*, actor, **fields) -> Organisation:
    policy.authorize(actor, policy.Action.MANAGE_DIRECTORY)
    with transaction.atomic():
        org = Organisation(**fields)
        org.full_clean()
        org.save()
        audit.record_change(actor=actor, action=AuditAction.RECORD_CREATED, obj=org, changes=fields)
        return org


def update_organisation(*, actor, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation, e.g. record Denmark opting in (recital 31)."""
    policy.authorize(actor, policy.Action.MANAGE_DIRECTORY, organisation)
    with transaction.atomic():
        before = {name: getattr(organisation, name) for name in fields}
        flag = "takes_part_in_ilo_regulation"
        if (
            flag in fields
            and fields[flag] != before[flag]
            and organisation.kind == OrganisationKind.MEMBER_STATE
        ):
            # Changed on the page: effective today, kept in the dated history.
            _ensure_baseline(organisation)
            ParticipationChange.objects.update_or_create(
                organisation=organisation,
                effective_from=timezone.localdate(),
                defaults={"takes_part": fields[flag], "recorded_by": actor},
            )
        for name, value in fields.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save()
        changes = {name: [before[name], value] for name, value in fields.items() if before[name] != value}
        if changes:
            audit.record_change(
                actor=actor, action=AuditAction.RECORD_UPDATED, obj=organisation, changes=changes
            )
        return organisation


def _ensure_baseline(organisation: Organisation) -> None:
    if not ParticipationChange.objects.filter(organisation=organisation).exists():
        ParticipationChange.objects.create(
            organisation=organisation,
            takes_part=organisation.takes_part_in_ilo_regulation,
            effective_from=BEFORE_RECORDS,
        )


def set_participation(
    *, actor, organisation: Organisation, takes_part: bool, effective_from: date
) -> ParticipationChange:
    """A member state starts or stops taking part in Regulation (EU) 2019/1240 from a day,
    today or later (Denmark may opt in: recital 31; Ireland takes part: recital 33). The
    organisation's flag follows at once for a change effective today; later changes are
    derived on their day (``selectors.takes_part_on``)."""
    policy.authorize(actor, policy.Action.MANAGE_DIRECTORY, organisation)
    today = timezone.localdate()
    if organisation.kind != OrganisationKind.MEMBER_STATE:
        raise ValidationError(
            {"organisation": _("Only a member state takes part in the regulation or not (recital 31, 33).")}
        )
    if effective_from < today:
        raise ValidationError({"effective_from": _("A change of participation takes effect today or later.")})
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        _ensure_baseline(organisation)
        if ParticipationChange.objects.filter(
            organisation=organisation, effective_from=effective_from
        ).exists():
            raise ValidationError(
                {"effective_from": _("A change of participation is already recorded for this day.")}
            )
        change = ParticipationChange.objects.create(
            organisation=organisation, takes_part=takes_part, effective_from=effective_from, recorded_by=actor
        )
        if effective_from <= today and organisation.takes_part_in_ilo_regulation != takes_part:
            Organisation.objects.filter(pk=organisation.pk).update(takes_part_in_ilo_regulation=takes_part)
            organisation.takes_part_in_ilo_regulation = takes_part
        audit.record_change(
            actor=actor,
            action=AuditAction.DIRECTORY_PARTICIPATION_SET,
            obj=organisation,
            changes={"takes_part": takes_part, "effective_from": effective_from, "change": change.pk},
        )
        return change


def _check_priority(
    *, country: str, period_start: date, period_end: date | None, set_by: str, exclude_pk: int | None = None
) -> None:
    """Validation of a priority country (Art. 8(2)(e); RS 1): a known third country, an
    ordered period, and no overlapping period for the same country and body."""
    errors: dict[str, str] = {}
    if set_by not in PrioritySetter.values:
        errors["set_by"] = _("Choose the steering board or the EU return coordinator.")
    if not selectors.is_known_country(country):
        errors["country"] = _("Unknown country code “%(code)s”: use an ISO 3166-1 alpha-2 code.") % {
            "code": country
        }
    elif not selectors.is_third_country(country):
        errors["country"] = " ".join(
            (
                selectors.not_third_country_reason(country),
                _("%(country)s is not a third country: priorities are set for third countries.")
                % {"country": countries.name(country)},
            )
        )
    if period_end is not None and period_end < period_start:
        errors["period_end"] = _("The end of the period cannot be before its start.")
    if errors:
        raise ValidationError(errors)
    overlapping = PriorityCountry.objects.filter(country=country, set_by=set_by).filter(
        Q(period_end__isnull=True) | Q(period_end__gte=period_start)
    )
    if period_end is not None:
        overlapping = overlapping.filter(period_start__lte=period_end)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    if overlapping.exists():
        raise ValidationError(
            {"period_start": _("%(country)s is already a priority of this body in that period.")
             % {"country": countries.name(country)}}
        )  # fmt: skip


def set_priority_country(
    *,
    actor,
    country: str,
    period_start: date,
    set_by: str,
    period_end: date | None = None,
    note: str = "",
) -> PriorityCountry:
    """Make a third country a priority for a period, on behalf of the steering board
    (Art. 8(2)(e)) or the EU return coordinator (RS 1 quarterly priorities)."""
    policy.authorize(actor, policy.Action.MANAGE_PRIORITY_COUNTRIES, set_by)
    with transaction.atomic():
        country = (country or "").strip().upper()
        _check_priority(country=country, period_start=period_start, period_end=period_end, set_by=set_by)
        priority = PriorityCountry(
            country=country, period_start=period_start, period_end=period_end, set_by=set_by,
            note=note, created_by=actor,
        )  # fmt: skip
        priority.full_clean()
        priority.save()
        audit.record_change(
            actor=actor,
            action=AuditAction.RECORD_CREATED,
            obj=priority,
            changes={"country": country, "period_start": period_start, "period_end": period_end,
                     "set_by": set_by},
        )  # fmt: skip
        return priority


def end_priority_country(*, actor, priority: PriorityCountry, period_end: date) -> PriorityCountry:
    """End a priority on a day (Art. 8(2)(e); RS 1: priorities change each quarter)."""
    policy.authorize(actor, policy.Action.MANAGE_PRIORITY_COUNTRIES, priority)
    with transaction.atomic():
        _check_priority(
            country=priority.country.code, period_start=priority.period_start, period_end=period_end,
            set_by=priority.set_by, exclude_pk=priority.pk,
        )  # fmt: skip
        old = priority.period_end
        priority.period_end = period_end
        priority.save(update_fields=["period_end"])
        audit.record_change(
            actor=actor,
            action=AuditAction.RECORD_UPDATED,
            obj=priority,
            changes={"period_end": [old, period_end]},
        )
        return priority
