"""The agenda of a meeting (Art. 7(6), Art. 7(7)): the chair and secretariat change, move and remove
items and link an item to the motion voted on under it, while the meeting is planned; once it is
held (minutes recorded) or cancelled the agenda is part of the record. Pages work without
JavaScript; the API does the same through the same services; every change is audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ilonet.accounts import testing as account_tokens
from ilonet.audit.models import AuditEvent
from ilonet.board import services
from ilonet.board.models import AgendaItem, AgendaKind, Procedure
from ilonet.exchange.models import Document
from ilonet.shared.uploads import testing as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(board):
    """A planned meeting (tomorrow) with three items: Opening, Budget, Closing."""
    meeting = board.meeting(starts_in=timedelta(days=1))
    items = [
        services.add_agenda_item(actor=board.chair, meeting=meeting, title=title)
        for title in ("Opening", "Budget", "Closing")
    ]
    return meeting, items


def _titles(meeting) -> list[tuple[int, str]]:
    return list(
        AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("position", "title")
    )


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=f"board.{action}").count()


def _api(user) -> Client:
    _token, secret = account_tokens.issue_api_token(actor=user, name="test", scope="write")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


# --- services ------------------------------------------------------------------------------------


def test_the_chair_changes_an_agenda_item_and_the_change_is_audited(board, agenda):
    _meeting, (_opening, budget, _closing) = agenda
    item = services.update_agenda_item(
        actor=board.chair, item=budget, title="Budget 2027", kind=AgendaKind.DECISION, description="Figures."
    )
    item.refresh_from_db()
    assert (item.title, item.kind, item.description, item.position) == (
        "Budget 2027",
        "decision",
        "Figures.",
        2,
    )
    event = AuditEvent.objects.filter(action="board.agenda_item_updated").latest("seq")
    assert event.details["changes"]["title"] == ["Budget", "Budget 2027"]
    assert event.details["changes"]["description"] == "changed"  # named, not copied


def test_a_change_is_validated(board, agenda):
    _meeting, (opening, _budget, _closing) = agenda
    for fields, field in (
        ({"title": "  "}, "title"),
        ({"kind": "gossip"}, "kind"),
        ({"title": "a\nb"}, "title"),
    ):
        with pytest.raises(ValidationError) as error:
            services.update_agenda_item(actor=board.chair, item=opening, **fields)
        assert field in error.value.message_dict
    with pytest.raises(ValidationError):
        services.update_agenda_item(actor=board.chair, item=opening, position=7)
    opening.refresh_from_db()
    assert opening.title == "Opening" and _events("agenda_item_updated") == 0


def test_agenda_items_move_up_and_down_and_keep_their_numbers_without_gaps(board, agenda):
    meeting, (opening, budget, closing) = agenda
    services.move_agenda_item(actor=board.chair, item=closing, direction="up")
    assert _titles(meeting) == [(1, "Opening"), (2, "Closing"), (3, "Budget")]
    services.move_agenda_item(actor=board.chair, item=opening, direction="down")
    assert _titles(meeting) == [(1, "Closing"), (2, "Opening"), (3, "Budget")]
    assert _events("agenda_item_moved") == 2


def test_the_first_item_cannot_move_up_nor_the_last_down(board, agenda):
    meeting, (opening, _budget, closing) = agenda
    with pytest.raises(ValidationError, match="already the first"):
        services.move_agenda_item(actor=board.chair, item=opening, direction="up")
    with pytest.raises(ValidationError, match="already the last"):
        services.move_agenda_item(actor=board.chair, item=closing, direction="down")
    with pytest.raises(ValidationError):
        services.move_agenda_item(actor=board.chair, item=closing, direction="sideways")
    assert _titles(meeting) == [(1, "Opening"), (2, "Budget"), (3, "Closing")]


def test_removing_an_item_renumbers_the_rest_and_keeps_its_documents(board, agenda):
    meeting, (_opening, budget, _closing) = agenda
    document = services.upload_document(
        actor=board.chair,
        meeting=meeting,
        title="Budget paper",
        file=SimpleUploadedFile("b.pdf", make.pdf_bytes()),
        agenda_item=budget,
    )
    services.remove_agenda_item(actor=board.chair, item=budget)
    assert _titles(meeting) == [(1, "Opening"), (2, "Closing")]
    document = Document.objects.select_related("folder").get(pk=document.id)
    assert document.folder.meeting_id == meeting.pk and document.agenda_item_id is None
    assert AuditEvent.objects.filter(action="board.agenda_item_removed").latest("seq").details["changes"] == {
        "item": 2,
        "title": "Budget",
    }
    # Items added later still follow on.
    services.add_agenda_item(actor=board.chair, meeting=meeting, title="Any other business")
    assert _titles(meeting)[-1] == (3, "Any other business")


def test_the_agenda_of_a_held_meeting_cannot_change(board):
    meeting = board.meeting()
    item = services.add_agenda_item(actor=board.chair, meeting=meeting, title="Opening")
    services.record_minutes(actor=board.chair, meeting=meeting, minutes="Held.")
    for change in (
        lambda: services.update_agenda_item(actor=board.chair, item=item, title="Rewritten"),
        lambda: services.move_agenda_item(actor=board.chair, item=item, direction="down"),
        lambda: services.remove_agenda_item(actor=board.chair, item=item),
        lambda: services.add_agenda_item(actor=board.chair, meeting=meeting, title="Late"),
    ):
        with pytest.raises(ValidationError, match="part of the record"):
            change()
    assert _titles(meeting) == [(1, "Opening")]


def test_the_agenda_of_a_cancelled_meeting_cannot_change(board, agenda):
    meeting, (opening, _budget, _closing) = agenda
    services.cancel_meeting(actor=board.chair, meeting=meeting)
    with pytest.raises(ValidationError, match="cancelled"):
        services.remove_agenda_item(actor=board.chair, item=opening)
    assert len(_titles(meeting)) == 3


def test_only_the_chair_and_secretariat_change_the_agenda(board, agenda, secretariat):
    _meeting, (opening, budget, _closing) = agenda
    member = board.appoint("nl")
    with pytest.raises(PermissionDenied):
        services.update_agenda_item(actor=member, item=opening, title="Mine")
    with pytest.raises(PermissionDenied):
        services.remove_agenda_item(actor=member, item=opening)
    services.move_agenda_item(actor=secretariat, item=budget, direction="up")
    assert AuditEvent.objects.filter(action="permission.denied", actor=member).count() == 2


def test_an_item_links_to_a_vote_of_its_own_meeting_only(board, agenda):
    meeting, (opening, budget, _closing) = agenda
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting, open=False)
    services.update_agenda_item(actor=board.chair, item=budget, motion=motion)
    budget.refresh_from_db()
    assert budget.motion_id == motion.pk and motion.agenda_item == budget
    with pytest.raises(ValidationError, match="already linked to item 2"):
        services.update_agenda_item(actor=board.chair, item=opening, motion=motion)
    other = board.motion(procedure=Procedure.MEETING, meeting=board.meeting(), open=False)
    written = board.motion(open=False)
    for wrong in (other, written):
        with pytest.raises(ValidationError) as error:
            services.update_agenda_item(actor=board.chair, item=opening, motion=wrong)
        assert "motion" in error.value.message_dict
    services.update_agenda_item(actor=board.chair, item=budget, motion=None)
    budget.refresh_from_db()
    assert budget.motion_id is None
    changes = [
        e.details["changes"].get("motion")
        for e in AuditEvent.objects.filter(action="board.agenda_item_updated").order_by("seq")
    ]
    assert changes == [[None, motion.pk], [motion.pk, None]]


# --- pages ---------------------------------------------------------------------------------------


def test_agenda_controls_are_offered_only_while_the_meeting_is_planned(board, agenda, login):
    meeting, (opening, _budget, _closing) = agenda
    remove_url = reverse("board:agenda_item_remove", args=[meeting.pk, opening.pk])
    page = login(board.chair).get(reverse("board:meeting_detail", args=[meeting.pk])).content.decode()
    assert remove_url in page and reverse("board:agenda_item_move", args=[meeting.pk, opening.pk]) in page
    assert page.count(">Move up<") == 2 and page.count(">Move down<") == 2  # not for the first/last
    member_page = login(board.appoint("nl")).get(reverse("board:meeting_detail", args=[meeting.pk]))
    assert remove_url not in member_page.content.decode()
    held = board.meeting()
    item = services.add_agenda_item(actor=board.chair, meeting=held, title="Opening")
    services.record_minutes(actor=board.chair, meeting=held, minutes="Held.")
    page = login(board.chair).get(reverse("board:meeting_detail", args=[held.pk])).content.decode()
    assert reverse("board:agenda_item_remove", args=[held.pk, item.pk]) not in page
    assert "Add an agenda item" not in page and "part of the record" in page
    response = login(board.chair).get(reverse("board:agenda_item_edit", args=[held.pk, item.pk]), follow=True)
    assert "part of the record" in response.content.decode()


def test_moving_an_item_works_without_javascript(board, agenda, login):
    meeting, (opening, _budget, _closing) = agenda
    response = login(board.chair).post(
        reverse("board:agenda_item_move", args=[meeting.pk, opening.pk]), {"direction": "down"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#agenda-item-{opening.pk}")
    assert _titles(meeting) == [(1, "Budget"), (2, "Opening"), (3, "Closing")]
    refused = login(board.chair).post(
        reverse("board:agenda_item_move", args=[meeting.pk, opening.pk]),
        {"direction": "nowhere"},
        follow=True,
    )
    assert "Move an item up or down" in refused.content.decode()


def test_removing_an_item_asks_for_confirmation_first(board, agenda, login):
    meeting, (_opening, budget, _closing) = agenda
    url = reverse("board:agenda_item_remove", args=[meeting.pk, budget.pk])
    client = login(board.chair)
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Remove the item" in confirm.content.decode()
    assert len(_titles(meeting)) == 3
    assert client.post(url).status_code == 302
    assert _titles(meeting) == [(1, "Opening"), (2, "Closing")]
    assert client.post(url).status_code == 404  # gone


def test_the_edit_page_links_the_motion_and_both_pages_show_the_link(board, agenda, login):
    meeting, (_opening, budget, _closing) = agenda
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting, open=False, title="Adopt the budget")
    url = reverse("board:agenda_item_edit", args=[meeting.pk, budget.pk])
    client = login(board.chair)
    form = client.get(url)
    assert form.status_code == 200 and "Adopt the budget" in form.content.decode()
    bad = client.post(url, {"title": "Budget", "kind": "decision", "motion": "999999"})
    assert bad.status_code == 422
    saved = client.post(
        url, {"title": "Budget", "kind": "decision", "description": "", "motion": str(motion.pk)}
    )
    assert saved.status_code == 302
    meeting_page = client.get(reverse("board:meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("board:motion_detail", args=[motion.pk]) in meeting_page
    motion_page = client.get(reverse("board:motion_detail", args=[motion.pk])).content.decode()
    assert f"#agenda-item-{budget.pk}" in motion_page and "2. Budget" in motion_page


def test_agenda_pages_refuse_members_and_items_of_other_meetings(board, agenda, login):
    meeting, (opening, _budget, _closing) = agenda
    client = login(board.appoint("nl"))
    assert client.get(reverse("board:agenda_item_edit", args=[meeting.pk, opening.pk])).status_code == 403
    assert client.post(reverse("board:agenda_item_remove", args=[meeting.pk, opening.pk])).status_code == 403
    other = board.meeting()
    chair = login(board.chair)
    assert chair.get(reverse("board:agenda_item_edit", args=[other.pk, opening.pk])).status_code == 404


# --- API -----------------------------------------------------------------------------------------


def test_the_agenda_through_the_api(board, agenda):
    meeting, (opening, budget, closing) = agenda
    chair = _api(board.chair)
    base = f"/api/v1/board/meetings/{meeting.pk}/agenda"
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting, open=False)
    changed = chair.patch(
        f"{base}/{budget.pk}", {"title": "Budget 2027", "motion": motion.pk}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["title"], changed.json()["motion"]) == ("Budget 2027", motion.pk)
    unknown = chair.patch(f"{base}/{opening.pk}", {"motion": 999999}, content_type="application/json")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "motion"
    moved = chair.post(f"{base}/{closing.pk}/move", {"direction": "up"}, content_type="application/json")
    assert [i["title"] for i in moved.json()] == ["Opening", "Closing", "Budget 2027"]
    assert (
        chair.post(
            f"{base}/{opening.pk}/move", {"direction": "up"}, content_type="application/json"
        ).status_code
        == 422
    )
    assert chair.delete(f"{base}/{opening.pk}").status_code == 204
    assert _titles(meeting) == [(1, "Closing"), (2, "Budget 2027")]
    member = _api(board.appoint("nl"))
    assert member.delete(f"{base}/{closing.pk}").status_code == 403
    services.cancel_meeting(actor=board.chair, meeting=meeting)
    refused = chair.delete(f"{base}/{closing.pk}")
    assert refused.status_code == 422 and "cancelled" in refused.json()["errors"][0]["message"]
