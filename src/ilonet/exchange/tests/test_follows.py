"""Following spaces, folders and topics of Art. 3(4): followers are told of new documents, new
versions and submitted situation reports, but only of what they may open (the notifier's policy
filter); a sensitive document (Art. 9(1)) is listed on the site, never mailed nor digested;
unfollowing stops it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ilonet.deployments import services as deployments
from ilonet.deployments.models import Deployment
from ilonet.exchange import selectors, services
from ilonet.exchange.models import Follow, Marking
from ilonet.notifications.models import Delivery, MailPlan, Notification, OutboxMail, Preference
from ilonet.situation_reports import services as reports
from ilonet.situation_reports.tests.conftest import SECTIONS, last_quarter

from .conftest import txt, upload

pytestmark = pytest.mark.django_db


def told(user, kind="exchange.document_added"):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_a_follower_of_the_space_is_told_of_a_new_document(people):
    space = people.network_space
    services.follow(actor=people.facilitator, space=space)
    document = upload(people.ilo, space, title="Route figures")
    [notice] = told(people.facilitator)
    assert notice.params["title"] == "Route figures"
    assert notice.link == reverse("exchange:document_detail", args=[document.pk])
    assert notice.mail == MailPlan.IMMEDIATE
    assert OutboxMail.objects.filter(recipient=people.facilitator).count() == 1
    assert told(people.ilo) == []  # the uploader is not told of their own document


def test_a_follower_of_a_folder_is_told_of_documents_in_its_subfolders_only(people):
    space = people.network_space
    folder = services.create_folder(actor=people.facilitator, space=space, name="Routes")
    sub = services.create_folder(actor=people.facilitator, space=space, name="Monthly", parent=folder)
    services.follow(actor=people.ilo, folder=folder)
    upload(people.facilitator, space, title="Elsewhere")
    upload(people.facilitator, space, folder=sub, title="Inside")
    assert [n.params["title"] for n in told(people.ilo)] == ["Inside"]


def test_a_follower_of_a_topic_is_told_of_documents_and_new_versions(people):
    services.follow(actor=people.ilo, topic="c")
    document = upload(people.facilitator, people.network_space, title="On routes", topics=["c"])
    upload(people.facilitator, people.network_space, title="On fraud", topics=["f"])
    services.upload_version(actor=people.facilitator, document=document, file=txt("Second version.\n"))
    assert [n.params["title"] for n in told(people.ilo)] == ["On routes"]
    [version] = told(people.ilo, "exchange.version_added")
    assert version.params["version"] == 2


def test_a_follower_who_may_not_open_the_document_is_not_told(people):
    services.follow(actor=people.other_ilo, topic="c")  # deployed in Tunisia, not in the network
    services.follow(actor=people.ilo, topic="c")
    upload(people.facilitator, people.network_space, title="On routes", topics=["c"])
    assert told(people.other_ilo) == []
    assert len(told(people.ilo)) == 1


def test_a_follower_who_lost_access_is_told_nothing(people):
    space = people.network_space
    services.follow(actor=people.ilo, space=space)
    for deployment in Deployment.objects.filter(officer=people.ilo):
        deployments.end_deployment(actor=people.authority, deployment=deployment)
    upload(people.facilitator, space, title="After the deployment")
    assert told(people.ilo) == []
    assert Follow.objects.filter(user=people.ilo).exists()  # kept, and harmless
    fresh = type(people.ilo).objects.get(pk=people.ilo.pk)  # a new request: no cached access
    assert selectors.follows_of(user=fresh) == []  # and no longer listed


@pytest.mark.parametrize("delivery", [Delivery.IMMEDIATE, Delivery.DIGEST])
def test_a_sensitive_document_is_listed_but_never_mailed_nor_digested(people, delivery):
    Preference.objects.create(user=people.ilo, kind="exchange.document_added", delivery=delivery)
    services.follow(actor=people.ilo, space=people.network_space)
    upload(people.facilitator, people.network_space, title="Informant routes", marking=Marking.SENSITIVE)
    upload(people.facilitator, people.network_space, title="Open figures")
    by_title = {n.params["title"]: n for n in told(people.ilo)}
    assert by_title["Informant routes"].mail == MailPlan.NONE
    assert by_title["Open figures"].mail == (
        MailPlan.DIGEST if delivery == Delivery.DIGEST else MailPlan.IMMEDIATE
    )
    assert not OutboxMail.objects.filter(notification=by_title["Informant routes"]).exists()


def test_unfollowing_stops_the_notifications(people):
    services.follow(actor=people.ilo, space=people.network_space)
    services.follow(actor=people.ilo, space=people.network_space)  # twice: still one
    assert Follow.objects.filter(user=people.ilo).count() == 1
    assert services.unfollow(actor=people.ilo, space=people.network_space)
    upload(people.facilitator, people.network_space)
    assert told(people.ilo) == []


def test_only_a_reader_of_the_space_follows_it_and_one_subject_at_a_time(people):
    with pytest.raises(PermissionDenied):
        services.follow(actor=people.other_ilo, space=people.network_space)
    with pytest.raises(ValidationError):
        services.follow(actor=people.ilo, topic="z")
    with pytest.raises(ValidationError):
        services.follow(actor=people.ilo, space=people.network_space, topic="c")


def test_a_follower_of_a_topic_is_told_of_a_submitted_situation_report_they_may_read(people):
    services.follow(actor=people.board_member, topic="b")
    services.follow(actor=people.other_ilo, topic="b")  # another network: may not read it
    services.follow(actor=people.chair, topic="k")  # another topic
    start, end = last_quarter()
    report = reports.create_report(
        actor=people.ilo,
        subject="officer",
        period_start=start,
        period_end=end,
        summary="Stable.",
        sections=SECTIONS,
    )
    assert told(people.board_member, "situation_report.submitted") == []  # a draft tells nobody
    reports.submit_report(actor=people.ilo, report=report)
    [notice] = told(people.board_member, "situation_report.submitted")
    assert notice.params["topics"] == "Art. 3(4)(b), Art. 3(4)(f)"
    assert told(people.other_ilo, "situation_report.submitted") == []
    assert told(people.chair, "situation_report.submitted") == []


def test_the_pages_follow_and_unfollow_a_space_and_a_topic(client, people):
    client.force_login(people.ilo)
    space = people.network_space
    page = client.get(reverse("exchange:space_detail", args=[space.pk]))
    assert "Follow this space" in page.content.decode()
    client.post(reverse("exchange:space_follow", args=[space.pk]), {"follow": "1"})
    client.post(reverse("exchange:topic_follow", args=["c"]), {"follow": "1"})
    listing = client.get(reverse("exchange:follow_list")).content.decode()
    assert space.name in listing and "Stop following" in listing
    assert set(Follow.objects.filter(user=people.ilo).values_list("topic", flat=True)) == {"", "c"}
    client.post(reverse("exchange:space_follow", args=[space.pk]), {"follow": "0"})
    assert list(Follow.objects.filter(user=people.ilo).values_list("topic", flat=True)) == ["c"]
    assert client.post(reverse("exchange:space_follow", args=[people.other_space.pk])).status_code == 404


def test_the_api_follows_lists_and_unfollows(client, people):
    client.force_login(people.ilo)
    made = client.post(
        "/api/v1/exchange/follows", {"space_id": people.network_space.pk}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    assert (
        client.post("/api/v1/exchange/follows", {"topic": "z"}, content_type="application/json").status_code
        == 422
    )
    other = client.post(
        "/api/v1/exchange/follows", {"space_id": people.other_space.pk}, content_type="application/json"
    )
    assert other.status_code == 404
    assert [f["kind"] for f in client.get("/api/v1/exchange/follows").json()] == ["space"]
    assert client.delete(f"/api/v1/exchange/follows/{made.json()['id']}").status_code == 204
    assert client.get("/api/v1/exchange/follows").json() == []
