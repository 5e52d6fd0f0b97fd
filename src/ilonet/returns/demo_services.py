"""Demo return cases made through the services, end to end (the site's demo uses the faster
``demo.py``): cases of several member states in every stage (audited, sealed, approved by a
second officer), seeded for repeatability.

``seed_demo_cases(officers={"NL": [a, b], "DE": [c, d]}, count=300)``: each member state needs
two return officers (a step is approved by someone other than its requester). Called by the
site's ``seed_demo`` once the demo's return officers exist.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from .services import approvals, cases, flags, timeline

FAMILY = ["Benali", "Haddad", "Okafor", "Mensah", "Rahimi", "Karimi", "Diallo", "Traoré", "Nguyen", "Petrov"]
GIVEN = ["Karim", "Amina", "Yusuf", "Fatima", "Omar", "Leila", "Samuel", "Grace", "Ali", "Mariam"]
COUNTRIES = ["MA", "DZ", "TN", "NG", "GH", "AF", "IQ", "GN", "ML", "VN", "GE", "AL"]
# scenarios: case type and the steps after the return decision (kind, fields)
SCENARIOS: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = [
    ("voluntary", [("counselling_session", {"interested_in_voluntary_return": True})]),
    ("voluntary", [("avr_applied", {"programme": "AVRR"})]),
    ("voluntary", [("avr_applied", {"programme": "AVRR"}), ("avr_evaluation_started", {})]),
    (
        "voluntary",
        [
            ("avr_applied", {"programme": "AVRR"}),
            ("avr_evaluation_started", {}),
            ("avr_accepted", {}),
            ("travel_document_requested", {"document_type": "laissez_passer"}),
        ],
    ),
    (
        "voluntary",
        [
            ("avr_applied", {"programme": "AVRR"}),
            ("avr_evaluation_started", {}),
            ("avr_accepted", {}),
            ("voluntary_departure", {"assisted": True}),
            (
                "reintegration_assistance",
                {"package": "in_kind", "provider": "IOM", "frontex_joint_reintegration": True},
            ),
        ],
    ),
    ("enforced", [("readmission_requested", {"channel": "rcms", "rcms_reference": "RCMS-DEMO"})]),
    ("enforced", [("detention_ordered", {"measure": "reporting"})]),
    (
        "enforced",
        [
            (
                "enforced_return_scheduled",
                {"departure_on": None, "charter": True, "frontex_supported": True, "escorted": True},
            )
        ],
    ),
    (
        "enforced",
        [
            (
                "enforced_return_scheduled",
                {"departure_on": None, "charter": False, "frontex_supported": False, "escorted": False},
            ),
            ("enforced_return_carried_out", {}),
            ("case_closed", {"outcome": "removed"}),
        ],
    ),
    (
        "own_means",
        [("voluntary_departure", {"assisted": False}), ("case_closed", {"outcome": "returned_voluntarily"})],
    ),
    ("own_means", []),
]


def _step(kind: str, fields: dict[str, Any], *, case: Any, day: Any, requester: Any, approver: Any) -> None:
    fields = {k: (v if v is not None else day.isoformat()) for k, v in fields.items()}
    event = timeline.record_event(
        actor=requester, case=case.reference, kind=kind, fields=fields, occurred_on=day
    )
    if getattr(event, "approval", None) is not None:
        approvals.approve_step(actor=approver, approval=event.approval.pk)


def seed_demo_cases(*, officers: dict[str, list[Any]], count: int = 300, seed: int = 13) -> int:
    """``count`` cases spread over the member states of ``officers``; returns how many were made."""
    rng = random.Random(seed)  # noqa: S311 (demo data, repeatable)
    today = timezone.localdate()
    states = sorted(officers)
    made = 0
    for i in range(count):
        state = states[i % len(states)]
        requester, approver = officers[state][0], officers[state][1]
        case_type, steps = SCENARIOS[i % len(SCENARIOS)]
        opened = today - timedelta(days=rng.randint(20, 400))
        person = {
            "names": [{"family": rng.choice(FAMILY), "given": rng.choice(GIVEN), "script": "latin"}],
            "birth_date": (opened - timedelta(days=rng.randint(18 * 365, 50 * 365))).isoformat(),
            "nationalities": [rng.choice(COUNTRIES)],
        }
        case = cases.open_case(
            actor=requester,
            case_type=case_type,
            third_country=person["nationalities"][0],
            person=person,
            member_state=state,
            opened_on=opened,
        )
        day = opened
        if i % 7 != 6:  # most cases have their return decision; some wait for it (on the worklist)
            _step(
                "legal_stay_ended",
                {"reason": "negative_asylum_decision"},
                case=case,
                day=day,
                requester=requester,
                approver=approver,
            )
            day += timedelta(days=rng.randint(1, 10))
            days = 30 if case_type != "enforced" else 0
            _step(
                "return_decision",
                {"voluntary_departure_days": days},
                case=case,
                day=day,
                requester=requester,
                approver=approver,
            )
            for kind, fields in steps:
                day = min(today, day + timedelta(days=rng.randint(1, 5)))
                _step(kind, fields, case=case, day=day, requester=requester, approver=approver)
        else:
            _step(
                "legal_stay_ended",
                {"reason": "permit_expired"},
                case=case,
                day=day,
                requester=requester,
                approver=approver,
            )
        if i % 11 == 0:
            flags.set_flag(actor=requester, case=case.reference, kind="vulnerable_person")
        if i % 13 == 0:
            flags.flag_obstacle(actor=requester, kind="unanswered_readmission", case=case.reference)
        made += 1
    timeline.hand_over_expired_departures(today=today)
    return made
