"""Peer support, tools and trainings (RS 2(b)): experienced member states support less
experienced ones; the tools and trainings available, including on fundamental rights, are
listed with the member states and organisations that followed them (never persons), so that
"fully known at all levels" can be shown."""

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
from ilonet.directory import selectors as directory

from ..models import SupportItem, SupportKind, Topic, Uptake
from ..validation import no_personal_data

A = policy.Action


def _participant(field: str, code: str) -> str:
    """A member state (ISO code) or an organisation of the directory (its code), never a person."""
    code = (code or "").strip()
    if directory.is_member_state(code.upper()):
        return code.upper()
    if code and directory.organisation_names([code.lower()]):
        return code.lower()
    raise ValidationError(
        {field: _("Name a member state or an organisation of the directory, not a person.")}
    )


def record_item(
    *,
    actor: Any,
    kind: str,
    topic: str,
    title: str,
    description: str,
    provider: str,
    fundamental_rights: bool = False,
) -> SupportItem:
    """Peer support offered or asked for by a member state (its own), or a tool or training
    (a member state's, or listed by the coordinator for an organisation such as Frontex or the
    Fundamental Rights Agency)."""
    policy.authorize(actor, A.MANAGE_PEER_SUPPORT)
    provider = _participant("provider", provider)
    policy.authorize(actor, A.MANAGE_PEER_SUPPORT, provider)
    errors: dict[str, str] = {}
    if kind not in SupportKind.values:
        errors["kind"] = _("Unknown kind.")
    if topic not in Topic.values:
        errors["topic"] = _("Unknown topic.")
    if errors:
        raise ValidationError(errors)
    no_personal_data(title=title, description=description)
    fundamental_rights = fundamental_rights or topic == Topic.FUNDAMENTAL_RIGHTS
    with transaction.atomic():
        item = SupportItem.objects.create(
            kind=kind,
            topic=topic,
            title=title,
            description=description,
            provider=provider,
            fundamental_rights=fundamental_rights,
            created_by=actor,
        )
        audit.record(
            action=AuditAction.COOPERATION_SUPPORT_RECORDED,
            actor=actor,
            obj=item,
            details={"kind": kind, "topic": topic, "provider": provider},
        )
    return item


def record_uptake(*, actor: Any, item: SupportItem, participant: str, taken_on: date) -> Uptake:
    """A member state (its own return officer) or an organisation (the coordinator) followed a
    training, used a tool or received the support."""
    policy.authorize(actor, A.MANAGE_PEER_SUPPORT)
    participant = _participant("participant", participant)
    policy.authorize(actor, A.MANAGE_PEER_SUPPORT, participant)
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": _("Record what was followed: not a date in the future.")})
    with transaction.atomic():
        if Uptake.objects.filter(item=item, participant=participant, taken_on=taken_on).exists():
            raise ValidationError({"participant": _("Already recorded for that day.")})
        uptake = Uptake.objects.create(
            item=item, participant=participant, taken_on=taken_on, recorded_by=actor
        )
        audit.record(
            action=AuditAction.COOPERATION_UPTAKE_RECORDED,
            actor=actor,
            obj=uptake,
            details={"item": item.pk, "participant": participant},
        )
    return uptake
