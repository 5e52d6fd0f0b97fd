"""The interchange's writes, each authorised: importing a file for a member state (the member
state's return officers, or the system from the command line), and the review queue of
suspected duplicate persons (merge: the two cases are one person's; separate: two persons).

Rights: the core's actions of the return cases (``returns/policies.py``): importing records
events on that member state's cases (``RECORD_RETURN_EVENTS``), deciding a suspected duplicate
too; nobody acts for another member state (RS 2(c)).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit.actions import AuditAction
from ilonet.audit.services import record
from ilonet.policy.markers import system_operation
from ilonet.returns import rls
from ilonet.returns.models import DuplicateStatus, DuplicateSuspect, ImportRun

from . import importing

A = policy.Action


def import_file(
    *,
    actor: Any,
    path: Path,
    member_state: str,
    batch_size: int = importing.DEFAULT_BATCH,
    total_lines: int | None = None,
    today: date | None = None,
    on_batch: Callable[[ImportRun], None] | None = None,
) -> ImportRun:
    """Import (or resume) ``path`` for ``member_state`` as ``actor``, a return officer of it."""
    member_state = member_state.upper()
    policy.authorize(actor, A.RECORD_RETURN_EVENTS, member_state)
    return _import(actor, path, member_state, batch_size, total_lines, today, on_batch)


@system_operation
def import_file_as_system(
    *,
    path: Path,
    member_state: str,
    batch_size: int = importing.DEFAULT_BATCH,
    total_lines: int | None = None,
    today: date | None = None,
    on_batch: Callable[[ImportRun], None] | None = None,
) -> ImportRun:
    """The command line's import (``manage.py returns_import`` without ``--user``): run by the
    platform's operators for one member state, audited without a user."""
    return _import(None, path, member_state.upper(), batch_size, total_lines, today, on_batch)


def _import(actor, path, member_state, batch_size, total_lines, today, on_batch) -> ImportRun:
    if batch_size < 1 or batch_size > 100_000:
        raise ValueError("batch size: from 1 to 100000 lines")
    run = importing.open_run(
        actor=actor, path=path, member_state=member_state, batch_size=batch_size, total_lines=total_lines
    )
    return importing.import_file(actor=actor, run=run, path=path, today=today, on_batch=on_batch)


def _decide(actor: Any, suspect: DuplicateSuspect, status: str, reason: str) -> DuplicateSuspect:
    policy.authorize(actor, A.RECORD_RETURN_EVENTS, suspect)
    reason = " ".join(reason.split())[:300]
    with rls.member_state_scope([suspect.member_state]):  # a transaction, under row-level security
        locked = DuplicateSuspect.objects.select_for_update().get(pk=suspect.pk)
        if locked.status != DuplicateStatus.OPEN:
            raise ValidationError(
                _("This suspected duplicate is already decided: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        locked.status, locked.reason = status, reason
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        merged = status == DuplicateStatus.MERGED
        record(
            action=AuditAction.RETURN_DUPLICATE_MERGED if merged else AuditAction.RETURN_DUPLICATE_SEPARATED,
            actor=actor,
            obj=locked,
            details={"case": locked.case_id, "match": locked.match_id, "reason": reason},
        )
    return locked


def merge_duplicate(*, actor: Any, suspect: DuplicateSuspect, reason: str = "") -> DuplicateSuspect:
    """The officer finds the two cases name one person: they are linked as the same person
    (``selectors.same_person_cases``), each keeping its own timeline."""
    return _decide(actor, suspect, DuplicateStatus.MERGED, reason)


def separate_duplicate(*, actor: Any, suspect: DuplicateSuspect, reason: str = "") -> DuplicateSuspect:
    """The officer finds two persons: the pair is not suggested again."""
    return _decide(actor, suspect, DuplicateStatus.SEPARATED, reason)
