"""Every transition of each state machine, allowed and refused: generated from the transition
table (every state x every event kind), plus hand-written cases of the rules (RS 2(a), RS 2(b))."""

from datetime import date, timedelta

import pytest

from ilonet.returns.events import KINDS, Kind, clean_fields
from ilonet.returns.machine import CLOSED, HANDOVER, MACHINES, START, Ev, Refusal, replay

K = Kind
DAY = date(2026, 3, 2)
SAMPLE = {
    K.CASE_OPENED: {"case_type": "voluntary"},
    K.LEGAL_STAY_ENDED: {"reason": "negative_asylum_decision"},
    K.RETURN_DECISION: {"voluntary_departure_days": 30},
    K.ENTRY_BAN: {"duration_years": 3},
    K.APPEAL_LODGED: {"suspensive_effect": False},
    K.APPEAL_DECIDED: {"result": "dismissed"},
    K.COUNSELLING_SESSION: {"remote": False, "interpreter": True, "interested_in_voluntary_return": True},
    K.ABSCONDING_RISK_ASSESSED: {"risk": "low"},
    K.DETENTION_ORDERED: {"measure": "reporting"},
    K.DETENTION_REVIEWED: {"continued": True},
    K.IDENTIFICATION_STEP: {"method": "interview", "result": "pending"},
    K.READMISSION_REQUESTED: {"channel": "rcms", "rcms_reference": "RCMS-1"},
    K.READMISSION_ANSWERED: {"answer": "accepted"},
    K.TRAVEL_DOCUMENT_REQUESTED: {"document_type": "laissez_passer"},
    K.TRAVEL_DOCUMENT_ISSUED: {"document_type": "laissez_passer", "valid_until": "2026-06-01"},
    K.SIS_ALERT_ENTERED: {"sis_reference": "SIS-1"},
    K.AVR_APPLIED: {"programme": "AVRR"},
    K.DEPARTURE_SCHEDULED: {"departure_on": "2026-04-01"},
    K.VOLUNTARY_DEPARTURE: {"assisted": True},
    K.ENFORCED_RETURN_SCHEDULED: {
        "departure_on": "2026-04-01",
        "charter": True,
        "frontex_supported": True,
        "escorted": True,
    },
    K.REINTEGRATION_ASSISTANCE: {
        "package": "in_kind",
        "provider": "JRS partner",
        "frontex_joint_reintegration": True,
    },
    K.HANDED_OVER: {"reason": "other"},
    K.IDENTITY_CHANGED: {"changed": "names"},
    K.HOLD_PLACED: {"reason": "officer"},
    K.CASE_CLOSED: {"outcome": "other"},
}
BASE = [K.LEGAL_STAY_ENDED, K.RETURN_DECISION]
PATHS = {
    "voluntary": {
        "counselling": [],
        "application": [K.AVR_APPLIED],
        "evaluation": [K.AVR_APPLIED, K.AVR_EVALUATION_STARTED],
        "pre_return": [K.AVR_APPLIED, K.AVR_EVALUATION_STARTED, K.AVR_ACCEPTED],
        "return_implementation": [
            K.AVR_APPLIED,
            K.AVR_EVALUATION_STARTED,
            K.AVR_ACCEPTED,
            K.DEPARTURE_SCHEDULED,
        ],
        "departed": [K.AVR_APPLIED, K.AVR_EVALUATION_STARTED, K.AVR_ACCEPTED, K.VOLUNTARY_DEPARTURE],
        "reintegration": [
            K.AVR_APPLIED,
            K.AVR_EVALUATION_STARTED,
            K.AVR_ACCEPTED,
            K.VOLUNTARY_DEPARTURE,
            K.REINTEGRATION_ASSISTANCE,
        ],
        CLOSED: [K.CASE_CLOSED],
    },
    "enforced": {
        "pre_return": [],
        "detention": [K.DETENTION_ORDERED],
        "implementation": [K.ENFORCED_RETURN_SCHEDULED],
        "departed": [K.ENFORCED_RETURN_SCHEDULED, K.ENFORCED_RETURN_CARRIED_OUT],
        CLOSED: [K.CASE_CLOSED],
    },
    "own_means": {"pre_return": [], "departed": [K.VOLUNTARY_DEPARTURE], CLOSED: [K.CASE_CLOSED]},
}
# what must come before a kind for its rules to hold (placed right after the return decision)
EARLY = {
    K.READMISSION_ANSWERED: [K.READMISSION_REQUESTED],
    K.TRAVEL_DOCUMENT_ISSUED: [K.TRAVEL_DOCUMENT_REQUESTED],
    K.SIS_ALERT_DELETED: [K.SIS_ALERT_ENTERED],
    K.PERSON_LOCATED: [K.ABSCONDED],
    K.APPEAL_DECIDED: [K.APPEAL_LODGED],
}


def _timeline(case_type, kinds, later=()):
    """The opening, ``kinds`` on DAY, then ``later`` on the next day."""
    evs = [Ev(1, K.CASE_OPENED, DAY, {"case_type": case_type})]
    for day, group in ((DAY, kinds), (DAY + timedelta(days=1), later)):
        for kind in group:
            evs.append(Ev(len(evs) + 1, kind, day, SAMPLE.get(kind, {})))
    return evs


def _with(case_type, state, kind, *, needs=True):
    """A timeline that reaches ``state`` (with what ``kind`` needs when ``needs``), then ``kind``."""
    path = list(PATHS[case_type][state])
    if not needs:
        evs = _timeline(case_type, BASE, path)
        return [*evs, Ev(len(evs) + 1, kind, DAY + timedelta(days=1), SAMPLE.get(kind, {}))]
    if case_type == "enforced" and kind in (K.DETENTION_REVIEWED, K.DETENTION_ENDED):
        path = {
            "pre_return": [K.DETENTION_ORDERED, K.ENFORCED_RETURN_SCHEDULED, K.ENFORCED_RETURN_CANCELLED],
            "implementation": [K.ENFORCED_RETURN_SCHEDULED, K.DETENTION_ORDERED],
        }.get(state, path)
    if kind == K.HOLD_RELEASED:
        path = [*path, K.HOLD_PLACED]
    evs = _timeline(case_type, [*BASE, *EARLY.get(kind, [])], path)
    # the end of legal stay and the return decision are recorded once: here as corrections, dated
    # where they belong in the timeline
    supersedes, day = {K.LEGAL_STAY_ENDED: (2, DAY - timedelta(days=1)), K.RETURN_DECISION: (3, DAY)}.get(
        kind, (None, DAY + timedelta(days=1))
    )
    evs.append(Ev(len(evs) + 1, kind, day, SAMPLE.get(kind, {}), supersedes_seq=supersedes))
    return evs


def _cells(allowed: bool):
    for case_type, machine in MACHINES.items():
        table = {(src, kind): dst for src, kind, dst in machine.table()}
        for state in [s.name for s in machine.states]:
            for kind in Kind:
                if kind in (K.CASE_OPENED, K.RETRACTED) and allowed:
                    continue
                if kind == K.RETRACTED:
                    continue  # a retraction is a supersession, not a transition (test_services)
                if ((state, kind) in table) == allowed:
                    yield pytest.param(
                        case_type, state, kind, table.get((state, kind)), id=f"{case_type}-{state}-{kind}"
                    )


def test_the_sample_fields_are_valid_for_the_registry():
    for kind, fields in SAMPLE.items():
        clean_fields(kind, fields)


def test_every_path_reaches_its_state():
    for case_type, paths in PATHS.items():
        for state, path in paths.items():
            assert replay(_timeline(case_type, BASE, path)).state == state


@pytest.mark.parametrize(("case_type", "state", "kind", "target"), list(_cells(allowed=True)))
def test_every_allowed_transition_is_taken(case_type, state, kind, target):
    derived = replay(_with(case_type, state, kind))
    if target == HANDOVER:
        assert (derived.case_type, derived.state) == ("enforced", "pre_return")
    else:
        assert (derived.case_type, derived.state) == (case_type, target)


@pytest.mark.parametrize(("case_type", "state", "kind", "target"), list(_cells(allowed=False)))
def test_every_transition_not_in_the_table_is_refused_naming_its_rule(case_type, state, kind, target):
    timeline = _with(case_type, state, kind, needs=False)
    with pytest.raises(Refusal) as refused:
        replay(timeline)
    expected = "closed_case" if state == CLOSED else f"{case_type}.{state}.{kind}"
    assert refused.value.rule == expected
    assert refused.value.seq == len(timeline)


def test_the_table_starts_each_machine_with_its_opening():
    for machine in MACHINES.values():
        assert (START, "case_opened", machine.initial) in machine.table()
        assert machine.target(START, K.RETURN_DECISION) is None


# --- hand-written cases of the rules -------------------------------------------------------------------


def _refusal(case_type, kinds):
    with pytest.raises(Refusal) as refused:
        replay(_timeline(case_type, kinds))
    return refused.value.rule


def test_a_return_decision_follows_the_end_of_legal_stay():
    assert _refusal("enforced", [K.RETURN_DECISION]) == "decision_after_end_of_stay"


def test_a_readmission_answer_needs_a_request():
    assert _refusal("enforced", [*BASE, K.READMISSION_ANSWERED]) == "answer_needs_request"
    assert replay(_timeline("enforced", [*BASE, K.READMISSION_REQUESTED, K.READMISSION_ANSWERED])).status == (
        "preparing_return"
    )


def test_a_departure_needs_a_return_decision():
    assert _refusal("own_means", [K.LEGAL_STAY_ENDED, K.VOLUNTARY_DEPARTURE]) == "needs_return_decision"


def test_a_case_on_hold_does_not_move_until_released():
    assert _refusal("own_means", [*BASE, K.HOLD_PLACED, K.VOLUNTARY_DEPARTURE]) == "on_hold"
    derived = replay(_timeline("own_means", [*BASE, K.HOLD_PLACED, K.HOLD_RELEASED, K.VOLUNTARY_DEPARTURE]))
    assert derived.status == "departed"


def test_a_suspensive_appeal_stops_enforcement():
    evs = _timeline("enforced", BASE)
    evs.append(Ev(4, K.APPEAL_LODGED, DAY, {"suspensive_effect": True}))
    evs.append(Ev(5, K.ENFORCED_RETURN_SCHEDULED, DAY, SAMPLE[K.ENFORCED_RETURN_SCHEDULED]))
    with pytest.raises(Refusal) as refused:
        replay(evs)
    assert refused.value.rule == "suspensive_appeal"
    assert replay(evs[:4]).status == "suspended_by_appeal"


def test_nothing_follows_a_closed_case():
    assert _refusal("voluntary", [*BASE, K.CASE_CLOSED, K.COUNSELLING_SESSION]) == "closed_case"


def test_a_case_closed_as_removed_needs_the_enforced_return():
    evs = _timeline("enforced", BASE)
    evs.append(Ev(4, K.CASE_CLOSED, DAY, {"outcome": "removed"}))
    with pytest.raises(Refusal) as refused:
        replay(evs)
    assert refused.value.rule == "outcome_matches_timeline"


def test_events_are_replayed_in_date_order_so_an_answer_dated_before_its_request_is_refused():
    evs = _timeline("enforced", BASE)
    evs.append(Ev(4, K.READMISSION_REQUESTED, date(2026, 3, 10), SAMPLE[K.READMISSION_REQUESTED]))
    evs.append(Ev(5, K.READMISSION_ANSWERED, date(2026, 3, 5), {"answer": "accepted"}))
    with pytest.raises(Refusal) as refused:
        replay(evs)
    assert refused.value.rule == "answer_needs_request"


def test_an_event_waiting_for_approval_does_not_take_effect():
    evs = _timeline("enforced", [K.LEGAL_STAY_ENDED])
    evs.append(Ev(3, K.RETURN_DECISION, DAY, {"voluntary_departure_days": 0}, effective=False))
    derived = replay(evs)
    assert derived.facts.return_decision_on is None and derived.status == "awaiting_approval"


def test_a_correction_supersedes_the_event_it_names():
    evs = _timeline("voluntary", BASE)
    evs.append(Ev(4, K.RETURN_DECISION, DAY, {"voluntary_departure_days": 7}, supersedes_seq=3))
    assert replay(evs).facts.departure_days == 7


def test_the_hand_over_leads_a_voluntary_case_into_the_enforced_machine():
    derived = replay(_timeline("voluntary", [*BASE, K.HANDED_OVER, K.DETENTION_ORDERED]))
    assert (derived.case_type, derived.stage, derived.status) == (
        "enforced",
        "detention",
        "detained_or_alternative",
    )


def test_every_kind_is_known_to_every_machine_table_or_refused():
    for machine in MACHINES.values():
        for state in machine.states:
            for kind in KINDS:
                machine.target(state.name, kind)  # never raises
