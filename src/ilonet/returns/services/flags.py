"""Flags on cases and obstacles on cases or third countries (RS 1, RS 2(a)).

Flags: no travel document, unaccompanied minor, vulnerable person, needs attention (which puts the
case on the worklist). Obstacles: non-cooperation of the person, missing travel documents,
unanswered readmission requests, health or transport conditions; on a case, or on a third
country for the officer's member state. They roll up without personal data
(``selectors.obstacle_rollup``) for the return coordinator.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction

from .. import derive, rls
from ..access import member_states_of
from ..checks import third_country_problem
from ..models import CaseFlag, FlagKind, Obstacle, ObstacleKind, ReturnCase
from .timeline import _case

A = policy.Action


def set_flag(*, actor: Any, case: ReturnCase | str, kind: str, version: int | None = None) -> CaseFlag:
    """Flag the case (``models.FlagKind``); a flag already set is refused."""
    policy.authorize(actor, A.RECORD_RETURN_EVENTS)
    case = _case(case)
    policy.authorize(actor, A.RECORD_RETURN_EVENTS, case)
    if kind not in FlagKind.values:
        raise ValidationError({"kind": _("Choose one of the listed values.")})
    with rls.scope_for(actor):
        current = derive.locked(case.pk, version)
        if CaseFlag.objects.filter(case=current, kind=kind, cleared_at__isnull=True).exists():
            raise ValidationError({"kind": _("This flag is already set.")})
        flag = CaseFlag.objects.create(
            case=current, member_state=current.member_state, kind=kind, set_by=actor
        )
        derive.store(
            current,
            derive.check(current, events=derive.timeline_of(current)),
            actor=actor,
            change=f"flag {kind}",
        )
        audit.record(
            action=AuditAction.RETURN_FLAG_SET,
            actor=actor,
            obj=current,
            details={"case": current.reference, "member_state": current.member_state, "flag": kind},
        )
    return flag


def clear_flag(*, actor: Any, case: ReturnCase | str, kind: str, version: int | None = None) -> None:
    policy.authorize(actor, A.RECORD_RETURN_EVENTS)
    case = _case(case)
    policy.authorize(actor, A.RECORD_RETURN_EVENTS, case)
    with rls.scope_for(actor):
        current = derive.locked(case.pk, version)
        cleared = CaseFlag.objects.filter(case=current, kind=kind, cleared_at__isnull=True).update(
            cleared_at=timezone.now(), cleared_by=actor
        )
        if not cleared:
            raise ValidationError({"kind": _("This flag is not set.")})
        derive.store(
            current,
            derive.check(current, events=derive.timeline_of(current)),
            actor=actor,
            change=f"flag {kind} cleared",
        )
        audit.record(
            action=AuditAction.RETURN_FLAG_CLEARED,
            actor=actor,
            obj=current,
            details={"case": current.reference, "member_state": current.member_state, "flag": kind},
        )


def flag_obstacle(
    *,
    actor: Any,
    kind: str,
    case: ReturnCase | str | None = None,
    third_country: str = "",
    member_state: str = "",
    flagged_on: date | None = None,
) -> Obstacle:
    """An obstacle on a case (its member state and third country) or on a third country for the
    actor's member state."""
    policy.authorize(actor, A.RECORD_RETURN_EVENTS)
    if kind not in ObstacleKind.values:
        raise ValidationError({"kind": _("Choose one of the listed values.")})
    if case is not None:
        case = _case(case)
        policy.authorize(actor, A.RECORD_RETURN_EVENTS, case)
        state, country = case.member_state, case.third_country
    else:
        states = member_states_of(actor)
        state = (member_state or (next(iter(states)) if len(states) == 1 else "")).upper()
        if not state:
            raise ValidationError({"member_state": _("Choose the member state the case belongs to.")})
        policy.authorize(actor, A.RECORD_RETURN_EVENTS, state)
        country = (third_country or "").strip().upper()
        if problem := third_country_problem(country):
            raise ValidationError({"third_country": problem})
    with rls.scope_for(actor):
        obstacle = Obstacle.objects.create(
            member_state=state,
            third_country=country,
            case=case if isinstance(case, ReturnCase) else None,
            kind=kind,
            flagged_by=actor,
            flagged_on=flagged_on or timezone.localdate(),
        )
        audit.record(
            action=AuditAction.RETURN_OBSTACLE_FLAGGED,
            actor=actor,
            obj=obstacle,
            details={
                "member_state": state,
                "third_country": country,
                "kind": kind,
                "case": case.reference if isinstance(case, ReturnCase) else None,
                "basis": "RS 1",
            },
        )
    return obstacle


def resolve_obstacle(*, actor: Any, obstacle: Obstacle | int) -> Obstacle:
    policy.authorize(actor, A.RECORD_RETURN_EVENTS)
    if not isinstance(obstacle, Obstacle):
        with rls.system_scope():
            obstacle = Obstacle.objects.get(pk=int(obstacle))
    policy.authorize(actor, A.RECORD_RETURN_EVENTS, obstacle)
    with rls.scope_for(actor):
        updated = Obstacle.objects.filter(pk=obstacle.pk, resolved_on__isnull=True).update(
            resolved_on=timezone.localdate(), resolved_by=actor
        )
        if not updated:
            raise ValidationError({"obstacle": _("This obstacle is already resolved.")})
        audit.record(
            action=AuditAction.RETURN_OBSTACLE_RESOLVED,
            actor=actor,
            obj=obstacle,
            details={"member_state": obstacle.member_state, "obstacle": obstacle.pk},
        )
        obstacle.refresh_from_db()
    return obstacle
