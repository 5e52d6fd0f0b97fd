"""The board's start page with the chair's warnings."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from ilonet import policy

from .. import selectors, services
from .common import A, board_view

# --- dashboard ------------------------------------------------------------------------------------


@board_view
def dashboard(request):
    """The board at a glance; for the chair and secretariat, the warnings of Art. 7(7), Art. 8(1)
    and Art. 8(2)(d)."""
    user = request.user
    sees_board = policy.can(user, A.VIEW_BOARD)
    sees_decisions = policy.can(user, A.VIEW_DECISIONS)
    sees_reports = policy.can(user, A.VIEW_PROGRAMMES_AND_REPORTS)
    if not (sees_board or sees_decisions or sees_reports):
        policy.authorize(user, A.VIEW_BOARD)
    context = {"sees_board": sees_board, "sees_decisions": sees_decisions, "sees_reports": sees_reports}
    today = timezone.localdate()
    if sees_board:
        services.close_due_motions()
        comp = selectors.composition(day=today)
        context.update(
            meetings=selectors.upcoming_meetings(user=user),
            open_motions=selectors.open_motions_for(user=user),
            voting_members=comp.voting,
            non_voting_members=comp.non_voting,
            threshold=comp.threshold,
            vacancies=len([r for r in comp.vacancies if r.seat.voting]),
            rules_deadline=selectors.rules_deadline(),
        )
    if policy.can(user, A.MANAGE_BOARD):
        context["warnings"] = selectors.chair_warnings(user=user)
    if sees_decisions:
        context["decisions"] = list(selectors.decision_list(user=user)[:5])
    if policy.can(user, A.PASS_ON_DECISIONS):
        context["to_pass_on"] = selectors.dispatches_for(user=user, pending=True).count()
    context.update(
        may_manage=policy.can(user, A.MANAGE_BOARD),
        may_see_members=policy.can(user, A.VIEW_BOARD_MEMBERS),
    )
    return render(request, "board/dashboard.html", context)
