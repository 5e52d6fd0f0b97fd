"""Opening a return case, changing the person's identity, erasing it on time (RS 2(c)).

The identity is sealed with a data key of its own per person (``personaldata.vault``: envelope
encryption, the key in the key store apart from the database); its names are found only by
keyed digests. A change of identity data is an event on the timeline and puts the case on hold
until an officer releases it. When a closed case's retention has run out its key is destroyed
(crypto-shredding): the identity cannot be read any more, in the database or any backup of it.
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
from ilonet.personaldata import vault
from ilonet.policy.markers import system_operation

from .. import derive, identity, rls
from ..access import member_states_of
from ..checks import new_reference, third_country_problem
from ..events import Kind
from ..models import CaseType, NameDigest, ReturnCase
from .timeline import _case, _day, append

A = policy.Action
ERASURE_BATCH = 500


def open_case(
    *,
    actor: Any,
    case_type: str,
    third_country: str,
    person: dict[str, Any],
    member_state: str = "",
    opened_on: date | str | None = None,
    reference: str = "",
) -> ReturnCase:
    """A new case of ``case_type`` (``models.CaseType``) for the person, in the actor's member
    state (``member_state`` when they act for several), towards ``third_country`` (a third
    country the directory knows; refused otherwise). Its timeline starts with ``case_opened``."""
    policy.authorize(actor, A.RECORD_RETURN_EVENTS)
    states = member_states_of(actor)
    state = (member_state or (next(iter(states)) if len(states) == 1 else "")).upper()
    if not state:
        raise ValidationError({"member_state": _("Choose the member state the case belongs to.")})
    policy.authorize(actor, A.RECORD_RETURN_EVENTS, state)
    errors: dict[str, str] = {}
    if case_type not in CaseType.values:
        errors["case_type"] = _("Choose one of the listed values.")
    if problem := third_country_problem(third_country):
        errors["third_country"] = problem
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    day = _day(opened_on, today=today)
    cleaned = identity.clean_identity(person)
    case = ReturnCase(
        reference=(reference or new_reference(state, day.year)).strip(),
        member_state=state,
        case_type=case_type,
        third_country=third_country.strip().upper(),
        opened_on=day,
        created_by=actor,
        state="start",
        stage="",
        status="",
        version=0,
    )
    data_key = vault.create_key(case.person_ref)
    try:
        with rls.scope_for(actor):
            if ReturnCase.objects.filter(reference=case.reference).exists():
                raise ValidationError({"reference": _("A case with this reference exists.")})
            case.identity_sealed = identity.seal(data_key, case.person_ref, cleaned)
            case.save(force_insert=True)
            NameDigest.objects.bulk_create(
                NameDigest(case=case, member_state=state, digest=d) for d in identity.digests(cleaned)
            )
            audit.record(
                action=AuditAction.RETURN_CASE_OPENED,
                actor=actor,
                obj=case,
                details={
                    "case": case.reference,
                    "member_state": state,
                    "case_type": case_type,
                    "third_country": case.third_country,
                    "basis": "RS 2(c)",
                },
            )
            append(
                case,
                actor=actor,
                kind=Kind.CASE_OPENED,
                occurred_on=day,
                fields={"case_type": case_type},
                version=None,
                manual=False,
            )
            case.refresh_from_db()
    except BaseException:
        vault.destroy_key(case.person_ref)
        raise
    return case


def update_identity(
    *, actor: Any, case: ReturnCase | str, person: dict[str, Any], version: int | None = None
) -> ReturnCase:
    """Replace the person's identity data. A change is recorded on the timeline
    (``identity_changed``, naming the changed fields, never their values) and puts the case on
    hold until an officer releases it (``record_event(kind="hold_released")``)."""
    policy.authorize(actor, A.RECORD_RETURN_EVENTS)
    case = _case(case)
    policy.authorize(actor, A.RECORD_RETURN_EVENTS, case)
    cleaned = identity.clean_identity(person)
    with rls.scope_for(actor):
        current = derive.locked(case.pk, version)
        before = identity.open_identity(current.person_ref, current.identity_sealed)
        changed = identity.changed_fields(before, cleaned)
        if not changed:
            return current
        current.identity_sealed = identity.seal(
            vault.load_key(current.person_ref), current.person_ref, cleaned
        )
        current.save(update_fields=["identity_sealed", "updated_at"])
        NameDigest.objects.filter(case=current).delete()
        NameDigest.objects.bulk_create(
            NameDigest(case=current, member_state=current.member_state, digest=d)
            for d in identity.digests(cleaned)
        )
        today = timezone.localdate()
        append(
            current,
            actor=actor,
            kind=Kind.IDENTITY_CHANGED,
            occurred_on=today,
            fields={"changed": ", ".join(changed)},
            version=None,
            manual=False,
        )
        current.refresh_from_db()
        if not current.on_hold:
            append(
                current,
                actor=actor,
                kind=Kind.HOLD_PLACED,
                occurred_on=today,
                fields={"reason": "identity_changed"},
                version=None,
                manual=False,
            )
        audit.record(
            action=AuditAction.RETURN_IDENTITY_CHANGED,
            actor=actor,
            obj=current,
            details={"case": current.reference, "member_state": current.member_state, "fields": changed},
        )
        current.refresh_from_db()
    return current


@system_operation
def erase_due_cases(*, today: date, batch: int = ERASURE_BATCH) -> int:
    """Crypto-shredding of closed cases past their retention (``RETURNS_RETENTION_DAYS``): destroy
    each person's key first, then drop the sealed identity and the name digests. The case, its
    timeline and the aggregates stay, with no personal data. One audit event per batch; an
    interrupted batch is finished by the next run (the rows are still due)."""
    erased = 0
    while True:
        with rls.system_scope():
            rows = list(
                ReturnCase.objects.filter(erase_on__lte=today, erased_at__isnull=True)
                .order_by("erase_on", "id")
                .values_list("id", "person_ref", "reference", "member_state")[:batch]
            )
        if not rows:
            return erased
        vault.destroy_keys([ref for _id, ref, _r, _s in rows])
        ids = [row[0] for row in rows]
        with rls.system_scope():
            NameDigest.objects.filter(case_id__in=ids).delete()
            ReturnCase.objects.filter(pk__in=ids).update(identity_sealed="", erased_at=timezone.now())
            audit.record(
                action=AuditAction.RETURN_CASES_ERASED,
                details={
                    "count": len(rows),
                    "cases": [r[2] for r in rows],
                    "reason": "retention",
                    "basis": "RS 2(c)",
                },
            )
        erased += len(rows)
