"""The calendar of identification missions with third-country delegations and of joint
missions of the Commission and member states (with the EEAS) to third countries (RS 1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction

from ..models import Mission, MissionKind, MissionStatus
from ..validation import check_member_state, check_member_states, check_third_countries, no_personal_data

A = policy.Action
COMMISSION = "EU"


def _host(kind: str, host: str) -> str:
    host = (host or "").strip().upper()
    if host == COMMISSION:
        if kind != MissionKind.JOINT:
            raise ValidationError(
                {
                    "host": _(
                        "The Commission hosts joint missions; a member state hosts an identification mission."
                    )
                }
            )
        return host
    return check_member_state("host", host)


def record_mission(
    *,
    actor: Any,
    kind: str,
    host: str,
    third_country: str,
    starts_on: date,
    ends_on: date,
    joining_states: list[str] | None = None,
    with_eeas: bool = False,
    persons_to_present: int = 0,
    note: str = "",
) -> Mission:
    """A mission in the calendar: hosted by a member state, or by the Commission (``EU``) for
    a joint mission; which states join; how many persons they will present."""
    policy.authorize(actor, A.MANAGE_RETURN_MISSIONS)
    if kind not in MissionKind.values:
        raise ValidationError({"kind": _("Unknown kind of mission.")})
    host = _host(kind, host)
    policy.authorize(actor, A.MANAGE_RETURN_MISSIONS, host)
    (country,) = check_third_countries("third_country", [third_country], own_state=None)
    joining = [s for s in check_member_states("joining_states", joining_states or []) if s != host]
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The mission ends before it starts.")})
    if persons_to_present < 0:
        raise ValidationError({"persons_to_present": _("A number of persons is not negative.")})
    no_personal_data(note=note)
    with transaction.atomic():
        mission = Mission.objects.create(
            kind=kind,
            host=host,
            third_country=country,
            starts_on=starts_on,
            ends_on=ends_on,
            joining_states=joining,
            with_eeas=with_eeas,
            persons_to_present=persons_to_present,
            note=note,
            created_by=actor,
        )
        audit.record(
            action=AuditAction.COOPERATION_MISSION_RECORDED,
            actor=actor,
            obj=mission,
            details={"kind": kind, "host": host, "country": country, "starts_on": starts_on.isoformat()},
        )
    return mission


def record_outcome(
    *,
    actor: Any,
    mission: Mission,
    status: str,
    identified: int = 0,
    documents_promised: int = 0,
    documents_issued: int = 0,
    note: str = "",
) -> Mission:
    """The outcome of a mission: held or cancelled; persons identified, travel documents
    promised and issued (counts, never persons)."""
    policy.authorize(actor, A.MANAGE_RETURN_MISSIONS)
    policy.authorize(actor, A.MANAGE_RETURN_MISSIONS, mission)
    errors: dict[str, str] = {}
    if status not in MissionStatus.values:
        errors["status"] = _("Unknown status.")
    if min(identified, documents_promised, documents_issued) < 0:
        errors["identified"] = _("A number of persons is not negative.")
    elif mission.persons_to_present and identified > mission.persons_to_present:
        errors["identified"] = _("More persons identified than presented (%(n)s).") % {
            "n": mission.persons_to_present
        }
    if status != MissionStatus.HELD and (identified or documents_promised or documents_issued):
        errors["status"] = _("Only a mission held has an outcome.")
    if errors:
        raise ValidationError(errors)
    no_personal_data(note=note)
    with transaction.atomic():
        mission = Mission.objects.select_for_update().get(pk=mission.pk)
        mission.status, mission.identified = status, identified
        mission.documents_promised, mission.documents_issued = documents_promised, documents_issued
        if note:
            mission.note = note
        mission.save()
        audit.record(
            action=AuditAction.COOPERATION_MISSION_UPDATED,
            actor=actor,
            obj=mission,
            details={
                "status": status,
                "identified": identified,
                "documents_promised": documents_promised,
                "documents_issued": documents_issued,
            },
        )
    return mission
