"""The directory of referral and reintegration opportunities in the countries of return
(RS 2(b)): programmes of international organisations, local actors, national authorities and
development cooperation projects. No personal data of returnees: the free text goes through
the personal-data guard; the contact is the organisation's."""

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

from ..models import Need, Opportunity, ProviderKind
from ..validation import check_third_countries, no_personal_data

A = policy.Action
COORDINATOR = "EU"
FIELDS = (
    "country",
    "provider_kind",
    "organisation",
    "title",
    "offers",
    "eligibility",
    "needs",
    "website",
    "contact",
    "valid_from",
    "valid_until",
)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    (values["country"],) = check_third_countries("country", [values["country"]], own_state=None)
    errors: dict[str, str] = {}
    if values["provider_kind"] not in ProviderKind.values:
        errors["provider_kind"] = _("Unknown kind of provider.")
    needs = sorted(set(values.get("needs") or []))
    if not needs or any(n not in Need.values for n in needs):
        errors["needs"] = _("Choose the needs it covers.")
    values["needs"] = needs
    if values.get("valid_until") and values["valid_until"] < values["valid_from"]:
        errors["valid_until"] = _("It ends before it starts.")
    if errors:
        raise ValidationError(errors)
    no_personal_data(
        organisation=values["organisation"],
        title=values["title"],
        offers=values["offers"],
        eligibility=values["eligibility"],
    )
    return values


def _entered_by(actor: Any, entered_by_state: str) -> str:
    return (entered_by_state or "").strip().upper() or COORDINATOR


def record_opportunity(
    *,
    actor: Any,
    entered_by_state: str,
    country: str,
    provider_kind: str,
    organisation: str,
    title: str,
    offers: str,
    eligibility: str,
    needs: list[str],
    valid_from: date,
    valid_until: date | None = None,
    website: str = "",
    contact: str = "",
) -> Opportunity:
    """An opportunity in a country of return, entered by a member state's return officer (or by
    the coordinator, ``EU``); reviewed today."""
    policy.authorize(actor, A.MANAGE_REINTEGRATION_DIRECTORY)
    state = _entered_by(actor, entered_by_state)
    policy.authorize(actor, A.MANAGE_REINTEGRATION_DIRECTORY, state)
    values = _clean(
        {
            "country": country,
            "provider_kind": provider_kind,
            "organisation": organisation,
            "title": title,
            "offers": offers,
            "eligibility": eligibility,
            "needs": needs,
            "valid_from": valid_from,
            "valid_until": valid_until,
        }
    )
    with transaction.atomic():
        entry = Opportunity.objects.create(
            **values,
            website=website,
            contact=contact,
            entered_by_state=state,
            reviewed_on=timezone.localdate(),
            created_by=actor,
        )
        audit.record(
            action=AuditAction.COOPERATION_OPPORTUNITY_RECORDED,
            actor=actor,
            obj=entry,
            details={"country": entry.country, "provider_kind": entry.provider_kind},
        )
    return entry


def review_opportunity(*, actor: Any, opportunity: Opportunity, **changes: Any) -> Opportunity:
    """Review an entry: change what changed (or nothing) and mark it reviewed today, which
    clears the staleness flag until the next review is due."""
    policy.authorize(actor, A.MANAGE_REINTEGRATION_DIRECTORY)
    policy.authorize(actor, A.MANAGE_REINTEGRATION_DIRECTORY, opportunity)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    values = {name: getattr(opportunity, name) for name in FIELDS}
    values.update(changes)
    extra = {"website": values.pop("website"), "contact": values.pop("contact")}
    values = _clean(values)
    with transaction.atomic():
        entry = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        for name, value in {**values, **extra}.items():
            setattr(entry, name, value)
        entry.reviewed_on = timezone.localdate()
        entry.save()
        audit.record(
            action=AuditAction.COOPERATION_OPPORTUNITY_REVIEWED,
            actor=actor,
            obj=entry,
            details={"changed": sorted(changes)},
        )
    return entry
