"""The return cooperation API: the same rules as the pages; bad input a 422 with its reason,
never a 500; requests only for the two states concerned; the coordinator's view in sums."""

import pytest
from django.test import Client

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.cooperation.models import CharterFlight, PlaceOffer

from .conftest import days

pytestmark = pytest.mark.django_db
BASE = "/api/v1/returns/cooperation"


@pytest.fixture
def api(make_user):
    def client_for(role, state=None, organisation="com") -> Client:
        user = make_user(role, organisation=state or organisation, scope=state)
        _token, secret = account_tokens.issue_api_token(actor=user, name="test", scope="write")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)

    return client_for


def _post(client, url, body):
    return client.post(f"{BASE}{url}", body, content_type="application/json")


OFFER = {
    "member_state": "NL",
    "programme": "REAN",
    "third_countries": ["MA"],
    "places": 3,
    "period_start": str(days(0)),
    "period_end": str(days(90)),
    "request_deadline": str(days(30)),
    "package": "Ticket and a reintegration budget.",
}


def test_offer_request_answer_and_use_over_the_api(api):
    nl, de, be = (
        api(Role.RETURN_OFFICER, "nl"),
        api(Role.RETURN_OFFICER, "de"),
        api(Role.RETURN_OFFICER, "be"),
    )
    offer = _post(nl, "/offers", OFFER)
    assert offer.status_code == 201, offer.content
    offer_id = offer.json()["id"]
    too_many = _post(
        de, f"/offers/{offer_id}/requests", {"member_state": "DE", "third_country": "MA", "places": 4}
    )
    assert too_many.status_code == 422 and "places" in too_many.content.decode()
    made = _post(
        de, f"/offers/{offer_id}/requests", {"member_state": "DE", "third_country": "MA", "places": 2}
    )
    assert made.status_code == 201
    request_id = made.json()["id"]
    assert be.get(f"{BASE}/place-requests").json()["items"] == []
    assert _post(be, f"/place-requests/{request_id}/answer", {"accept": True}).status_code == 404
    assert _post(nl, f"/place-requests/{request_id}/answer", {"accept": True}).json()["status"] == "accepted"
    use = _post(
        de, f"/place-requests/{request_id}/uses", {"case_reference": "DE-77", "special_needs": ["medical"]}
    )
    assert use.status_code == 201 and use.json()["special_needs"] == ["medical"]
    assert nl.get(f"{BASE}/place-requests/{request_id}/uses").json()["items"][0]["case_reference"] == "DE-77"
    assert nl.get(f"{BASE}/offers").json()["items"][0]["accepted"] == 2


def test_bad_input_is_a_422_with_nothing_written(api):
    nl = api(Role.RETURN_OFFICER, "nl")
    own = _post(nl, "/offers", {**OFFER, "third_countries": ["NL"]})
    assert own.status_code == 422 and "territory" in own.content.decode()
    past = _post(
        nl,
        "/flights",
        {
            "organiser": "NL",
            "third_country": "GE",
            "departure_on": str(days(-2)),
            "seats": 3,
            "request_deadline": str(days(-4)),
        },
    )
    assert past.status_code == 422 and "past" in past.content.decode()
    bad_date = _post(
        nl,
        "/flights",
        {
            "organiser": "NL",
            "third_country": "GE",
            "departure_on": "2/3/2027",
            "seats": 3,
            "request_deadline": str(days(1)),
        },
    )
    assert bad_date.status_code == 422
    assert PlaceOffer.objects.count() == 0 and CharterFlight.objects.count() == 0
    assert nl.get(f"{BASE}/missions?quarter=7").status_code == 422


def test_the_last_seat_over_the_api(api):
    nl, de, be = (
        api(Role.RETURN_OFFICER, "nl"),
        api(Role.RETURN_OFFICER, "de"),
        api(Role.RETURN_OFFICER, "be"),
    )
    flight = _post(
        nl,
        "/flights",
        {
            "organiser": "NL",
            "third_country": "GE",
            "departure_on": str(days(20)),
            "seats": 1,
            "request_deadline": str(days(10)),
            "frontex_coordinated": True,
        },
    )
    assert flight.status_code == 201
    flight_id = flight.json()["id"]
    assert _post(de, f"/flights/{flight_id}/take", {"member_state": "DE", "seats": 1}).status_code == 201
    refused = _post(be, f"/flights/{flight_id}/take", {"member_state": "BE", "seats": 1})
    assert refused.status_code == 422 and "free" in refused.content.decode()
    assert nl.get(f"{BASE}/flights/{flight_id}").json()["free"] == 0


def test_the_coordinator_reads_sums_not_requests(api):
    nl, de = api(Role.RETURN_OFFICER, "nl"), api(Role.RETURN_OFFICER, "de")
    coordinator = api(Role.RETURN_COORDINATOR)
    offer_id = _post(nl, "/offers", OFFER).json()["id"]
    _post(de, f"/offers/{offer_id}/requests", {"member_state": "DE", "third_country": "MA", "places": 1})
    assert coordinator.get(f"{BASE}/place-requests").json()["items"] == []
    today = days(0)
    view = coordinator.get(f"{BASE}/overview?year={today.year}&quarter={(today.month - 1) // 3 + 1}")
    assert view.status_code == 200
    assert {r["country"]: r["places_offered"] for r in view.json()["countries"]}["MA"] == 3
    assert nl.get(f"{BASE}/overview?year={today.year}&quarter=1").status_code == 403
