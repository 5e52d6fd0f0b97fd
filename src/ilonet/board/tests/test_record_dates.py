"""Plausible dates of the board's other records (issue 8): nothing of the steering board is older
than Regulation (EU) 2019/1240 (Art. 7(1), Art. 14); what it plans is at most two years ahead;
what it records as done (an activity report, Art. 8(2)(c); an ad-hoc action agreed,
Art. 8(3)(a); an evaluation, Art. 8(2)(b)) is not in the future. Refused with the reason."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from ilonet.board import services
from ilonet.board.models import ActivityReport, AdHocAction, Evaluation, Training, WorkProgramme

pytestmark = pytest.mark.django_db

BEFORE = date(2019, 8, 13)


def _message(call, field: str) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict[field][0]


def test_no_composition_or_appointment_before_the_regulation_or_years_ahead(board):
    message = _message(lambda: services.sync_composition(actor=board.chair, on=BEFORE), "on")
    assert "14 August 2019" in message and "Art. 7(1)" in message
    far = board.today + timedelta(days=3 * 365)
    assert "more than two years ahead" in _message(
        lambda: services.sync_composition(actor=board.chair, on=far), "on"
    )


def test_a_programme_plans_at_most_two_years_ahead_and_a_report_covers_a_begun_period(board):
    def programme(start):
        return services.create_programme(
            actor=board.chair, title="WP", period_start=start, period_end=start + timedelta(days=700)
        )

    def report(start):
        return services.create_report(
            actor=board.chair, title="AR", period_start=start, period_end=start + timedelta(days=700)
        )

    assert "Art. 14" in _message(lambda: programme(date(2019, 1, 1)), "period_start")
    assert "two years ahead" in _message(
        lambda: programme(board.today + timedelta(days=3 * 365)), "period_start"
    )
    assert "in the future" in _message(lambda: report(board.today + timedelta(days=30)), "period_start")
    assert "Art. 14" in _message(lambda: report(date(2019, 1, 1)), "period_start")
    assert not WorkProgramme.objects.exists() and not ActivityReport.objects.exists()
    assert programme(board.today + timedelta(days=30)) and report(board.today - timedelta(days=300))


def test_ad_hoc_actions_trainings_and_evaluations_get_plausible_dates(board):
    def action(agreed_on, due_on=None):
        return services.record_ad_hoc_action(
            actor=board.chair,
            title="Action",
            description="D",
            networks="Sahel",
            agreed_on=agreed_on,
            due_on=due_on,
        )

    assert "Art. 14" in _message(lambda: action(BEFORE), "agreed_on")
    assert "two years ahead" in _message(
        lambda: action(board.today, board.today + timedelta(days=3 * 365)), "due_on"
    )
    assert not AdHocAction.objects.exists()
    far = board.today + timedelta(days=5 * 365)
    message = _message(
        lambda: services.record_training(actor=board.chair, kind="pre_deployment", title="T", starts_on=far),
        "starts_on",
    )
    assert "two years ahead" in message and not Training.objects.exists()
    programme = services.create_programme(
        actor=board.chair, title="WP", period_start=board.today - timedelta(days=10), period_end=board.today
    )
    message = _message(
        lambda: services.add_evaluation(
            actor=board.chair,
            programme=programme,
            evaluated_on=board.today - timedelta(days=20),
            findings="F",
        ),
        "evaluated_on",
    )
    assert "an evaluation comes after" in message and not Evaluation.objects.exists()
