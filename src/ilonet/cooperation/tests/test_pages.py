"""The pages of return cooperation, on the demo data: each opens for the roles that may see
it, forms refuse bad input with the reason (422), requests are shown to the two states only."""

import pytest
from django.urls import reverse

from ilonet.cooperation import demo
from ilonet.cooperation.models import (
    CharterFlight,
    Mission,
    Opportunity,
    PlaceOffer,
    PlaceRequest,
    SupportItem,
)

from .conftest import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    demo.seed_cooperation()


def _pages():
    offer = PlaceOffer.objects.get(member_state="NL")
    accepted = PlaceRequest.objects.get(member_state="DE")
    flight = CharterFlight.objects.get(organiser="NL")
    return [
        reverse("cooperation:offer_list"),
        reverse("cooperation:offer_new"),
        reverse("cooperation:offer_detail", args=[offer.pk]),
        reverse("cooperation:request_uses", args=[accepted.pk]),
        reverse("cooperation:flight_list"),
        reverse("cooperation:flight_new"),
        reverse("cooperation:flight_detail", args=[flight.pk]),
        reverse("cooperation:mission_list"),
        reverse("cooperation:mission_new"),
        reverse("cooperation:mission_outcome", args=[Mission.objects.first().pk]),
        reverse("cooperation:opportunity_list"),
        reverse("cooperation:opportunity_new"),
        reverse("cooperation:opportunity_review", args=[Opportunity.objects.first().pk]),
        reverse("cooperation:support_list"),
        reverse("cooperation:support_new"),
        reverse("cooperation:uptake_new", args=[SupportItem.objects.first().pk]),
    ]


def test_every_page_opens_for_the_organising_state(seeded, officer, login):
    client = login(officer("nl"))
    for url in _pages():
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(
        reverse("cooperation:offer_detail", args=[PlaceOffer.objects.get(member_state="NL").pk])
    )
    assert "Accept" in detail.content.decode()  # the offering state answers the pending request


def test_a_third_state_sees_the_offer_but_not_its_requests(seeded, officer, login):
    client = login(officer("se"))
    offer = PlaceOffer.objects.get(member_state="NL")
    page = client.get(reverse("cooperation:offer_detail", args=[offer.pk])).content.decode()
    assert "REAN Netherlands" in page and "No requests you may see." in page
    flight = CharterFlight.objects.get(organiser="NL")
    page = client.get(reverse("cooperation:flight_detail", args=[flight.pk])).content.decode()
    assert "DE-RC-2026-0201" not in page
    accepted = PlaceRequest.objects.get(member_state="DE")
    assert client.get(reverse("cooperation:request_uses", args=[accepted.pk])).status_code == 404


def test_the_coordinator_sees_sums_and_no_case_reference(seeded, coordinator, login):
    client = login(coordinator)
    page = client.get(reverse("cooperation:overview")).content.decode()
    assert "DE-RC" not in page and "NL-TRC" not in page
    flight = CharterFlight.objects.get(organiser="NL")
    assert (
        "DE-RC-2026-0201"
        not in client.get(reverse("cooperation:flight_detail", args=[flight.pk])).content.decode()
    )


def test_a_form_refuses_a_flight_in_the_past_with_the_reason(officer, login):
    client = login(officer("nl"))
    response = client.post(
        reverse("cooperation:flight_new"),
        {
            "organiser": "NL",
            "third_country": "GE",
            "departure_on": str(days(-1)),
            "seats": 3,
            "request_deadline": str(days(-3)),
        },
    )
    assert response.status_code == 422
    assert "departs in the past" in response.content.decode()
    assert CharterFlight.objects.count() == 0


def test_answering_a_request_from_the_page(seeded, officer, login):
    client = login(officer("nl"))
    pending = PlaceRequest.objects.get(member_state="BE", offer__member_state="NL")
    response = client.post(reverse("cooperation:request_answer", args=[pending.pk]), {"accept": "yes"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "accepted"


def test_the_directory_search_answers_htmx_with_the_results_only(seeded, officer, login):
    client = login(officer("de"))
    response = client.get(
        reverse("cooperation:opportunity_list") + "?country=GE&need=legal", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Tbilisi legal aid centre" in body and "<html" not in body
    assert "Due for review" in body


def test_the_home_page_lists_the_requests_waiting_for_the_states_answer(seeded, officer, login):
    body = login(officer("nl")).get(reverse("home")).content.decode()
    assert 'data-home-panel="cooperation"' in body
    assert "Belgium: 2 places (Georgia)" in body and "Austria: 2 seats (Georgia" in body
    other = login(officer("se")).get(reverse("home")).content.decode()
    assert "No request waits for your answer." in other


def test_a_requesting_state_reaches_its_seats_from_the_flight(seeded, officer, login):
    client = login(officer("nl"))
    flight = CharterFlight.objects.get(organiser="BE")
    page = client.get(reverse("cooperation:flight_detail", args=[flight.pk])).content.decode()
    request = flight.requests.get(member_state="NL")
    assert reverse("cooperation:seats_cases", args=[request.pk]) in page
    assert client.get(reverse("cooperation:seats_cases", args=[request.pk])).status_code == 200
