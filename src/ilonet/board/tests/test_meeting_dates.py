"""Plausible meeting dates (issue 8): a meeting convened in the past moved the deadline of the
rules of procedure (Art. 8(1)) on the chair's dashboard to 2019. The chair convenes meetings
for today or later, at most two years ahead (Art. 7(6)(c)); a meeting that already took place
is recorded with its minutes, never before the board existed (Art. 7(1), Art. 14) nor before its
first meeting, so the three months of Art. 8(1) cannot move. Pages and API share the rule."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ilonet.accounts import testing as account_tokens
from ilonet.board import selectors, services
from ilonet.board.models import Meeting, MeetingStatus

pytestmark = pytest.mark.django_db


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def _values(start, **fields):
    return {"title": "Board meeting", "starts_at": start, "ends_at": start + timedelta(hours=4)} | {
        "location": "Brussels",
        **fields,
    }


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_a_meeting_convened_in_the_past_is_refused_and_the_deadline_stays(board):
    """The reported case: a meeting typed with a date in 2019 became the board's first."""
    first = board.meeting(starts_in=timedelta(days=-10))
    deadline = selectors.rules_deadline().deadline
    errors = _errors(lambda: services.create_meeting(actor=board.chair, **_values(_at(datetime(2019, 9, 2)))))
    assert "2 September 2019 has passed" in errors["starts_at"][0]
    assert "Record a meeting that already took place" in errors["starts_at"][0]
    assert selectors.rules_deadline().first_meeting == first
    assert selectors.rules_deadline().deadline == deadline
    assert Meeting.objects.count() == 1


def test_a_meeting_is_convened_for_today_or_later_within_two_years(board):
    today = timezone.localdate()
    yesterday = _at(today - timedelta(days=1))
    assert "starts_at" in _errors(lambda: services.create_meeting(actor=board.chair, **_values(yesterday)))
    today_meeting = services.create_meeting(actor=board.chair, **_values(_at(today, 0)))
    assert today_meeting.status == MeetingStatus.PLANNED
    far = _at(today + timedelta(days=3 * 365))
    errors = _errors(lambda: services.create_meeting(actor=board.chair, **_values(far)))
    assert "at most two years ahead" in errors["starts_at"][0]
    assert services.create_meeting(actor=board.chair, **_values(_at(today + timedelta(days=600))))


def test_a_past_meeting_is_recorded_with_its_minutes(board):
    start = _at(timezone.localdate() - timedelta(days=30))
    assert "minutes" in _errors(
        lambda: services.record_past_meeting(actor=board.chair, minutes=" ", **_values(start))
    )
    meeting = services.record_past_meeting(actor=board.chair, minutes="Agreed.", **_values(start))
    assert meeting.status == MeetingStatus.HELD and meeting.minutes == "Agreed."
    assert selectors.rules_deadline().first_meeting == meeting


def test_a_past_meeting_before_the_first_one_cannot_move_the_deadline(board):
    first = board.meeting(starts_in=timedelta(days=-10))
    deadline = selectors.rules_deadline().deadline
    earlier = _at(timezone.localdate() - timedelta(days=200))
    errors = _errors(lambda: services.record_past_meeting(actor=board.chair, minutes="x", **_values(earlier)))
    assert "Art. 8(1)" in errors["starts_at"][0]
    assert selectors.rules_deadline().first_meeting == first
    assert selectors.rules_deadline().deadline == deadline
    later = _at(timezone.localdate() - timedelta(days=5))
    services.record_past_meeting(actor=board.chair, minutes="x", **_values(later))
    assert selectors.rules_deadline().deadline == deadline


def test_no_board_meeting_before_the_regulation_and_none_not_yet_ended(board):
    errors = _errors(
        lambda: services.record_past_meeting(
            actor=board.chair, minutes="x", **_values(_at(datetime(2019, 8, 13)))
        )
    )
    assert "14 August 2019" in errors["starts_at"][0] and "Art. 7(1)" in errors["starts_at"][0]
    now = timezone.now()
    errors = _errors(
        lambda: services.record_past_meeting(
            actor=board.chair,
            minutes="x",
            **_values(now - timedelta(hours=1), ends_at=now + timedelta(hours=1)),
        )
    )
    assert "not ended" in errors["ends_at"][0]
    assert not Meeting.objects.exists()


def test_a_meeting_cannot_be_moved_into_the_past(board):
    coming = board.meeting(starts_in=timedelta(days=5))
    yesterday = _at(timezone.localdate() - timedelta(days=1))
    errors = _errors(
        lambda: services.update_meeting(
            actor=board.chair, meeting=coming, starts_at=yesterday, ends_at=yesterday + timedelta(hours=2)
        )
    )
    assert "starts_at" in errors
    held = board.meeting(starts_in=timedelta(days=-3))
    other_day = held.starts_at - timedelta(days=2)
    errors = _errors(
        lambda: services.update_meeting(
            actor=board.chair, meeting=held, starts_at=other_day, ends_at=other_day + timedelta(hours=2)
        )
    )
    assert "within its day" in errors["starts_at"][0]
    corrected = services.update_meeting(
        actor=board.chair, meeting=held, starts_at=held.starts_at - timedelta(minutes=30)
    )
    assert corrected.starts_at == held.starts_at - timedelta(minutes=30)


def _form(start, **extra):
    return {
        "title": "Meeting",
        "kind": "regular",
        "location": "Brussels",
        "starts_at": timezone.localtime(start).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        **extra,
    }


def test_the_pages_refuse_a_past_meeting_with_the_reason_in_both_languages(board, login):
    client = login(board.chair)
    past = _at(timezone.localdate() - timedelta(days=20))
    response = client.post(reverse("board:meeting_create"), _form(past))
    assert response.status_code == 422 and "has passed" in response.content.decode()
    with translation.override("nl"):
        response = client.post(reverse("board:meeting_create"), _form(past), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 422 and "is voorbij" in response.content.decode()
    assert not Meeting.objects.exists()
    page = client.get(reverse("board:meeting_list")).content.decode()
    assert reverse("board:meeting_record_past") in page
    response = client.post(reverse("board:meeting_record_past"), _form(past, minutes="Agreed."))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.status == MeetingStatus.HELD


def test_the_api_refuses_a_past_meeting_and_records_one_afterwards(board):
    _token, secret = account_tokens.issue_api_token(actor=board.chair, name="test", scope="write")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    past = _at(timezone.localdate() - timedelta(days=20))
    body = {
        "title": "Meeting",
        "location": "Brussels",
        "starts_at": past.isoformat(),
        "ends_at": (past + timedelta(hours=3)).isoformat(),
    }
    response = api.post("/api/v1/board/meetings", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "starts_at"
    response = api.post(
        "/api/v1/board/meetings/past", {**body, "minutes": "Agreed."}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["status"] == "held"
