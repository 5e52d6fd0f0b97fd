"""Demo return cases (RS 2(a), RS 2(b), RS 2(c)): a few hundred invented cases in the Netherlands,
Belgium and Germany, of every case type and at every stage: in counselling, applications,
detention, pending travel documents and readmission answers, departed, closed, on hold (an
identity change, an officer's hold), voluntary cases handed over to enforced return, steps
waiting for a second officer's approval. Deterministic (seeded), every name invented.

Fast at any database: each case's timeline is replayed through the case type's state machine in
Python (``machine.replay``, the same replay the services run), then cases, events, approvals,
name digests, flags and worklist entries are written with one bulk insert per table. The demo's
return officers: ``return.nl`` and ``return.be`` (accounts/demo.py) and one colleague per member
state, who requested the steps waiting for approval (a step is approved by someone else).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ilonet.accounts.demo import DEMO_DOMAIN
from ilonet.accounts.models import RoleAssignment, User
from ilonet.accounts.roles import Role
from ilonet.directory.models import Organisation
from ilonet.directory.selectors import participating_member_states
from ilonet.personaldata import vault

from . import conf, derive, identity, rls
from .machine import Ev, Refusal, replay
from .models import (
    Approval,
    ApprovalStatus,
    CaseEvent,
    CaseFlag,
    NameDigest,
    Obstacle,
    ReturnCase,
    WorklistEntry,
)

SEED = 20240413
CASES = {"NL": 160, "BE": 100, "DE": 60}
COUNTRIES = ("MA", "DZ", "TN", "GE", "AL", "NG", "IQ", "PK", "SN", "UA")
FAMILY = (
    "Benali",
    "Haddou",
    "Ouali",
    "Kone",
    "Diallo",
    "Traore",
    "Mensah",
    "Okafor",
    "Beridze",
    "Gashi",
    "Rahimi",
    "Karimi",
    "Hoxha",
    "Nazari",
    "Siddiqui",
    "Chowdhury",
    "Kapanadze",
    "Sahin",
    "Ndiaye",
    "Bakr",
)
GIVEN = (
    "Youssef",
    "Amina",
    "Karim",
    "Fatou",
    "Moussa",
    "Awa",
    "Kwame",
    "Nino",
    "Giorgi",
    "Arben",
    "Farid",
    "Zahra",
    "Omid",
    "Soraya",
    "Imran",
    "Nusrat",
    "Elira",
    "Sami",
    "Mariam",
    "Ali",
)

A = ApprovalStatus
# (kind, days after the previous step, fields, approval: None (none needed), approved, requested, refused)
Step = tuple[str, int, dict[str, Any], str | None]
STAY = ("legal_stay_ended", 0, {"reason": "negative_asylum_decision"}, None)
DECISION = ("return_decision", 12, {"voluntary_departure_days": 0}, A.APPROVED)


def _enforced(depth: int) -> list[Step]:
    steps: list[Step] = [
        STAY,
        DECISION,
        ("entry_ban", 2, {"duration_years": 3}, A.APPROVED),
        ("sis_alert_entered", 1, {"sis_reference": "SIS-DEMO"}, None),
        ("absconding_risk_assessed", 5, {"risk": "high"}, None),
        ("readmission_requested", 6, {"channel": "rcms", "rcms_reference": "RCMS-DEMO"}, None),
    ]
    more: list[Step] = [
        ("readmission_answered", 40, {"answer": "accepted"}, None),
        ("travel_document_requested", 3, {"document_type": "laissez_passer"}, A.APPROVED),
        ("detention_ordered", 2, {"measure": "detention"}, A.APPROVED),
        ("travel_document_issued", 20, {"document_type": "laissez_passer", "valid_until": ""}, None),
        (
            "enforced_return_scheduled",
            4,
            {"departure_on": "", "charter": False, "frontex_supported": True, "escorted": True},
            A.APPROVED,
        ),
        ("enforced_return_carried_out", 9, {}, None),
        ("case_closed", 14, {"outcome": "removed"}, None),
    ]
    return steps + more[:depth]


def _voluntary(depth: int) -> list[Step]:
    steps: list[Step] = [
        (
            "counselling_session",
            0,
            {"remote": False, "interpreter": True, "interested_in_voluntary_return": True},
            None,
        )
    ]
    more: list[Step] = [
        STAY,
        ("return_decision", 10, {"voluntary_departure_days": 30}, A.APPROVED),
        ("avr_applied", 3, {"programme": "AVRR demo programme"}, None),
        ("avr_evaluation_started", 4, {}, None),
        ("avr_accepted", 9, {}, None),
        (
            "reintegration_assistance",
            2,
            {"package": "cash_and_in_kind", "provider": "IOM", "frontex_joint_reintegration": True},
            A.APPROVED,
        ),
        ("departure_scheduled", 3, {"departure_on": ""}, None),
        ("voluntary_departure", 8, {"assisted": True}, None),
        ("case_closed", 30, {"outcome": "returned_voluntarily"}, None),
    ]
    return steps + more[:depth]


def _own_means(depth: int) -> list[Step]:
    steps: list[Step] = [STAY, ("return_decision", 10, {"voluntary_departure_days": 28}, A.APPROVED)]
    more: list[Step] = [
        ("voluntary_departure", 20, {"assisted": False}, None),
        ("case_closed", 10, {"outcome": "returned_voluntarily"}, None),
    ]
    return steps + more[:depth]


HANDED_OVER: list[Step] = [
    STAY,
    ("return_decision", 10, {"voluntary_departure_days": 14}, A.APPROVED),
    ("avr_applied", 3, {"programme": "AVRR demo programme"}, None),
    ("handed_over_to_enforced_return", 16, {"reason": "voluntary_departure_period_expired"}, None),
    ("readmission_requested", 5, {"channel": "diplomatic"}, None),
]


def _scenario(rng: random.Random, n: int) -> tuple[str, list[Step], set[str]]:
    """A case type, its steps and flags; the mix covers every stage and status."""
    flags: set[str] = set()
    roll = n % 10
    if roll in (0, 1, 2, 3):
        case_type, steps = "enforced", _enforced(rng.randint(0, 7))
    elif roll in (4, 5, 6):
        case_type, steps = "voluntary", _voluntary(rng.randint(0, 9))
    elif roll in (7, 8):
        case_type, steps = "own_means", _own_means(rng.randint(0, 2))
    else:
        case_type, steps = "voluntary", list(HANDED_OVER)
    if n % 17 == 3 and steps[-1][0] != "case_closed":  # a step waiting for the second officer
        kind, gap, fields, _approval = steps[-1]
        if _approval is not None:
            steps[-1] = (kind, gap, fields, A.REQUESTED)
        elif case_type == "enforced" and len(steps) >= 2:
            steps[1] = (steps[1][0], steps[1][1], steps[1][2], A.REQUESTED)
            steps = steps[:2]
    if n % 13 == 5 and steps[-1][0] != "case_closed":
        steps.append(("hold_placed", 3, {"reason": "identity_changed" if n % 2 else "officer"}, None))
    if n % 11 == 2:
        flags.add("no_travel_document")
    if n % 19 == 4:
        flags.add("vulnerable_person")
    if n % 23 == 6:
        flags.add("unaccompanied_minor")
    if n % 9 == 1 and steps[-1][0] != "case_closed":
        flags.add("needs_attention")
    return case_type, steps, flags


@dataclass
class Built:
    case: ReturnCase
    events: list[CaseEvent]
    approvals: list[tuple[int, str, Any, Any]]  # (seq, status, requested_by, decided_by)
    person: dict[str, Any]
    flags: set[str]
    derived: Any


def _officers(states: dict[str, Organisation]) -> dict[str, list[User]]:
    """Per member state: its demo login (if any) and a colleague who requests steps."""
    found: dict[str, list[User]] = {}
    start = timezone.localdate() - timedelta(days=400)
    for code, org in states.items():
        login = User.objects.filter(email=f"return.{code.lower()}@{DEMO_DOMAIN}").first()
        colleague, created = User.objects.get_or_create(
            email=f"return.colleague.{code.lower()}@{DEMO_DOMAIN}",
            defaults={
                "first_name": "Demo",
                "last_name": f"Colleague {code}",
                "organisation": org,
                "job_title": "Return officer",
            },
        )
        if created:
            colleague.set_unusable_password()
            colleague.save(update_fields=["password"])
            RoleAssignment.objects.create(
                user=colleague, role=Role.RETURN_OFFICER, organisation=org, valid_from=start
            )
        found[code] = [u for u in (login, colleague) if u is not None]
    return found


def _dated(steps: list[Step], opened: date) -> list[tuple[str, date, dict[str, Any], str | None]]:
    day, out = opened, []
    for kind, gap, fields, approval in steps:
        day = day + timedelta(days=gap)
        filled = {k: (v if v != "" else (day + timedelta(days=30)).isoformat()) for k, v in fields.items()}
        if kind == "detention_ordered":
            filled["review_on"] = (day + timedelta(days=30)).isoformat()
        out.append((kind, day, filled, approval))
    return out


def _build(rng: random.Random, n: int, state: str, officers: list[User], today: date) -> Built | None:
    case_type, steps, flags = _scenario(rng, n)
    length = sum(gap for _k, gap, _f, _a in steps)
    opened = today - timedelta(days=length + rng.randint(2, 300))
    dated = [("case_opened", opened, {"case_type": case_type}, None), *_dated(steps, opened)]
    evs = [
        Ev(seq, kind, day, fields, None, effective=approval in (None, A.APPROVED))
        for seq, (kind, day, fields, approval) in enumerate(dated, start=1)
        if approval != A.REFUSED
    ]
    try:
        derived = replay(evs, review_days=conf.review_days())
    except Refusal:
        return None
    requester, decider = officers[-1], officers[0]
    given, family = GIVEN[rng.randrange(len(GIVEN))], FAMILY[rng.randrange(len(FAMILY))]
    person = identity.clean_identity(
        {
            "names": [{"family": family, "given": given, "script": "latin"}],
            "birth_date": date(
                1975 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28)
            ).isoformat(),
            "birth_place": "",
            "nationalities": [COUNTRIES[n % len(COUNTRIES)]],
            "documents": [],
        }
    )
    case = ReturnCase(
        reference=f"{state}-{opened.year}-D{n:05d}",
        member_state=state,
        case_type=derived.case_type,
        third_country=COUNTRIES[n % len(COUNTRIES)],
        opened_on=opened,
        created_by=requester,
        state=derived.state,
        stage=derived.stage,
        status=derived.status,
        on_hold=derived.on_hold,
        closed_on=derived.closed_on,
        outcome=derived.outcome,
        last_seq=len(dated),
        erase_on=derived.closed_on + timedelta(days=conf.retention_days()) if derived.closed_on else None,
        version=len(dated) + sum(1 for *_x, a in dated if a in (A.APPROVED, A.REFUSED)) + len(flags),
        last_change=dated[-1][0],
        last_changed_by=requester,
    )
    events = [
        CaseEvent(
            member_state=state,
            seq=seq,
            kind=kind,
            occurred_on=day,
            fields=fields,
            needs_approval=approval is not None,
            recorded_by=requester if seq % 2 else decider,
        )
        for seq, (kind, day, fields, approval) in enumerate(dated, start=1)
    ]
    approvals = [
        (
            seq,
            approval,
            events[seq - 1].recorded_by,
            decider if events[seq - 1].recorded_by != decider else requester,
        )
        for seq, (_k, _d, _f, approval) in enumerate(dated, start=1)
        if approval
    ]
    return Built(case, events, approvals, person, flags, derived)


def seed_return_cases() -> int:
    """Create the demo cases once; returns how many."""
    with rls.system_scope():  # on PostgreSQL a read outside a scope sees no case at all
        if ReturnCase.objects.filter(reference__contains="-D0").exists():
            return 0
    rng = random.Random(SEED)  # noqa: S311  (deterministic demo data, not security)
    today = timezone.localdate()
    states = {o.code.upper(): o for o in participating_member_states() if o.code.upper() in CASES}
    officers = _officers(states)
    built: list[Built] = []
    n = 0
    for state, count in CASES.items():
        if state not in states:
            continue
        for _ in range(count):
            n += 1
            one = _build(rng, n, state, officers[state], today)
            if one is not None:
                built.append(one)
    with rls.system_scope():
        keys = {}
        for b in built:
            keys[b.case.person_ref] = vault.create_key(b.case.person_ref)
            b.case.identity_sealed = identity.seal(keys[b.case.person_ref], b.case.person_ref, b.person)
        ReturnCase.objects.bulk_create([b.case for b in built], batch_size=500)
        for b in built:
            for e in b.events:
                e.case, e.member_state = b.case, b.case.member_state
        CaseEvent.objects.bulk_create([e for b in built for e in b.events], batch_size=1000)
        now = timezone.now()
        Approval.objects.bulk_create(
            [
                Approval(
                    case=b.case,
                    member_state=b.case.member_state,
                    event=b.events[seq - 1],
                    step=b.events[seq - 1].kind,
                    status=status,
                    requested_by=requested_by,
                    decided_by=None if status == A.REQUESTED else decided_by,
                    decided_at=None if status == A.REQUESTED else now,
                )
                for b in built
                for seq, status, requested_by, decided_by in b.approvals
            ],
            batch_size=1000,
        )
        NameDigest.objects.bulk_create(
            [
                NameDigest(case=b.case, member_state=b.case.member_state, digest=d)
                for b in built
                for d in identity.digests(b.person)
            ],
            batch_size=1000,
        )
        CaseFlag.objects.bulk_create(
            [
                CaseFlag(case=b.case, member_state=b.case.member_state, kind=kind, set_by=b.case.created_by)
                for b in built
                for kind in sorted(b.flags)
            ],
        )
        delays = conf.delays()
        entries = []
        for b in built:
            since = derive.worklist_since(b.case, b.derived)
            entries.extend(
                WorklistEntry(
                    case=b.case,
                    member_state=b.case.member_state,
                    rule=rule,
                    since=day,
                    due_on=day + timedelta(days=delays.get(rule, 0)),
                )
                for rule, day in since.items()
            )
        WorklistEntry.objects.bulk_create(entries, batch_size=1000)
        Obstacle.objects.bulk_create(
            [
                Obstacle(
                    member_state=b.case.member_state,
                    third_country=b.case.third_country,
                    case=b.case,
                    kind="missing_travel_documents" if "no_travel_document" in b.flags else "non_cooperation",
                    flagged_by=b.case.created_by,
                    flagged_on=today - timedelta(days=5),
                )
                for b in built
                if b.flags & {"no_travel_document", "needs_attention"}
            ]
        )
    return len(built)
