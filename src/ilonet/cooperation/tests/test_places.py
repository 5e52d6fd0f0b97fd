"""Shared places in voluntary return and reintegration programmes (RS 1, RS 2(b)): offer,
request (a count), answer, use; the refusals leave nothing written."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ilonet.audit.models import AuditEvent
from ilonet.cooperation import selectors
from ilonet.cooperation.models import PlaceOffer, PlaceRequest, PlaceUse, RequestStatus
from ilonet.cooperation.services import places

from .conftest import days, make_offer

pytestmark = pytest.mark.django_db


def test_offer_request_accept_and_use_of_places(officer):
    nl, de = officer("nl"), officer("de")
    offer = make_offer(nl)
    request = places.request_places(actor=de, offer=offer, member_state="DE", third_country="MA", places=3)
    assert request.status == RequestStatus.PENDING
    places.answer_request(actor=nl, request=request, accept=True)
    use = places.record_use(
        actor=de, request=request, case_reference="DE-2026-0042", persons=2, special_needs=["family"]
    )
    assert (use.case_reference, use.persons, use.special_needs) == ("DE-2026-0042", 2, ["family"])
    assert selectors.offers().get(pk=offer.pk).accepted == 3
    assert selectors.place_requests(user=de).get().used == 2
    names = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "cooperation.offer_published",
        "cooperation.places_requested",
        "cooperation.places_answered",
        "cooperation.place_used",
    } <= names
    # the audit trail keeps no case reference
    assert "DE-2026-0042" not in str(AuditEvent.objects.get(action="cooperation.place_used").details)


def test_a_declined_request_gives_no_place(officer):
    nl, de = officer("nl"), officer("de")
    request = places.request_places(
        actor=de, offer=make_offer(nl), member_state="DE", third_country="GE", places=1
    )
    places.answer_request(actor=nl, request=request, accept=False, note="Programme full for Georgia.")
    with pytest.raises(ValidationError, match="Only accepted places"):
        places.record_use(actor=de, request=request, case_reference="DE-1")


def test_more_places_than_offered_are_refused(officer):
    nl, de, be = officer("nl"), officer("de"), officer("be")
    offer = make_offer(nl, places=4)
    with pytest.raises(ValidationError, match="Only 4 of the 4 places"):
        places.request_places(actor=de, offer=offer, member_state="DE", third_country="MA", places=5)
    first = places.request_places(actor=de, offer=offer, member_state="DE", third_country="MA", places=3)
    second = places.request_places(actor=be, offer=offer, member_state="BE", third_country="MA", places=2)
    places.answer_request(actor=nl, request=first, accept=True)
    with pytest.raises(ValidationError, match="more places than offered"):
        places.answer_request(actor=nl, request=second, accept=True)
    assert PlaceRequest.objects.get(pk=second.pk).status == RequestStatus.PENDING
    with pytest.raises(ValidationError, match="Only 1 of the 4"):
        places.request_places(actor=be, offer=offer, member_state="BE", third_country="MA", places=2)


def test_uses_never_exceed_the_places_accepted(officer):
    nl, de = officer("nl"), officer("de")
    request = places.request_places(
        actor=de, offer=make_offer(nl), member_state="DE", third_country="MA", places=2
    )
    places.answer_request(actor=nl, request=request, accept=True)
    places.record_use(actor=de, request=request, case_reference="DE-1", persons=2)
    with pytest.raises(ValidationError, match="0 of the 2"):
        places.record_use(actor=de, request=request, case_reference="DE-2")
    assert PlaceUse.objects.count() == 1


def test_a_case_reference_is_a_reference_not_a_name(officer):
    nl, de = officer("nl"), officer("de")
    request = places.request_places(
        actor=de, offer=make_offer(nl), member_state="DE", third_country="MA", places=2
    )
    places.answer_request(actor=nl, request=request, accept=True)
    with pytest.raises(ValidationError) as error:
        places.record_use(actor=de, request=request, case_reference="Mohamed El Amrani")
    assert "case_reference" in error.value.message_dict
    assert PlaceUse.objects.count() == 0


def test_requests_after_the_deadline_are_refused(officer):
    nl, de = officer("nl"), officer("de")
    offer = make_offer(nl, request_deadline=days(5))
    with (
        mock.patch("django.utils.timezone.localdate", return_value=days(6)),
        pytest.raises(ValidationError, match="closed on"),
    ):
        places.request_places(actor=de, offer=offer, member_state="DE", third_country="MA", places=1)
    assert PlaceRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("countries", "reason"),
    [
        (["NL"], "territory of the member state itself"),
        (["GP"], "territory of the member state"),  # Guadeloupe, for a French offer below
        (["BE"], "is an EU member state"),
        (["NO"], "Schengen-associated"),
        (["XX"], "not a country code"),
    ],
)
def test_an_offer_for_own_territory_or_outside_the_third_country_list_is_refused(officer, countries, reason):
    state = "FR" if countries == ["GP"] else "NL"
    actor = officer(state.lower())
    with pytest.raises(ValidationError, match=reason):
        make_offer(actor, member_state=state, third_countries=countries)
    assert PlaceOffer.objects.count() == 0


def test_a_return_officer_offers_only_for_their_own_member_state(officer):
    with pytest.raises(PermissionDenied):
        make_offer(officer("de"), member_state="NL")


def test_free_text_with_personal_data_is_refused(officer):
    with pytest.raises(ValidationError) as error:
        make_offer(officer("nl"), conditions="Call our counsellor on +31 6 12345678 first.")
    assert "conditions" in error.value.message_dict
    assert PlaceOffer.objects.count() == 0


def test_requests_are_seen_by_the_two_states_only(officer, coordinator):
    nl, de, be = officer("nl"), officer("de"), officer("be")
    request = places.request_places(
        actor=de, offer=make_offer(nl), member_state="DE", third_country="MA", places=1
    )
    assert list(selectors.place_requests(user=de)) == [request]
    assert list(selectors.place_requests(user=nl)) == [request]
    assert list(selectors.place_requests(user=be)) == []
    assert list(selectors.place_requests(user=coordinator)) == []


def test_a_state_that_manages_its_cases_here_links_only_its_own_cases(officer, settings, tmp_path):
    """RS 2(b): a place is used by a case of the requesting state. Where that state manages its
    return cases on the platform the reference must name one of them; a state that keeps its own
    case system names its own references (only their form is checked)."""
    from ilonet.returns.services import cases as case_services
    from ilonet.returns.tests.conftest import PERSON

    settings.PERSONAL_DATA_KEY_DIR = tmp_path / "keys"
    nl, de, be = officer("nl"), officer("de"), officer("be")
    offer = make_offer(nl, places=10)
    german = places.request_places(actor=de, offer=offer, member_state="DE", third_country="MA", places=4)
    belgian = places.request_places(actor=be, offer=offer, member_state="BE", third_country="MA", places=2)
    places.answer_request(actor=nl, request=german, accept=True)
    places.answer_request(actor=nl, request=belgian, accept=True)
    case = case_services.open_case(actor=de, case_type="voluntary", third_country="MA", person=PERSON)

    with pytest.raises(ValidationError) as error:
        places.record_use(actor=de, request=german, case_reference="DE-2026-0042", persons=1)
    assert "none of them has the reference DE-2026-0042" in str(error.value.message_dict["case_reference"])
    assert not PlaceUse.objects.exists()
    assert places.record_use(actor=de, request=german, case_reference=case.reference, persons=1).persons == 1
    assert places.record_use(actor=be, request=belgian, case_reference="BE-OWN-77", persons=1).persons == 1
