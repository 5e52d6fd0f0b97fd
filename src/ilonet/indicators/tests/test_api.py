"""The return coordination API: the same rules as the pages, aggregates only, bad input answered
with 422 (field and message) and never a 500; Eurostat files refused with line and column."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.indicators.eurostat.load import load_stream
from ilonet.indicators.models import CapabilityEntry, EurostatLoad, EurostatObservation, Obstacle

from .samples import BASE_DIMS, tsv

pytestmark = pytest.mark.django_db
BASE = "/api/v1/returns/indicators"
ENTRY = {"country": "NL", "capability": "return_counselling", "effective_from": "2023-01-01"}


@pytest.fixture
def api(make_user):
    def client_for(role, scope=None, token_scope="write") -> Client:  # noqa: S107 (a token scope)
        user = make_user(role, scope=scope)
        _token, secret = account_tokens.issue_api_token(actor=user, name="test", scope=token_scope)
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)

    return client_for


def _post(client, url, body):
    return client.post(f"{BASE}{url}", body, content_type="application/json")


def _figures():
    load_stream(
        tsv(BASE_DIMS, ["2022", "2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["400", "200 p"])]),
        dataset="migr_eiord",
    )
    load_stream(
        tsv(BASE_DIMS, ["2022", "2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["100", "50"])]),
        dataset="migr_eirtn",
    )


def test_definitions_and_figures_with_flags(api):
    _figures()
    client = api(Role.SECRETARIAT, token_scope="read")
    definitions = client.get(f"{BASE}/definitions").json()
    assert {"return_rate", "voluntary_share", "tc_jrs_covered"} <= {d["code"] for d in definitions}
    assert all(d["definition"] for d in definitions)
    body = client.get(f"{BASE}/figures", {"indicator": "return_rate", "geo": "AT"}).json()
    by_period = {f["period"]: f for f in body["items"]}
    assert by_period["2022"]["value"] == 25.0 and by_period["2022"]["flags"] == ""
    assert (by_period["2023"]["numerator"], by_period["2023"]["denominator"]) == (50, 200)
    assert by_period["2023"]["flags"] == "p"


@pytest.mark.parametrize(
    "query",
    [{}, {"indicator": "nonsense"}, {"indicator": "return_rate", "page": "x"}],
)
def test_bad_figure_queries_get_422(api, query):
    response = api(Role.RETURN_COORDINATOR).get(f"{BASE}/figures", query)
    assert response.status_code == 422 and response.json()["errors"]


def test_other_roles_are_refused(api):
    client = api(Role.OBSERVER)
    for url in ("/definitions", "/figures?indicator=return_rate", "/register", "/targets", "/obstacles"):
        assert client.get(f"{BASE}{url}").status_code == 403, url


def test_a_return_officer_records_their_own_member_states_capability_only(api):
    officer = api(Role.RETURN_OFFICER, scope="nl")
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    body = {"country": "NL", "capability": "return_counselling", "effective_from": day}
    response = _post(officer, "/register", body)
    assert response.status_code == 201 and response.json()["country"] == "NL"
    assert AuditEvent.objects.filter(action="indicators.capability_recorded").count() == 1
    assert _post(officer, "/register", {**body, "country": "BE"}).status_code == 403
    listed = officer.get(f"{BASE}/register", {"country": "nl"}).json()["items"]
    assert [e["capability"] for e in listed] == ["return_counselling"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**ENTRY, "capability": "flying"}, "capability"),
        ({**ENTRY, "effective_from": "01/02/2023"}, "effective_from"),
        ({**ENTRY, "effective_from": "2999-01-01"}, "effective_from"),
        ({**ENTRY, "x": 1}, "x"),
        ({**ENTRY, "country": "MA"}, "country"),
        ({**ENTRY, "country": "NLD"}, "country"),
    ],
)
def test_bad_register_entries_get_422_with_the_field(api, body, field):
    response = _post(api(Role.RETURN_COORDINATOR), "/register", body)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == field
    assert CapabilityEntry.objects.count() == 0


def test_priorities_and_joint_actions(api):
    coordinator = api(Role.RETURN_COORDINATOR)
    body = {"year": 2025, "quarter": 2, "country": "MA", "grounds": ["action_plan", "council"]}
    response = _post(coordinator, "/priorities", body)
    assert response.status_code == 201, response.content
    priority = response.json()
    action = {"kind": "charter", "description": "Joint charter", "member_states": ["NL", "BE"]}
    assert _post(coordinator, f"/priorities/{priority['id']}/actions", action).status_code == 201
    listed = coordinator.get(f"{BASE}/priorities", {"year": 2025, "quarter": 2}).json()
    assert [(p["country"], len(p["actions"])) for p in listed["items"]] == [("MA", 1)]
    assert _post(api(Role.RETURN_OFFICER, scope="nl"), "/priorities", body).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2025, "quarter": 2, "country": "NL", "grounds": ["council"]}, "country"),
        ({"year": 2025, "quarter": 5, "country": "MA", "grounds": ["council"]}, "quarter"),
        ({"year": 2025, "quarter": 2, "country": "MA", "grounds": []}, "grounds"),
        ({"year": 2025, "quarter": 2, "country": "MA", "grounds": ["whim"]}, "grounds"),
        ({"year": "soon", "quarter": 2, "country": "MA", "grounds": ["council"]}, "year"),
    ],
)
def test_bad_priorities_get_422(api, body, field):
    response = _post(api(Role.RETURN_COORDINATOR), "/priorities", body)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"].startswith(field)


def test_a_joint_action_for_a_missing_priority_is_not_found(api):
    action = {"kind": "charter", "description": "x"}
    assert _post(api(Role.RETURN_COORDINATOR), "/priorities/999999/actions", action).status_code == 404


def test_obstacles_reported_and_followed_up(api):
    officer = api(Role.RETURN_OFFICER, scope="nl")
    body = {"member_state": "NL", "third_country": "MA", "title": "Slow answers", "description": "Late."}
    response = _post(officer, "/obstacles", body)
    assert response.status_code == 201 and response.json()["status"] == "open"
    assert _post(officer, "/obstacles", {**body, "member_state": "BE"}).status_code == 403
    coordinator = api(Role.RETURN_COORDINATOR)
    update = {"status": "resolved", "owner": "DG HOME", "resolution": "Contact point named."}
    patched = coordinator.patch(
        f"{BASE}/obstacles/{response.json()['id']}", update, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["status"] == "resolved"
    assert officer.get(f"{BASE}/obstacles").json()["items"][0]["status"] == "resolved"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"member_state": "MA", "title": "t", "description": "d"}, "member_state"),
        ({"member_state": "NL", "third_country": "BE", "title": "t", "description": "d"}, "third_country"),
        ({"member_state": "NL", "title": "", "description": "d"}, "title"),
        ({"member_state": "NL", "title": "t", "description": "d", "deadline": "tomorrow"}, "deadline"),
    ],
)
def test_bad_obstacles_get_422(api, body, field):
    response = _post(api(Role.RETURN_COORDINATOR), "/obstacles", body)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == field
    assert Obstacle.objects.count() == 0


def test_a_bad_obstacle_status_gets_422(api):
    coordinator = api(Role.RETURN_COORDINATOR)
    made = _post(coordinator, "/obstacles", {"member_state": "NL", "title": "t", "description": "d"}).json()
    response = coordinator.patch(
        f"{BASE}/obstacles/{made['id']}", {"status": "forgotten"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "status"


def test_targets_are_listed_with_their_status(api):
    from ilonet.indicators.services import ensure_strategy_targets

    ensure_strategy_targets(baseline_date=timezone.localdate() - timedelta(days=400))
    targets = api(Role.CHAIR, token_scope="read").get(f"{BASE}/targets").json()
    assert len(targets) == 4 and all(t["status"] in {"met", "on_track", "behind", "missed"} for t in targets)


def _upload(client, data: bytes, dataset="migr_eirtn"):
    f = SimpleUploadedFile("estat.tsv", data, content_type="text/tab-separated-values")
    return client.post(f"{BASE}/eurostat/loads?dataset={dataset}", {"file": f})


def test_a_eurostat_file_is_loaded_once_through_the_api(api):
    coordinator = api(Role.RETURN_COORDINATOR)
    data = tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["5 p"])]).getvalue()
    first = _upload(coordinator, data)
    assert first.status_code == 201 and first.json()["observations"] == 1
    second = _upload(coordinator, data)
    assert second.status_code == 200 and second.json()["created"] is False
    assert [x["dataset"] for x in coordinator.get(f"{BASE}/eurostat/loads").json()["items"]] == ["migr_eirtn"]


def test_a_bad_eurostat_file_gets_422_with_line_and_column_and_nothing_kept(api):
    coordinator = api(Role.RETURN_COORDINATOR)
    data = tsv(
        BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["5"]), ("A,TOTAL,TOTAL,T,PER,ZZ", ["6 q"])]
    ).getvalue()
    response = _upload(coordinator, data)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors and all(e["field"].startswith("line 3, column ") for e in errors)
    assert EurostatLoad.objects.count() == 0 and EurostatObservation.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "dataset"),
    [
        (b"", "migr_eirtn"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "migr_eirtn"),
        (b"freq,geo\\TIME_PERIOD\t2023 \nA,AT\t5 \n", "no_such_table"),
        (b"just one line without tabs\n", "migr_eirtn"),
    ],
)
def test_odd_eurostat_uploads_are_refused_never_an_error(api, data, dataset):
    response = _upload(api(Role.RETURN_COORDINATOR), data, dataset=dataset)
    assert response.status_code in (415, 422), (response.status_code, response.content)
    body = response.json()
    assert body.get("errors") or body.get("detail")
    assert EurostatLoad.objects.count() == 0


def test_an_unknown_table_is_a_bad_dataset_parameter(api):
    data = tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["5"])]).getvalue()
    response = _upload(api(Role.RETURN_COORDINATOR), data, dataset="migr_nothing")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "dataset"


def test_only_the_coordinator_loads_eurostat_files(api):
    data = tsv(BASE_DIMS, ["2023"], [("A,TOTAL,TOTAL,T,PER,AT", ["5"])]).getvalue()
    assert _upload(api(Role.RETURN_OFFICER, scope="nl"), data).status_code == 403
    assert EurostatLoad.objects.count() == 0
