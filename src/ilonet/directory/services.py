"""Write-side functions of the directory: every change is audited in the same transaction."""

from django.db import transaction
from django_countries import countries

from ilonet import policy
from ilonet.audit import services as audit

from . import reference
from .models import Organisation, OrganisationKind


def reference_rows() -> list[dict]:
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
    european = set(reference.EU_MEMBER_STATES) | set(reference.SCHENGEN_ASSOCIATED)
    for code, _name in countries:
        if code not in european:
            rows.append(
                {"code": f"tc-{code.lower()}", "kind": OrganisationKind.THIRD_COUNTRY,
                 "country": code}
            )
    return rows


def ensure_reference_organisations(organisation_model=Organisation) -> int:
    """Create missing reference organisations; returns how many were created. Idempotent.

    Takes the model so that the data migration can pass its historical model.
    """
    existing = set(organisation_model.objects.values_list("code", flat=True))
    new = [organisation_model(**row) for row in reference_rows() if row["code"] not in existing]
    organisation_model.objects.bulk_create(new, batch_size=500)
    return len(new)


@transaction.atomic
def create_organisation(*, actor, **fields) -> Organisation:
    policy.authorize(actor, policy.Action.MANAGE_DIRECTORY)
    org = Organisation(**fields)
    org.full_clean()
    org.save()
    audit.record_change(actor=actor, action="record.create", obj=org, changes=fields)
    return org


@transaction.atomic
def update_organisation(*, actor, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation, e.g. record Denmark opting in (recital 31)."""
    policy.authorize(actor, policy.Action.MANAGE_DIRECTORY, organisation)
    before = {name: getattr(organisation, name) for name in fields}
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    changes = {
        name: [before[name], value] for name, value in fields.items() if before[name] != value
    }
    if changes:
        audit.record_change(actor=actor, action="record.update", obj=organisation, changes=changes)
    return organisation
