"""Titles, names and places of the board's records are one line of plain text (issue 7): a line
break or a text-direction character (``report\\u202egpj.exe.pdf`` reads ``reportfdp.exe.jpg``)
is refused with a reason, through the pages' services and the API alike, and nothing is saved."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ilonet.board import services
from ilonet.board.models import Meeting, Motion

from .test_api_parity import _api

pytestmark = pytest.mark.django_db

FORGED = ["report\u202egpj.exe.pdf", "Agenda\r\nX-Injected: 1", "tab\there", "null\x00byte"]


@pytest.mark.parametrize("title", FORGED)
def test_a_meeting_title_with_control_or_direction_characters_is_refused(board, title):
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as error:
        services.create_meeting(
            actor=board.chair,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            location="Brussels",
        )
    assert "title" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_a_motion_title_with_a_direction_override_is_refused_by_the_api(board):
    response = _api(board.chair).post(
        "/api/v1/board/motions",
        json.dumps(
            {
                "title": "Decision\u202etxt.exe",
                "text": "Body",
                "procedure": "written",
                "closes_at": (timezone.now() + timedelta(days=30)).isoformat(),
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert "title" in {error["field"] for error in response.json()["errors"]}
    assert not Motion.objects.exists()


def test_multi_line_text_stays_allowed_where_it_belongs(board):
    start = timezone.now() + timedelta(days=3)
    meeting = services.create_meeting(
        actor=board.chair, title="Spring meeting", starts_at=start, ends_at=start + timedelta(hours=2),
        location="Brussels",
    )  # fmt: skip
    item = services.add_agenda_item(
        actor=board.chair, meeting=meeting, title="Item", description="Line 1\nLine 2"
    )
    assert item.description == "Line 1\nLine 2"
