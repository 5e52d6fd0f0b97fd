"""The mission calendar linked to the quarter's priority countries (RS 1) and the
coordinator's quarterly view: sums per country, no case-level data."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ilonet.cooperation import selectors
from ilonet.cooperation.models import Mission
from ilonet.cooperation.services import flights, missions, places
from ilonet.indicators import services as indicator_services

from .conftest import days, make_flight, make_offer

pytestmark = pytest.mark.django_db


def _priority(coordinator, country, day):
    year, quarter = selectors.quarter_of(day)
    indicator_services.set_priority(
        actor=coordinator, year=year, quarter=quarter, country=country, grounds=["action_plan"]
    )
    return year, quarter


def test_the_calendar_marks_missions_to_the_quarters_priority_countries(officer, coordinator):
    day = days(5)
    year, quarter = _priority(coordinator, "GE", day)
    nl = officer("nl")
    to_priority = missions.record_mission(
        actor=nl,
        kind="identification",
        host="NL",
        third_country="GE",
        starts_on=day,
        ends_on=day,
        joining_states=["BE", "DE", "NL"],
        persons_to_present=12,
    )
    other = missions.record_mission(
        actor=coordinator,
        kind="joint",
        host="EU",
        third_country="SN",
        starts_on=day,
        ends_on=day,
        with_eeas=True,
    )
    entries = {
        e.mission.pk: e.priority for e in selectors.calendar(selectors.missions(year=year, quarter=quarter))
    }
    assert entries == {to_priority.pk: True, other.pk: False}
    assert to_priority.joining_states == ["BE", "DE"]  # the host does not join itself


def test_only_the_commission_hosts_as_eu_and_an_officer_hosts_for_own_state(officer):
    nl = officer("nl")
    with pytest.raises(PermissionDenied):
        missions.record_mission(
            actor=nl, kind="joint", host="EU", third_country="GE", starts_on=days(1), ends_on=days(2)
        )
    with pytest.raises(PermissionDenied):
        missions.record_mission(
            actor=nl, kind="identification", host="DE", third_country="GE", starts_on=days(1), ends_on=days(2)
        )
    assert Mission.objects.count() == 0


def test_an_outcome_counts_persons_and_documents(officer):
    nl = officer("nl")
    mission = missions.record_mission(
        actor=nl,
        kind="identification",
        host="NL",
        third_country="GE",
        starts_on=days(1),
        ends_on=days(2),
        persons_to_present=10,
    )
    with pytest.raises(ValidationError, match="More persons identified"):
        missions.record_outcome(actor=nl, mission=mission, status="held", identified=11)
    with pytest.raises(ValidationError, match="Only a mission held"):
        missions.record_outcome(actor=nl, mission=mission, status="cancelled", identified=1)
    done = missions.record_outcome(
        actor=nl, mission=mission, status="held", identified=8, documents_promised=6, documents_issued=4
    )
    assert (done.identified, done.documents_promised, done.documents_issued) == (8, 6, 4)


def test_the_quarterly_view_sums_per_country_without_case_data(officer, coordinator):
    day = days(0)
    year, quarter = _priority(coordinator, "MA", day)
    nl, de = officer("nl"), officer("de")
    offer = make_offer(nl, places=10, third_countries=["MA"])
    request = places.request_places(actor=de, offer=offer, member_state="DE", third_country="MA", places=4)
    places.answer_request(actor=nl, request=request, accept=True)
    places.record_use(actor=de, request=request, case_reference="DE-SECRET-1", persons=2)
    start, end = selectors.quarter_bounds(year, quarter)
    if days(20) <= end:
        flight = make_flight(nl, third_country="MA", seats=6)
        flights.take_seats(actor=de, flight=flight, member_state="DE", seats=2)
    mission = missions.record_mission(
        actor=nl,
        kind="identification",
        host="NL",
        third_country="MA",
        starts_on=day,
        ends_on=day,
        persons_to_present=5,
    )
    missions.record_outcome(actor=nl, mission=mission, status="held", identified=3, documents_issued=2)
    rows = {r.country: r for r in selectors.overview(year=year, quarter=quarter)}
    ma = rows["MA"]
    assert ma.priority
    assert (ma.places_offered, ma.places_accepted, ma.places_used) == (10, 4, 2)
    assert (ma.missions_held, ma.identified, ma.documents_issued) == (1, 3, 2)
    if days(20) <= end:
        assert (ma.flights, ma.seats_offered, ma.seats_filled) == (1, 6, 2)
    assert "DE-SECRET-1" not in repr(selectors.overview(year=year, quarter=quarter))


def test_only_the_coordinator_opens_the_quarterly_view(officer, coordinator, login):
    assert login(coordinator).get("/returns/cooperation/overview/").status_code == 200
    assert login(officer("nl")).get("/returns/cooperation/overview/").status_code == 403


def test_states_with_open_return_cases_for_a_country_work_on_it(officer, settings, tmp_path):
    """RS 1: offers and flights for a country reach the states that have return cases for it;
    the return-case module answers with state codes only, and a closed case does not count."""
    from ilonet.returns.services import cases as case_services
    from ilonet.returns.tests.conftest import PERSON

    settings.PERSONAL_DATA_KEY_DIR = tmp_path / "keys"
    assert "BE" not in selectors.states_working_on("DZ")
    case_services.open_case(actor=officer("be"), case_type="enforced", third_country="DZ", person=PERSON)
    assert "BE" in selectors.states_working_on("DZ")
    assert "BE" not in selectors.states_working_on("TN")


def test_the_progress_report_carries_the_quarters_cooperation_without_case_references(officer, coordinator):
    """RS 1: the cooperation feeds the progress report for the high-level network (sums only)."""
    import io

    from pdfminer.high_level import extract_text

    from ilonet.indicators import report
    from ilonet.shared.pdf import render_pdf

    day = days(0)
    year, quarter = _priority(coordinator, "MA", day)
    nl, de = officer("nl"), officer("de")
    offer = make_offer(nl, places=10, third_countries=["MA"])
    request = places.request_places(actor=de, offer=offer, member_state="DE", third_country="MA", places=4)
    places.answer_request(actor=nl, request=request, accept=True)
    places.record_use(actor=de, request=request, case_reference="DE-SECRET-1", persons=2)
    context = report.context(year, quarter)
    rows = next(s["rows"] for s in context["sections"] if s["template"].startswith("cooperation/"))
    assert [(r.country, r.places_offered, r.places_used) for r in rows if r.country == "MA"] == [
        ("MA", 10, 2)
    ]
    text = " ".join(
        extract_text(io.BytesIO(render_pdf("indicators/pdf/progress_report.html", context))).split()
    )
    assert "Return cooperation between member states in the quarter" in text
    assert "Morocco" in text and "DE-SECRET-1" not in text
