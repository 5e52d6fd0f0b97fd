"""The API does what the board's pages do, through the same services (same policy action,
validation and audit): adopting a report or work programme by vote and recording that it was
sent to the European Parliament (Art. 8(2), last paragraph, Art. 9(4)), and every other page
action."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from ilonet.accounts import testing as account_tokens
from ilonet.audit.models import AuditEvent
from ilonet.board.models import ActivityReport, WorkProgramme

pytestmark = pytest.mark.django_db

BOARD = Path(__file__).resolve().parents[1]
# Page actions that are not API operations, and why.
PAGE_ONLY = {
    "close_due_motions": "run by every board read, pages and API alike",
    "record_members_list_read": "the audit of a read, written by the API's list of members too",
}


def _services_called(package: str) -> set[str]:
    text = "".join(p.read_text() for p in (BOARD / package).glob("*.py"))
    return set(re.findall(r"services\.([a-z_]+)\(", text))


def test_every_page_action_has_an_api_operation_calling_the_same_service():
    missing = _services_called("views") - _services_called("api") - set(PAGE_ONLY)
    assert not missing, f"page actions without an API operation: {sorted(missing)}"


def _api(user) -> Client:
    _token, secret = account_tokens.issue_api_token(actor=user, name="test", scope="write")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client, url, body=None):
    return client.post(f"/api/v1/board{url}", body or {}, content_type="application/json")


@pytest.mark.parametrize(("kind", "model"), [("reports", ActivityReport), ("programmes", WorkProgramme)])
def test_a_document_is_adopted_by_vote_and_sent_to_the_parliament_through_the_api(board, kind, model):
    chair = _api(board.chair)
    period = {
        "title": "2025-2026",
        "period_start": str(board.today),
        "period_end": str(board.today + timedelta(days=700)),
    }
    created = _post(chair, f"/{kind}", period)
    assert created.status_code == 201, created.content
    doc_id = created.json()["id"]
    assert _post(chair, f"/{kind}/{doc_id}/sent").status_code == 422  # not adopted yet
    subject = kind[:-1]
    motion = _post(
        chair,
        "/motions",
        {
            "title": "Adoption",
            "text": "The board adopts it.",
            "procedure": "meeting",
            "meeting": board.meeting().pk,
            subject: doc_id,
        },
    )
    assert motion.status_code == 201, motion.content
    motion_id = motion.json()["id"]
    assert _post(chair, f"/motions/{motion_id}/open").status_code == 200
    for member in board.members(16):
        assert _post(_api(member), f"/motions/{motion_id}/votes", {"choice": "for"}).status_code == 201
    closed = _post(chair, f"/motions/{motion_id}/close")
    assert closed.json()["result"]["outcome"] == "adopted"
    sent = _post(chair, f"/{kind}/{doc_id}/sent", {"sent_to_ep_on": str(board.today)})
    assert sent.status_code == 200, sent.content
    assert sent.json()["sent_to_ep_on"] == str(board.today)
    assert model.objects.get(pk=doc_id).sent_to_ep_by == board.chair
    assert AuditEvent.objects.filter(action=f"board.{subject}_sent_to_ep", object_id=str(doc_id)).count() == 1


def test_a_motion_can_be_amended_given_more_time_and_withdrawn_through_the_api(board):
    chair = _api(board.chair)
    motion = board.motion(open=False)
    amended = _post(chair, f"/motions/{motion.pk}/amend", {"title": "Better title"})
    assert amended.status_code == 200 and amended.json()["title"] == "Better title"
    later = motion.closes_at + timedelta(days=3)
    extended = _post(chair, f"/motions/{motion.pk}/deadline", {"closes_at": later.isoformat()})
    assert extended.status_code == 200, extended.content
    assert _post(chair, f"/motions/{motion.pk}/withdraw").json()["status"] == "withdrawn"


def test_meetings_and_composition_are_run_through_the_api(board, make_user):
    from ilonet.accounts.roles import Role

    chair = _api(board.chair)
    meeting = board.meeting()
    observer = make_user(Role.OBSERVER, organisation="iom")
    invited = _post(
        chair, f"/meetings/{meeting.pk}/invitations", {"email": observer.email, "role": "observer"}
    )
    assert invited.status_code == 201, invited.content
    attendance = _post(chair, f"/meetings/{meeting.pk}/attendance", {"present": [invited.json()["id"]]})
    assert attendance.status_code == 200, attendance.content
    later = board.meeting(starts_in=timedelta(days=30))
    assert _post(chair, f"/meetings/{later.pk}/cancel").json()["status"] == "cancelled"
    person = make_user(Role.BOARD_MEMBER, organisation="nl")
    seat = board.seat("nl")
    appointed = _post(
        chair,
        f"/seats/{seat.pk}/memberships",
        {"email": person.email, "capacity": "member", "valid_from": str(board.today)},
    )
    assert appointed.status_code == 201, appointed.content
    ended = _post(chair, f"/memberships/{appointed.json()['id']}/end", {"valid_until": str(board.today)})
    assert ended.status_code == 200 and ended.json()["valid_until"] == str(board.today)
    assert _post(chair, "/composition/sync").status_code == 200
