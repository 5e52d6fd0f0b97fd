"""The interchange's reads for pages and the API: an import's progress (a page polls it), its
refused rows, and the queue of suspected duplicate persons, each for the reader's own member
states only (``returns.access``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ilonet import policy
from ilonet.returns import rls
from ilonet.returns.access import member_states_of
from ilonet.returns.models import DuplicateStatus, DuplicateSuspect, ImportRowError, ImportRun

A = policy.Action
MAX_ERRORS = 200


def _states(actor: Any) -> list[str]:
    if not policy.can(actor, A.VIEW_RETURN_CASES):
        return []
    return sorted(member_states_of(actor))


def runs_query(*, actor: Any) -> QuerySet[ImportRun]:
    """The imports of the actor's member states, newest first (a keyset ordering): read it
    inside ``rls.scope_for(actor)`` (the pages and the API do, ``casefile.in_scope``)."""
    return ImportRun.objects.filter(member_state__in=_states(actor)).order_by("-id")


def run_of(*, actor: Any, run_id: int) -> ImportRun | None:
    """One import of the actor's member states, else None (another state's run is not found)."""
    with rls.scope_for(actor):
        return ImportRun.objects.filter(pk=run_id, member_state__in=_states(actor)).first()


def row_errors_query(*, actor: Any, run_id: int) -> QuerySet[ImportRowError]:
    """The refused rows of one import of the actor's member states, by line (a keyset ordering)."""
    return ImportRowError.objects.filter(run_id=run_id, run__member_state__in=_states(actor)).order_by(
        "line", "id"
    )


def duplicates_query(*, actor: Any) -> QuerySet[DuplicateSuspect]:
    """The open suspected duplicates of the actor's member states with their two cases, oldest
    first (a keyset ordering)."""
    return (
        DuplicateSuspect.objects.filter(member_state__in=_states(actor), status=DuplicateStatus.OPEN)
        .select_related("case", "match")
        .order_by("id")
    )


def duplicate_of(*, actor: Any, suspect_id: int) -> DuplicateSuspect | None:
    """One suspected duplicate of the actor's member states (open or decided), else None."""
    with rls.scope_for(actor):
        return (
            DuplicateSuspect.objects.filter(pk=suspect_id, member_state__in=_states(actor))
            .select_related("case", "match")
            .first()
        )


def import_runs(*, actor: Any, limit: int = 50) -> list[ImportRun]:
    """The latest imports of the actor's member states, newest first (bounded; read in the
    actor's scope: row-level security on PostgreSQL)."""
    with rls.scope_for(actor):
        return list(runs_query(actor=actor)[:limit])


def import_progress(*, actor: Any, run_id: int) -> dict[str, Any] | None:
    """What a progress view shows of one import: counts, the share done, the status; None when
    the run is not the actor's member state's (or does not exist)."""
    run = run_of(actor=actor, run_id=run_id)
    if run is None:
        return None
    return progress_of(run)


def progress_of(run: ImportRun) -> dict[str, Any]:
    """The progress of a run already read in the reader's scope."""
    share = None
    if run.total_lines:
        share = 1.0 if run.status == "completed" else min(run.checkpoint_line / run.total_lines, 1.0)
    return {
        "id": run.pk,
        "member_state": run.member_state,
        "file_name": run.file_name,
        "status": run.status,
        "status_label": run.get_status_display(),
        "failure": run.failure,
        "lines_done": run.checkpoint_line,
        "total_lines": run.total_lines,
        "share_done": share,
        "batches": run.batches,
        "cases_created": run.cases_created,
        "events_created": run.events_created,
        "rows_unchanged": run.rows_unchanged,
        "rows_rejected": run.rows_rejected,
        "duplicates_suspected": run.duplicates_suspected,
        "started_at": run.started_at,
        "updated_at": run.updated_at,
        "finished_at": run.finished_at,
    }


def row_errors(
    *, actor: Any, run_id: int, after_line: int = 0, limit: int = MAX_ERRORS
) -> list[ImportRowError]:
    """Refused rows of one import by line (a page of ``limit`` after ``after_line``)."""
    with rls.scope_for(actor):
        return list(
            row_errors_query(actor=actor, run_id=run_id).filter(line__gt=after_line)[: min(limit, MAX_ERRORS)]
        )


def duplicate_queue(*, actor: Any, limit: int = 100) -> list[DuplicateSuspect]:
    """The open suspected duplicates of the actor's member states, oldest first (bounded), with
    their two cases (read in the actor's scope: row-level security on PostgreSQL)."""
    with rls.scope_for(actor):
        return list(duplicates_query(actor=actor)[:limit])


def same_person_cases(*, actor: Any, case_id: int) -> list[int]:
    """The cases an officer has merged with this one as the same person."""
    with rls.scope_for(actor):
        pairs = list(
            DuplicateSuspect.objects.filter(
                Q(case_id=case_id) | Q(match_id=case_id),
                member_state__in=_states(actor),
                status=DuplicateStatus.MERGED,
            ).values_list("case_id", "match_id")
        )
    return sorted({other for pair in pairs for other in pair if other != case_id})
