"""The notification centre: the unread count in the header of every page, the list with
pagination, marking one (htmx) or all as read, the e-mail preferences; the same in the API.
Each user sees and changes only their own."""

import pytest
from django.urls import reverse

from ilonet import policy
from ilonet.audit.models import AuditEvent
from ilonet.jobs.notify import Audience, notify
from ilonet.notifications import kinds
from ilonet.notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db


def remind(n: int) -> None:
    for i in range(n):
        notify(
            "board.reminder.meeting_cadence", key=f"board.reminder:cadence:{i}", obj=None,
            audience_action=policy.Action.MANAGE_BOARD, recipients=Audience(roles=("chair", "secretariat")),
            context={"year": 2027, "meetings": i}, link="/board/",
        )  # fmt: skip


@pytest.fixture
def chair(make_user):
    return make_user("chair", organisation="com")


@pytest.fixture
def secretariat(make_user):
    return make_user("secretariat", organisation="com")


def test_the_header_of_every_page_shows_the_unread_count(chair, login):
    remind(3)
    client = login(chair)
    for url in ("/", reverse("board:dashboard")):
        page = client.get(url).content.decode()
        assert 'id="ilonet-notifications-link"' in page and '<span aria-hidden="true">3</span>' in page


def test_the_header_counts_up_to_99_then_says_more(chair, login):
    """The count on every page is bounded: a backlog of 120 shows "99+", not 120."""
    remind(120)
    page = login(chair).get("/").content.decode()
    assert '<span aria-hidden="true">99+</span>' in page and ">120<" not in page


def test_the_list_is_paginated_and_shows_the_readers_own_only(chair, secretariat, login):
    remind(25)
    page = login(chair).get(reverse("notifications:list")).content.decode()
    assert "25 notifications" in page and page.count('id="notification-') == 20
    second = login(chair).get(reverse("notifications:list") + "?page=2").content.decode()
    assert second.count('id="notification-') == 5
    theirs = Notification.objects.filter(recipient=secretariat).first()
    assert f'id="notification-{theirs.pk}"' not in page + second


def test_marking_one_as_read_with_htmx_updates_the_row_and_the_count(chair, secretariat, login):
    remind(2)
    client = login(chair)
    mine = Notification.objects.filter(recipient=chair).first()
    response = client.post(reverse("notifications:mark_read", args=[mine.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert (
        response.status_code == 200
        and "Read" in body
        and 'hx-swap-oob="true"' in body
        and '<span aria-hidden="true">1</span>' in body
    )
    mine.refresh_from_db()
    assert mine.read_at is not None
    theirs = Notification.objects.filter(recipient=secretariat).first()
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_as_read(chair, secretariat, login):
    remind(4)
    login(chair).post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=chair, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=secretariat, read_at__isnull=True).count() == 4


def test_preferences_per_kind_are_saved_and_audited(chair, login):
    client = login(chair)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Written procedure closed" in page and "Art. 7(8)" in page
    data = {name: "immediate" for name in kinds.KINDS}
    data["board.written_procedure_closed"] = "digest"
    data["deployment.planned"] = "off"
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert dict(Preference.objects.filter(user=chair).values_list("kind", "delivery")) == {
        "board.written_procedure_closed": "digest", "deployment.planned": "off"}  # fmt: skip
    event = AuditEvent.objects.get(action="notification.preferences_changed")
    assert event.actor_id == chair.pk
    data["deployment.planned"] = "sometimes"
    assert client.post(reverse("notifications:preferences"), data).status_code == 200  # the form says why
    assert Preference.objects.get(user=chair, kind="deployment.planned").delivery == "off"


def test_the_api_lists_marks_and_sets_preferences(chair, secretariat, login):
    remind(3)
    client = login(chair)
    listed = client.get("/api/v1/notifications?unread=true").json()
    assert listed["count"] == 3 and "Art. 7(7)" in listed["items"][0]["text"]
    first = listed["items"][0]["id"]
    assert client.post(f"/api/v1/notifications/{first}/read").json()["read_at"]
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 2}
    theirs = Notification.objects.filter(recipient=secretariat).first().pk
    assert client.post(f"/api/v1/notifications/{theirs}/read").status_code == 404
    assert client.post("/api/v1/notifications/read-all").json() == {"unread": 0}
    answer = client.put(
        "/api/v1/notifications/preferences",
        {"preferences": {"board.reminder.meeting_cadence": "digest"}}, content_type="application/json",
    )  # fmt: skip
    assert (
        answer.status_code == 200
        and answer.json()["preferences"]["board.reminder.meeting_cadence"] == "digest"
    )
    refused = client.put(
        "/api/v1/notifications/preferences", {"preferences": {"no.such.kind": "digest"}},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 422
