"""The history of a deployment reads as words, not as stored keys (Art. 4(1), Art. 4(2)): each
change names the field as the form does and shows its values as people read them (status
labels, dates in the display format, countries and organisations by name), in English and in
Dutch, on the page and in the API (which keeps the stored keys beside the words)."""

import json

import pytest
from django.utils import translation
from django.utils.formats import date_format

from ilonet.accounts import testing as account_tokens
from ilonet.deployments import history, services

from .helpers import days, deploy, desk, officer

pytestmark = pytest.mark.django_db


def _started_then_changed(make_user):
    actor = desk(make_user)
    deployment = deploy(actor, officer(make_user), status="planned", start=days(-3), region=["DZ"])
    services.start_deployment(actor=actor, deployment=deployment)
    services.update_deployment(
        actor=actor,
        deployment=deployment,
        place_kind="eu_delegation",
        planned_end_date=days(400),
        region=["DZ", "TN"],
        represented=[("be", "Visa fraud")],
        phone="+212537000000",
    )
    return actor, deployment


def _by_field(changes):
    return {change.field: change for change in changes}


def test_a_status_change_reads_as_its_labels_not_its_stored_values(make_user):
    _actor, deployment = _started_then_changed(make_user)
    started = deployment.notifications.get(version=2)
    status = _by_field(history.describe_changes(started.changes))["status"]
    assert (status.label, status.before, status.after) == ("Status", "Planned", "Active")


def test_changed_fields_are_named_by_their_verbose_names_with_readable_values(make_user):
    _actor, deployment = _started_then_changed(make_user)
    changed = _by_field(history.describe_changes(deployment.notifications.get(version=3).changes))
    assert changed["place_kind"].label == "Place of deployment"
    assert changed["place_kind"].before == "Diplomatic mission of a member state"
    assert changed["place_kind"].after == "Diplomatic mission of the Union (EU delegation)"
    assert changed["planned_end_date"].label == "Planned end"
    assert changed["planned_end_date"].after == date_format(days(400), "DATE_FORMAT")
    assert changed["region"].label == "Region of responsibility"
    assert changed["region"].after == "Algeria, Morocco, Tunisia"
    assert changed["represented"].label == "Represented member states"
    assert changed["represented"].after == "Belgium: Visa fraud"


def test_a_changed_contact_detail_is_shown_as_changed_without_values(make_user):
    _actor, deployment = _started_then_changed(make_user)
    phone = _by_field(history.describe_changes(deployment.notifications.get(version=3).changes))["phone"]
    assert phone.only_changed and phone.label == "Phone" and (phone.before, phone.after) == ("", "")


def test_the_history_reads_in_dutch(make_user):
    _actor, deployment = _started_then_changed(make_user)
    with translation.override("nl"):
        status = _by_field(history.describe_changes(deployment.notifications.get(version=2).changes))[
            "status"
        ]
        changed = _by_field(history.describe_changes(deployment.notifications.get(version=3).changes))
        assert (status.before, status.after) == ("Gepland", "Actief")
        assert changed["place_kind"].label == "Plaats van inzet"
        assert changed["planned_end_date"].label == "Gepland einde"
        assert changed["planned_end_date"].after == date_format(days(400), "DATE_FORMAT")
        assert changed["region"].after == "Algerije, Marokko, Tunesië"
        assert changed["represented"].after == "België: Visa fraud"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_detail_page_shows_no_stored_keys_or_values(make_user, login, language):
    actor, deployment = _started_then_changed(make_user)
    client = login(actor)
    client.cookies["django_language"] = language
    body = client.get(f"/deployments/{deployment.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for raw in (
        "start_date",
        "planned_end_date",
        "place_kind",
        "eu_delegation",
        "planned → active",
        "<code>",
    ):
        assert raw not in body, raw
    expected = "Gepland → Actief" if language == "nl" else "Planned → Active"
    assert expected in body


def test_the_api_keeps_the_stored_keys_and_adds_the_words(client, make_user):
    actor, deployment = _started_then_changed(make_user)
    _token, secret = account_tokens.issue_api_token(actor=actor, name="t", scope="read")
    response = client.get(
        f"/api/v1/deployments/{deployment.pk}/notifications",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    items = {item["version"]: item for item in json.loads(response.content)["items"]}
    assert items[2]["changes"]["status"] == ["planned", "active"]
    assert items[2]["kind_label"] == "Daadwerkelijke inzet"
    status = next(c for c in items[2]["readable_changes"] if c["field"] == "status")
    assert status == {
        "field": "status", "label": "Status", "before": "Gepland", "after": "Actief", "only_changed": False,
    }  # fmt: skip


def test_an_unknown_key_of_an_older_record_is_shown_as_stored():
    (change,) = history.describe_changes({"legacy": ["a", "b"]})
    assert (change.label, change.before, change.after) == ("legacy", "a", "b")
