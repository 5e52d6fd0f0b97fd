"""Demo data of return cooperation (RS 1, RS 2(b)): offers of places with requests, accepted
places and their use, a charter flight with requests, two missions to the quarter's priority
countries, a directory covering those countries (one entry due for review) and peer support
and trainings with who followed them. Deterministic; after the indicators' demo (priorities)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from ilonet.indicators import selectors as indicators
from ilonet.returns import selectors as returns

from .models import (
    CharterFlight,
    Mission,
    Opportunity,
    PlaceOffer,
    PlaceRequest,
    PlaceUse,
    SeatRequest,
    SupportItem,
    Uptake,
)
from .selectors import quarter_bounds, quarter_of


def _references(state: str, country: str, count: int, made_up: list[str]) -> list[str]:
    """References of the demo's open return cases of a state to a country (the links name real
    cases where the state manages them here), else the made-up references of a state that keeps
    its own case system."""
    if not returns.keeps_cases_here(state):
        return made_up[:count]
    return returns.open_case_references(state, country, limit=count)


DIRECTORY = {
    "MA": [
        (
            "international",
            "IOM Morocco",
            "Reintegration assistance",
            "Counselling on arrival and an in-kind grant for a small business or training.",
            ["arrival", "business", "employment"],
        ),  # noqa: E501
        (
            "local",
            "Association Amane",
            "Psychosocial support",
            "Individual and group sessions in Rabat and Casablanca.",
            ["psychosocial"],
        ),
    ],  # noqa: E501
    "NG": [
        (
            "development",
            "EU-funded job centre Lagos",
            "Vocational training",
            "Six-month courses in trades with a tool kit.",
            ["employment", "education"],
        )
    ],  # noqa: E501
    "IQ": [
        (
            "international",
            "IOM Iraq",
            "Reintegration and housing",
            "Temporary housing and help to find rental housing in Erbil and Baghdad.",
            ["housing", "arrival"],
        )
    ],  # noqa: E501
    "GE": [
        (
            "national",
            "Ministry of Internally Displaced Persons",
            "State reintegration programme",
            "Medical referrals and small grants for returning citizens.",
            ["medical", "business"],
        ),  # noqa: E501
        (
            "local",
            "Tbilisi legal aid centre",
            "Legal and administrative help",
            "Documents, registration and civil-status questions.",
            ["legal"],
        ),
    ],  # noqa: E501
}


def _offers(today: date) -> None:
    nl = PlaceOffer.objects.create(
        member_state="NL",
        programme="REAN Netherlands",
        third_countries=["MA", "GE", "IQ"],
        places=20,
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=150),
        request_deadline=today + timedelta(days=45),
        package="Ticket, departure counselling, a reintegration budget in kind and follow-up for six months.",
        conditions="Voluntary departure agreed; no entry ban pending.",
    )
    be = PlaceOffer.objects.create(
        member_state="BE",
        programme="Fedasil reintegration",
        third_countries=["NG", "MA"],
        places=8,
        period_start=today,
        period_end=today + timedelta(days=120),
        request_deadline=today + timedelta(days=20),
        package="Reintegration support through partner organisations in the country of return.",
    )
    accepted = PlaceRequest.objects.create(
        offer=nl,
        member_state="DE",
        third_country="MA",
        places=4,
        status="accepted",
        answered_at=timezone.now(),
    )
    PlaceRequest.objects.create(offer=nl, member_state="BE", third_country="GE", places=2)
    PlaceRequest.objects.create(offer=be, member_state="NL", third_country="NG", places=3)
    own = PlaceRequest.objects.create(
        offer=be,
        member_state="NL",
        third_country="MA",
        places=2,
        status="accepted",
        answered_at=timezone.now(),
    )
    PlaceUse.objects.create(
        request=accepted,
        case_reference=(_references("DE", "MA", 1, ["DE-RC-2026-0117"]) or ["DE-RC-2026-0117"])[0],
        persons=3,
        planned_departure=today + timedelta(days=14),
        special_needs=["family"],
    )
    PlaceUse.objects.create(
        request=own,
        case_reference=(_references("NL", "MA", 1, ["NL-TRC-2026-0042"]) or ["NL-TRC-2026-0042"])[0],
        persons=1,
        planned_departure=today + timedelta(days=21),
    )


def _flights(today: date) -> None:
    departure = today + timedelta(days=20)
    flight = CharterFlight.objects.create(
        organiser="NL",
        frontex_coordinated=True,
        third_country="GE",
        departure_on=departure,
        seats=12,
        request_deadline=departure - timedelta(days=2),
        allocated=7,
        note="Frontex-coordinated return operation; escorts provided by each participating state.",
    )
    SeatRequest.objects.create(
        flight=flight,
        member_state="DE",
        seats=5,
        allocated=5,
        status="accepted",
        case_references=_references("DE", "GE", 2, ["DE-RC-2026-0201", "DE-RC-2026-0202"]),
    )
    SeatRequest.objects.create(flight=flight, member_state="BE", seats=3, allocated=2, status="accepted")
    SeatRequest.objects.create(flight=flight, member_state="AT", seats=2)
    belgian = CharterFlight.objects.create(
        organiser="BE",
        third_country="NG",
        departure_on=today + timedelta(days=50),
        seats=20,
        request_deadline=today + timedelta(days=35),
        allocated=2,
    )
    SeatRequest.objects.create(
        flight=belgian,
        member_state="NL",
        seats=3,
        allocated=2,
        status="accepted",
        case_references=_references("NL", "NG", 1, ["NL-TRC-2026-0077"]),
    )


def _missions(today: date) -> None:
    start, _end = quarter_bounds(*quarter_of(today))
    held_on = start + (today - start) / 2
    Mission.objects.create(
        kind="identification",
        host="NL",
        third_country="MA",
        starts_on=held_on,
        ends_on=held_on + timedelta(days=2),
        joining_states=["BE", "DE"],
        persons_to_present=24,
        status="held",
        identified=18,
        documents_promised=15,
        documents_issued=9,
        note="Delegation of the Moroccan consular services.",
    )
    Mission.objects.create(
        kind="joint",
        host="EU",
        third_country="IQ",
        starts_on=today + timedelta(days=12),
        ends_on=today + timedelta(days=14),
        joining_states=["NL", "DE", "SE"],
        with_eeas=True,
        note="Input of the EMLOs and EURLOs in Baghdad and Erbil.",
    )


def _directory(today: date) -> None:
    year, quarter = quarter_of(today)
    priorities = {p.country for p in indicators.priorities(year=year, quarter=quarter)} or set(DIRECTORY)
    for country in sorted(priorities | set(DIRECTORY)):
        for kind, organisation, title, offers, needs in DIRECTORY.get(country, []):
            Opportunity.objects.create(
                country=country,
                provider_kind=kind,
                organisation=organisation,
                title=title,
                offers=offers,
                eligibility="Returnees from EU member states, voluntary or forced return.",
                needs=needs,
                valid_from=today - timedelta(days=200),
                valid_until=today + timedelta(days=365),
                reviewed_on=today - timedelta(days=40),
                entered_by_state="NL",
            )
    Opportunity.objects.filter(country="GE", provider_kind="local").update(
        reviewed_on=today - timedelta(days=420)  # due for review
    )


def _support(today: date) -> None:
    offer = SupportItem.objects.create(
        kind="offer",
        topic="counselling",
        provider="NL",
        title="Setting up return counselling desks",
        description="Study visits and coaching for states building counselling structures.",
    )
    SupportItem.objects.create(
        kind="request",
        topic="digitalisation",
        provider="BE",
        title="Digital return case management",
        description="Help with the Frontex model of a return case management system.",
    )
    training = SupportItem.objects.create(
        kind="training",
        topic="fundamental_rights",
        provider="frontex",
        fundamental_rights=True,
        title="Fundamental rights in return operations",
        description="Online course for return counsellors and escorts.",
    )
    tool = SupportItem.objects.create(
        kind="tool",
        topic="reintegration",
        provider="frontex",
        title="Reintegration assistance tool",
        description="Case tool of the Frontex joint reintegration services.",
    )
    for item, participant, days_ago in (
        (training, "NL", 60),
        (training, "DE", 30),
        (training, "BE", 10),
        (tool, "NL", 90),
        (offer, "AT", 20),
    ):
        Uptake.objects.create(item=item, participant=participant, taken_on=today - timedelta(days=days_ago))


def seed_cooperation() -> None:
    today = timezone.localdate()
    _offers(today)
    _flights(today)
    _missions(today)
    _directory(today)
    _support(today)
