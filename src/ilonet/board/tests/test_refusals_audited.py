"""One audited refusal per refused call (house rule: authorise before the transaction). A
refusal raised inside ``transaction.atomic`` rolls its own audit event back; raised with ``can``
it never writes one."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.board import services
from ilonet.board.models import Procedure

pytestmark = pytest.mark.django_db


def _denials(actor) -> int:
    return AuditEvent.objects.filter(action="permission.denied", actor_id=actor.pk).count()


def _programme(board):
    return services.create_programme(
        actor=board.chair, title="WP", period_start=board.today, period_end=board.today + timedelta(days=700)
    )


def test_the_secretariat_proposing_rules_by_motion_is_refused_once_audited(board, secretariat):
    rules = services.propose_rules(actor=board.chair, title="Rules", text="Text.")
    with pytest.raises(PermissionDenied):
        services.create_motion(
            actor=secretariat,
            title="Adopt",
            text="Adopt the rules.",
            procedure=Procedure.WRITTEN,
            closes_at=board.meeting().starts_at + timedelta(days=10),
            rules=rules,
        )
    assert _denials(secretariat) == 1


def test_marking_a_programme_sent_without_managing_the_board_is_refused_once_audited(board, make_user):
    ilo = make_user(Role.ILO)
    with pytest.raises(PermissionDenied):
        services.mark_programme_sent(actor=ilo, programme=_programme(board))
    assert _denials(ilo) == 1


def test_marking_a_report_sent_without_managing_the_board_is_refused_once_audited(board, make_user):
    report = services.create_report(
        actor=board.chair,
        title="Report",
        period_start=board.today,
        period_end=board.today + timedelta(days=700),
    )
    ilo = make_user(Role.ILO)
    with pytest.raises(PermissionDenied):
        services.mark_report_sent(actor=ilo, report=report)
    assert _denials(ilo) == 1


def test_an_observer_granting_a_proxy_is_refused_once_audited_with_the_reason(board, make_user):
    board.rules(proxies_allowed=True)
    holder = board.appoint("nl")
    motion = board.motion()
    observer = make_user(Role.OBSERVER)
    with pytest.raises(PermissionDenied) as refused:
        services.grant_proxy(actor=observer, motion=motion, holder=holder)
    assert str(refused.value)  # the specific reason is kept
    assert _denials(observer) == 1
