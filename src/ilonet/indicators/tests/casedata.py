"""Small return cases written straight into the returns tables (the fold reads them through
``returns.facts``): no services, so the tests need nothing of the returns core but its models."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import Any

from ilonet.returns.events import APPROVAL_KINDS
from ilonet.returns.models import Approval, CaseEvent, ReturnCase
from ilonet.returns.rls import system_scope

_refs = count(1)


def case(
    events: list[tuple[str, date] | tuple[str, date, dict[str, Any]]],
    *,
    ms: str = "NL",
    tc: str = "MA",
    case_type: str = "enforced",
    approval: str = "approved",
) -> ReturnCase:
    """A case with its timeline; steps that need approval get an approval ``approval``."""
    with system_scope():
        first = events[0][1]
        rc = ReturnCase.objects.create(
            reference=f"T-{next(_refs)}", member_state=ms, case_type=case_type, third_country=tc,
            state="x", stage="x", status="x", opened_on=first,
        )  # fmt: skip
        add(rc, [("case_opened", first, {"case_type": case_type}), *events], approval=approval)
    return rc


def add(
    rc: ReturnCase, events: list[Any], *, approval: str = "approved", supersedes: int | None = None
) -> list[CaseEvent]:
    out = []
    with system_scope():
        seq = CaseEvent.objects.filter(case=rc).count()
        for item in events:
            kind, day, fields = (*item, {})[:3] if len(item) == 2 else item
            seq += 1
            needs = kind in APPROVAL_KINDS
            ev = CaseEvent.objects.create(
                case=rc, member_state=rc.member_state, seq=seq, kind=kind, occurred_on=day,
                fields=fields, needs_approval=needs, supersedes_seq=supersedes,
            )  # fmt: skip
            if needs:
                Approval.objects.create(
                    case=rc, member_state=rc.member_state, event=ev, step=kind, status=approval
                )
            out.append(ev)
    return out


def negative_asylum(day: date) -> tuple[str, date, dict[str, Any]]:
    return ("legal_stay_ended", day, {"reason": "negative_asylum_decision"})


def decision(day: date, days: int = 0) -> tuple[str, date, dict[str, Any]]:
    return ("return_decision", day, {"voluntary_departure_days": days})


def random_timeline(rng: Any, start: date) -> list[tuple[str, date, dict[str, Any]]]:
    """A plausible timeline from ``start``: end of stay, decision, requests, answers, a return."""
    from datetime import timedelta

    day = start
    reason = rng.choice(["negative_asylum_decision", "permit_expired", "irregular_entry_or_stay"])
    out: list[tuple[str, date, dict[str, Any]]] = [("legal_stay_ended", day, {"reason": reason})]
    day += timedelta(days=rng.randint(0, 120))
    out.append(decision(day, rng.choice([0, 7, 30])))
    for _ in range(rng.randint(0, 2)):
        day += timedelta(days=rng.randint(0, 60))
        out.append(("readmission_requested", day, {"channel": "rcms"}))
        if rng.random() < 0.6:
            day += timedelta(days=rng.randint(0, 90))
            out.append(("readmission_answered", day, {"answer": rng.choice(["accepted", "refused"])}))
    if rng.random() < 0.2:
        day += timedelta(days=rng.randint(0, 40))
        out.append(("absconded", day, {}))
    if rng.random() < 0.6:
        day += timedelta(days=rng.randint(0, 300))
        out.append((rng.choice(["voluntary_departure", "enforced_return_carried_out"]), day, {}))
    return out


def random_cases(n: int, *, seed: int, extend: list[ReturnCase] | None = None) -> list[ReturnCase]:
    import random
    from datetime import timedelta

    rng = random.Random(seed)  # noqa: S311 - test data
    if extend:
        for rc in extend[:n]:
            with system_scope():  # PostgreSQL: row-level security
                days = (
                    CaseEvent.objects.filter(case=rc)
                    .order_by("-occurred_on")
                    .values_list("occurred_on", flat=True)
                )
                last = days[0]
            add(
                rc,
                [("readmission_requested", last + timedelta(days=rng.randint(0, 100)), {"channel": "rcms"})],
            )
        return extend
    out = []
    for _ in range(n):
        start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 700))
        ms, tc = rng.choice(["NL", "GR", "DE"]), rng.choice(["MA", "NG", "TR"])
        approval = "approved" if rng.random() < 0.9 else "requested"
        out.append(case(random_timeline(rng, start), ms=ms, tc=tc, approval=approval))
    return out


MESSY_KINDS = (
    ("legal_stay_ended", 3), ("return_decision", 4), ("readmission_requested", 4),
    ("readmission_answered", 4), ("voluntary_departure", 2), ("enforced_return_carried_out", 2),
    ("absconded", 2), ("identification_step", 1), ("retracted", 1),
)  # fmt: skip
# days the cohort's calendar months trip on: month ends, a leap day, quarter and year boundaries
AWKWARD = (date(2023, 8, 31), date(2024, 2, 29), date(2023, 12, 31), date(2024, 3, 31), date(2024, 1, 1))


def messy_cases(n: int, *, seed: int) -> list[ReturnCase]:
    """Cases no service would write, to compare two ways of counting: events in any order and on
    the same days, answers without requests, several decisions and ends of stay, corrections and
    retractions pointing anywhere, approvals in every status, dates on awkward days."""
    import random
    from datetime import timedelta

    rng = random.Random(seed)  # noqa: S311 - test data
    kinds, weights = zip(*MESSY_KINDS, strict=True)
    out = []
    for _ in range(n):
        start = (
            rng.choice(AWKWARD)
            if rng.random() < 0.3
            else date(2022, 1, 1) + timedelta(days=rng.randint(0, 900))
        )
        with system_scope():
            rc = ReturnCase.objects.create(
                reference=f"M-{next(_refs)}", member_state=rng.choice(["NL", "GR", "DE"]),
                case_type="enforced", third_country=rng.choice(["MA", "NG", "TR"]),
                state="x", stage="x", status="x", opened_on=start,
            )  # fmt: skip
            seqs = []
            total = rng.randint(0, 12)
            for seq in range(1, total + 1):
                kind = "case_opened" if seq == 1 and rng.random() < 0.8 else rng.choices(kinds, weights)[0]
                gap = rng.choice([0, 0, 1, 30, 92, 183, 184, 365, -5])
                day = (rng.choice(AWKWARD) if rng.random() < 0.1 else start) + timedelta(
                    days=abs(gap) * seq // 2
                )
                fields: dict[str, Any] = {}
                if kind == "case_opened":
                    fields = {"case_type": "enforced"}
                elif kind == "legal_stay_ended":
                    fields = {"reason": rng.choice(["negative_asylum_decision", "permit_expired"])}
                elif kind == "return_decision":
                    fields = {"voluntary_departure_days": rng.choice([0, 0, 7, 30])}
                elif kind == "readmission_answered":
                    fields = {"answer": rng.choice(["accepted", "refused"])}
                supersedes = (
                    rng.choice(seqs) if seqs and (kind == "retracted" or rng.random() < 0.08) else None
                )
                needs = kind in APPROVAL_KINDS or rng.random() < 0.05
                ev = CaseEvent.objects.create(
                    case=rc, member_state=rc.member_state, seq=seq, kind=kind, occurred_on=day,
                    fields=fields, needs_approval=needs, supersedes_seq=supersedes,
                )  # fmt: skip
                if needs and rng.random() < 0.95:
                    status = rng.choices(["approved", "requested", "refused", "revoked"], [7, 1, 1, 1])[0]
                    Approval.objects.create(
                        case=rc, member_state=rc.member_state, event=ev, step=kind, status=status
                    )
                seqs.append(seq)
        out.append(rc)
    return out
