"""The list of deployed ILOs that the steering board updates before each meeting (Art. 8(2)(d)):
a dated snapshot of location, network composition, activities, contact details and task
summary (recital 14), exportable as CSV and PDF."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.deployments import services as deployment_services
from ilonet.deployments.tests.helpers import days, deploy, desk, officer
from ilonet.networks import services
from ilonet.networks.models import OfficerList

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(make_user):
    chair = make_user(Role.CHAIR, organisation="com")
    network = services.create_network(actor=chair, name="Senegal network", kind="local", countries=["SN"])
    actor = desk(make_user)
    person = officer(make_user, first_name="Awa", last_name="Jansen")
    deployment = deploy(
        actor,
        person,
        country="SN",
        region=["GM"],
        city="Dakar",
        place_name="Embassy in Dakar",
        phone="+221 77 123 45 67",
        task_summary="Return cooperation; document fraud.",
        represented=[("be", "")],
    )
    com = officer(make_user, "com", first_name="Eu", last_name="Officer")
    deploy(desk(make_user, "com"), com, authority="com", country="SN", place_kind="eu_delegation")
    services.record_activity(
        actor=person,
        network=network,
        kind="meeting",
        title="Quarterly meeting",
        date=days(-20),
        participant_ids=[person.pk],
    )
    services.record_activity(
        actor=person, network=network, kind="training", title="Old training", date=days(-500)
    )
    services.add_associate(actor=chair, network=network, name="US liaison", deploying_country="US")
    return {"chair": chair, "network": network, "deployment": deployment, "desk": actor}


def test_the_snapshot_holds_location_composition_activities_contacts_and_tasks(board):
    snapshot = services.update_officer_list(
        actor=board["chair"], title="Before the June meeting", meeting="June"
    )
    assert (snapshot.taken_on, snapshot.officer_count, snapshot.network_count) == (days(0), 2, 1)
    assert snapshot.activities_since == days(-365)
    entry = snapshot.entries.get(officer_name="Awa Jansen")
    assert (entry.country.code, entry.city, entry.place_name) == ("SN", "Dakar", "Embassy in Dakar")
    assert entry.region == "Gambia, Senegal" and entry.phone == "+221771234567"
    assert entry.task_summary == "Return cooperation; document fraud." and entry.represented_states == "BE"
    assert entry.networks == "Senegal network"
    network = snapshot.networks.get()
    assert network.facilitator == "Eu Officer" and "Commission" in network.facilitator_basis
    assert network.members == ["Awa Jansen (Royal Netherlands Marechaussee)", "Eu Officer (EC)"]
    assert network.associates == ["US liaison (United States of America)"]
    assert [a["title"] for a in network.activities] == ["Quarterly meeting"]  # not the one of 500 days ago
    assert AuditEvent.objects.filter(action="record.created", object_type="networks.officerlist").count() == 1


def test_the_snapshot_does_not_change_when_deployments_change_later(board):
    snapshot = services.update_officer_list(actor=board["chair"], title="List")
    deployment_services.update_deployment(
        actor=board["desk"], deployment=board["deployment"], city="Saint-Louis"
    )
    deployment_services.end_deployment(actor=board["desk"], deployment=board["deployment"])
    assert snapshot.entries.get(officer_name="Awa Jansen").city == "Dakar"
    second = services.update_officer_list(actor=board["chair"], title="Next list")
    assert second.officer_count == 1 and second.activities_since == snapshot.taken_on


def test_only_the_chair_and_the_secretariat_update_the_list(make_user, board):
    for role in (Role.ILO, Role.BOARD_MEMBER, Role.DEPLOYING_AUTHORITY, Role.RETURN_COORDINATOR):
        with pytest.raises(PermissionDenied):
            services.update_officer_list(actor=make_user(role), title="List")
    assert OfficerList.objects.count() == 0
    services.update_officer_list(actor=make_user(Role.SECRETARIAT), title="List")


def test_the_list_exports_as_csv_and_pdf_and_each_read_is_audited(make_user, login, board):
    snapshot = services.update_officer_list(actor=board["chair"], title="List for June")
    client = login(make_user(Role.BOARD_MEMBER, scope="nl"))
    response = client.get(f"/networks/officer-lists/{snapshot.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Name", "Deploying authority", "Also represents"]
    awa = next(r for r in rows if r[0] == "Awa Jansen")
    assert awa[3] == "Senegal" and awa[8] == "+221 77 123 45 67" and awa[10].startswith("Return cooperation")
    pdf = client.get(f"/networks/officer-lists/{snapshot.pk}/export.pdf")
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    page = client.get(f"/networks/officer-lists/{snapshot.pk}/").content.decode()
    assert "Awa Jansen" in page and "Embassy in Dakar" in page
    networks = client.get(f"/networks/officer-lists/{snapshot.pk}/networks/").content.decode()
    assert "Quarterly meeting" in networks and "US liaison" in networks
    formats = list(
        AuditEvent.objects.filter(action="personal_data.read").values_list("details__format", flat=True)
    )
    assert sorted(formats) == ["csv", "html", "html", "pdf"]


@pytest.mark.parametrize(
    "role", [Role.EP_READER, Role.OBSERVER, Role.RETURN_COORDINATOR, Role.PLATFORM_ADMIN]
)
def test_roles_outside_article_9_3_cannot_read_the_list(client, make_user, login, board, role):
    snapshot = services.update_officer_list(actor=board["chair"], title="List")
    user = make_user(role)
    web = login(user)
    for url in (
        "/networks/officer-lists/",
        f"/networks/officer-lists/{snapshot.pk}/",
        f"/networks/officer-lists/{snapshot.pk}/export.csv",
        f"/networks/officer-lists/{snapshot.pk}/export.pdf",
    ):
        assert web.get(url).status_code == 403, url
    _t, secret = account_tokens.issue_api_token(actor=user, name="t")
    api = client.get(
        f"/api/v1/networks/officer-lists/{snapshot.pk}/entries", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert api.status_code == 403
    assert not AuditEvent.objects.filter(action="personal_data.read").exists()


def test_the_board_updates_the_list_through_the_page(make_user, login, board):
    client = login(board["chair"])
    response = client.post(
        "/networks/officer-lists/", {"title": "Before the autumn meeting", "meeting": "Autumn"}
    )
    snapshot = OfficerList.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/networks/officer-lists/{snapshot.pk}/"
    assert login(make_user(Role.ILO)).post("/networks/officer-lists/", {"title": "x"}).status_code == 403
    assert OfficerList.objects.count() == 1


def test_the_snapshots_contact_details_are_sealed_with_the_officers_key_and_shredded_with_it(board, settings):
    from django.db import connection

    from ilonet.deployments import erasure
    from ilonet.networks.models import OfficerListEntry

    snapshot = services.update_officer_list(
        actor=board["chair"], title="Before the June meeting", meeting="June"
    )
    deployment = board["deployment"]
    entry = OfficerListEntry.objects.get(officer_list=snapshot, deployment_id=deployment.pk)
    assert (entry.officer_id, entry.phone) == (deployment.officer_id, "+221771234567")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email FROM networks_officerlistentry WHERE id = %s", [entry.pk])
        raw = cursor.fetchone()
    assert all(value.startswith("env1:officer-") for value in raw) and "221" not in "".join(raw)
    deployment_services.end_deployment(actor=board["desk"], deployment=deployment, end_date=days(-1))
    settings.CONTACT_DETAILS_RETENTION_DAYS = 0
    assert erasure.erase_contact_details(today=days(1)) == 1
    entry = OfficerListEntry.objects.get(pk=entry.pk)
    assert (entry.phone, entry.email) == ("", "")  # the copy cannot be opened any more
