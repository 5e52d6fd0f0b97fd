"""The return case API: every operation for the officers of the case's member state only (404
for another member state, 403 for the coordinator, the Commission and agencies), the access log
written on every case read, 422 with fields, 409 with the change made first."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.returns import rls
from ilonet.returns.models import Approval
from ilonet.returns.services import cases as case_services
from ilonet.returns.services import timeline

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _the_tests_own_reads_see_every_state():
    """The test's own reads of the tables (``refresh_from_db``, counts) run under the system
    scope: on PostgreSQL row-level security shows nothing without one. The pages and the API
    set their own member-state scope inside it (``rls.member_state_scope`` nests)."""
    with rls.system_scope():
        yield


API = "/api/v1/returns"
PERSON = {"names": [{"family": "Haddou", "given": "Amina", "script": "latin"}], "nationalities": ["MA"]}


@pytest.fixture
def case(officer):
    opened = timezone.localdate() - timedelta(days=40)
    case = case_services.open_case(
        actor=officer, case_type="own_means", third_country="MA", person=PERSON, opened_on=opened
    )
    timeline.record_event(
        actor=officer,
        case=case,
        kind="legal_stay_ended",
        occurred_on=opened,
        fields={"reason": "permit_expired"},
    )
    timeline.record_event(
        actor=officer,
        case=case,
        kind="return_decision",
        occurred_on=opened,
        fields={"voluntary_departure_days": 20},
    )
    case.refresh_from_db()
    return case


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _reads(case) -> int:
    return AuditEvent.objects.filter(
        action="personaldata.record_read", details__record=case.person_ref
    ).count()


def test_the_case_file_reads_the_person_and_logs_it(officer, case):
    before = _reads(case)
    response = client_for(officer).get(f"{API}/cases/{case.reference}")
    assert response.status_code == 200
    body = response.json()
    assert body["identity"]["names"][0]["family"] == "Haddou"
    assert [e["kind"] for e in body["timeline"]] == ["case_opened", "legal_stay_ended", "return_decision"]
    assert body["approvals_waiting"][0]["step"] == "return_decision"
    assert _reads(case) == before + 1


def test_the_approvals_waiting_carry_their_event_read_in_the_readers_scope(officer, case):
    """The answer is written after the row scope closes: on PostgreSQL a lazy read of an
    approval's event there would find no row (row-level security) and answer a 500."""
    from ilonet.returns import casefile

    with rls.scope_for(officer):
        file = casefile.open_case(officer, case.reference, via="api")
    assert file.waiting and all("event" in a._state.fields_cache for a in file.waiting)


def test_lists_are_paginated_and_hold_no_person(officer, case):
    client = client_for(officer)
    cases = client.get(f"{API}/cases").json()
    assert cases["count"] == 1 and cases["items"][0]["reference"] == case.reference
    assert "identity" not in cases["items"][0]
    worklist = client.get(f"{API}/worklist", {"rule": "no_return_decision"}).json()
    assert [row["case"]["reference"] for row in worklist["items"]] == [case.reference]


def test_recording_an_event_and_a_stale_version_is_409_with_the_first_change(officer, colleague, case):
    url = f"{API}/cases/{case.reference}/events"
    first = _post(
        client_for(officer),
        url,
        {"version": case.version, "kind": "counselling_session", "fields": {"remote": True}},
    )
    assert first.status_code == 201, first.json()
    assert first.json()["version"] == case.version + 1
    second = _post(
        client_for(colleague),
        url,
        {"version": case.version, "kind": "absconding_risk_assessed", "fields": {"risk": "low"}},
    )
    assert second.status_code == 409
    body = second.json()
    assert body["current_version"] == case.version + 1
    assert "counselling_session" in body["change"]


def test_bad_fields_are_422_naming_each_field(officer, case):
    response = _post(
        client_for(officer),
        f"{API}/cases/{case.reference}/events",
        {"version": case.version, "kind": "readmission_requested", "fields": {"channel": "pigeon"}},
    )
    assert response.status_code == 422
    assert {"channel"} <= {e["field"] for e in response.json()["errors"]}
    future = _post(
        client_for(officer),
        f"{API}/cases/{case.reference}/events",
        {"version": case.version, "kind": "absconded", "occurred_on": "2999-01-01"},
    )
    assert future.status_code == 422


def test_approval_by_another_officer_and_refused_to_the_requester(officer, colleague, case):
    approval = Approval.objects.get(case=case)
    url = f"{API}/cases/{case.reference}/approvals/{approval.pk}/approve"
    assert _post(client_for(officer), url, {"version": case.version}).status_code == 422
    approved = _post(client_for(colleague), url, {"version": case.version})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "voluntary_departure_period"


def test_flags_hold_open_and_search(officer, case):
    client = client_for(officer)
    flagged = _post(
        client, f"{API}/cases/{case.reference}/flags", {"version": case.version, "kind": "needs_attention"}
    )
    assert flagged.status_code == 201 and flagged.json()["flags"] == ["needs_attention"]
    version = flagged.json()["version"]
    cleared = _post(client, f"{API}/cases/{case.reference}/flags/needs_attention/clear", {"version": version})
    assert cleared.status_code == 200 and cleared.json()["flags"] == []
    not_held = _post(
        client, f"{API}/cases/{case.reference}/hold/release", {"version": cleared.json()["version"]}
    )
    assert not_held.status_code == 422
    opened = _post(
        client,
        f"{API}/cases",
        {"case_type": "voluntary", "third_country": "GE", "person": {"names": [{"family": "Beridze"}]}},
    )
    assert opened.status_code == 201, opened.json()
    assert opened.json()["member_state"] == "NL"
    found = _post(client, f"{API}/cases/search", {"q": "haddou"}).json()
    assert [c["reference"] for c in found] == [case.reference]


def test_another_member_states_officer_gets_404_on_every_case_id(make_user, case):
    client = client_for(make_user(Role.RETURN_OFFICER, organisation="be"))
    approval = Approval.objects.get(case=case)
    ref = case.reference
    assert client.get(f"{API}/cases/{ref}").status_code == 404
    for url, data in [
        (f"{API}/cases/{ref}/events", {"version": 1, "kind": "absconded"}),
        (f"{API}/cases/{ref}/flags", {"version": 1, "kind": "needs_attention"}),
        (f"{API}/cases/{ref}/flags/needs_attention/clear", {"version": 1}),
        (f"{API}/cases/{ref}/hold/release", {"version": 1}),
        (f"{API}/cases/{ref}/approvals/{approval.pk}/approve", {"version": 1}),
        (f"{API}/cases/{ref}/approvals/{approval.pk}/refuse", {"version": 1, "reason": "x"}),
        (f"{API}/cases/{ref}/approvals/{approval.pk}/revoke", {"version": 1, "reason": "x"}),
    ]:
        assert _post(client, url, data).status_code == 404, url
    assert client.get(f"{API}/cases").json()["count"] == 0
    assert _post(client, f"{API}/cases/search", {"q": "Haddou"}).json() == []
    assert _reads(case) == 0


@pytest.mark.parametrize(
    ("role", "organisation"),
    [(Role.RETURN_COORDINATOR, "com"), (Role.SECRETARIAT, "com"), (Role.BOARD_MEMBER, "frontex")],
)
def test_the_coordinator_the_commission_and_agencies_get_403(make_user, case, role, organisation):
    client = client_for(make_user(role, organisation=organisation))
    assert client.get(f"{API}/cases/{case.reference}").status_code == 403
    assert client.get(f"{API}/worklist").status_code == 403
    assert _post(client, f"{API}/cases/search", {"q": "Haddou"}).status_code == 403
    assert _reads(case) == 0
