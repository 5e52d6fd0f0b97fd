"""Demo data of return coordination: Eurostat-like figures (made up, loaded through the real
loaders from generated TSV files), register entries, the strategy's targets, a quarter's
priority countries with a meeting and joint actions, and obstacles. Deterministic."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

from django.utils import timezone

from . import compute
from .eurostat.load import load_stream
from .models import CapabilityEntry, JointAction, NetworkMeeting, Obstacle, QuarterPriority
from .periods import quarter_of
from .services import ensure_strategy_targets

STATES = ("NL", "BE", "DE", "FR", "IT", "ES", "SE", "AT", "PL", "EL")
CITIZENS = ("MA", "DZ", "TN", "AF", "NG", "IQ", "GE", "PK", "AL", "UA")


def _tsv(dims: str, periods: list[str], rows: list[tuple[str, list[int]]]) -> io.BytesIO:
    lines = ["\t".join([f"{dims}\\TIME_PERIOD", *[f"{p} " for p in periods]])]
    for key, values in rows:
        cells = [f"{v} " if v % 7 else f"{v} p" for v in values]
        lines.append("\t".join([key, *cells]))
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def _series(rng: random.Random, size: int, count: int) -> dict[tuple[str, str], list[int]]:
    """(geo, citizen) -> figures; EU27_2020 is the sum of the demo states."""
    out: dict[tuple[str, str], list[int]] = {}
    for geo in STATES:
        scale = rng.randint(2, 12) * size
        for citizen in CITIZENS:
            out[(geo, citizen)] = [max(0, int(scale * rng.uniform(0.3, 1.2))) for _ in range(count)]
        out[(geo, "TOTAL")] = [sum(out[(geo, c)][i] for c in CITIZENS) for i in range(count)]
    for citizen in (*CITIZENS, "TOTAL"):
        out[("EU27_2020", citizen)] = [sum(out[(g, citizen)][i] for g in STATES) for i in range(count)]
    return out


def _scaled(base: dict[tuple[str, str], list[int]], rng: random.Random, low: float, high: float) -> dict:
    out = {
        key: [int(v * rng.uniform(low, high)) for v in values]
        for key, values in base.items()
        if key[1] != "TOTAL"
    }
    geos = {g for g, _c in base}
    for geo in geos:
        out[(geo, "TOTAL")] = [
            sum(out[(geo, c)][i] for c in CITIZENS) for i in range(len(base[(geo, "TOTAL")]))
        ]
    return out


def seed_figures(today: date) -> None:
    rng = random.Random(14)  # noqa: S311 (demo figures)
    years = [str(y) for y in range(today.year - 7, today.year)]
    y, q = quarter_of(today)
    quarters: list[str] = []
    for _ in range(8):
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
        quarters.insert(0, f"{y}-Q{q}")
    base = "freq,citizen,age,sex,unit,geo"
    ordered = _series(rng, 300, len(years))
    returned = _scaled(ordered, rng, 0.15, 0.4)

    def rows(series, freq, extra=""):
        return [(f"{freq},{c},{extra}TOTAL,T,PER,{g}", v) for (g, c), v in sorted(series.items())]

    load_stream(_tsv(base, years, rows(ordered, "A")), dataset="migr_eiord", file_name="demo_migr_eiord.tsv")
    load_stream(_tsv(base, years, rows(returned, "A")), dataset="migr_eirtn", file_name="demo_migr_eirtn.tsv")
    ordered_q = _series(rng, 80, len(quarters))
    returned_q = _scaled(ordered_q, rng, 0.15, 0.4)
    third_q = _scaled(returned_q, rng, 0.7, 0.95)
    dims_q = "freq,citizen,c_dest,age,sex,unit,geo"
    load_stream(
        _tsv(base, quarters, rows(ordered_q, "Q")), dataset="migr_eiord1", file_name="demo_migr_eiord1.tsv"
    )
    load_stream(
        _tsv(dims_q, quarters, rows(returned_q, "Q", "TOTAL,") + rows(third_q, "Q", "THRD,")),
        dataset="migr_eirtn1",
        file_name="demo_migr_eirtn1.tsv",
    )
    voluntary = _scaled(returned, rng, 0.3, 0.7)
    dims_vol = "freq,citizen,ret_type,c_dest,age,sex,unit,geo"
    load_stream(
        _tsv(dims_vol, years, rows(returned, "A", "TOTAL,TOTAL,") + rows(voluntary, "A", "VOL,TOTAL,")),
        dataset="migr_eirt_vol",
        file_name="demo_migr_eirt_vol.tsv",
    )
    assisted = _scaled(returned, rng, 0.2, 0.5)
    dims_ass = "freq,citizen,assist,c_dest,age,sex,unit,geo"
    load_stream(
        _tsv(dims_ass, years, rows(returned, "A", "TOTAL,TOTAL,") + rows(assisted, "A", "ASS,TOTAL,")),
        dataset="migr_eirt_ass",
        file_name="demo_migr_eirt_ass.tsv",
    )
    rejected = _scaled(ordered, rng, 0.4, 0.9)
    dims_asy = "freq,citizen,sex,age,decision,unit,geo"
    asy_rows = [(f"A,{c},T,TOTAL,REJECTED,PER,{g}", v) for (g, c), v in sorted(rejected.items())]
    load_stream(
        _tsv(dims_asy, years, asy_rows), dataset="migr_asydcfsta", file_name="demo_migr_asydcfsta.tsv"
    )


def seed_register(today: date) -> None:
    start = date(today.year - 4, 1, 1)
    rng = random.Random(7)  # noqa: S311 (demo figures)
    entries = []
    for i, state in enumerate(
        ("NL", "BE", "DE", "FR", "IT", "ES", "SE", "AT", "PL", "GR", "PT", "FI", "CZ", "HU")
    ):
        for j, capability in enumerate(
            (
                "case_management_it",
                "return_counselling",
                "frontex_pre_return",
                "frontex_reintegration",
                "return_operations",
                "gap_analysis_done",
            )
        ):
            if rng.random() < 0.75:
                day = start + timedelta(days=rng.randint(0, (today - start).days - 1))
                entries.append(
                    CapabilityEntry(
                        country=state,
                        capability=capability,
                        effective_from=day,
                        note="" if (i + j) % 3 else "Demo entry",
                    )
                )
    for k, country in enumerate(("MA", "TN", "NG", "GE", "IQ", "PK", "SN", "GM", "AL", "BD", "GH", "CI")):
        entries.append(
            CapabilityEntry(
                country=country, capability="jrs_covered", effective_from=start + timedelta(days=90 * k)
            )
        )
    CapabilityEntry.objects.bulk_create([e for e in entries if e.effective_from <= today])
    compute.rebuild_register(today)


def seed_coordination(today: date) -> None:
    year, quarter = quarter_of(today)
    meeting = NetworkMeeting.objects.create(
        held_on=today - timedelta(days=20),
        title="High-level network on return",
        summary="Quarterly focus agreed; identification missions planned.",
    )
    for country, grounds in (
        ("MA", ["action_plan", "council"]),
        ("NG", ["visa_code_25a"]),
        ("IQ", ["action_plan"]),
        ("GE", ["visa_free"]),
    ):
        priority = QuarterPriority.objects.create(
            year=year, quarter=quarter, country=country, grounds=grounds, meeting=meeting
        )
        JointAction.objects.create(
            priority=priority,
            kind="identification",
            description="Identification mission",
            planned_on=today + timedelta(days=30),
            member_states=["NL", "BE"],
        )
    Obstacle.objects.create(
        member_state="NL",
        third_country="MA",
        title="Slow answers to readmission requests",
        description="Answers to readmission requests take more than 90 days on average.",
        owner="DG HOME unit C1",
        deadline=today + timedelta(days=45),
    )
    Obstacle.objects.create(
        member_state="BE",
        title="Charter flight capacity",
        description="Seats on the joint charter of next month are not filled.",
        status="in_progress",
        owner="Frontex return division",
    )


def seed_indicators() -> None:
    today = timezone.localdate()
    seed_figures(today)
    seed_register(today)
    ensure_strategy_targets(baseline_date=date(today.year - 3, 12, 31))
    seed_coordination(today)
    seed_case_figures(today)


def seed_case_figures(today: date) -> None:
    """A member state keeping its own system (Sweden) submitted its counts for the last four
    quarters; the case indicators are then rebuilt from whatever return cases the demo holds
    (``returns`` seeds them before this runs)."""
    from .cases import fold
    from .models import SubmittedCount
    from .periods import previous_quarters, quarter_of

    rng = random.Random(1414)  # noqa: S311 (demo figures)
    for year, quarter in previous_quarters(*quarter_of(today), 4):
        for country in ("AF", "IQ", "MA", "NG"):
            total = rng.randint(20, 120)
            values = {
                "return_decisions": total + rng.randint(0, 40),
                "rd_after_negative_asylum": total,
                "readmission_requests": rng.randint(5, total),
                "returns_total": rng.randint(10, total),
            }
            values["returns_voluntary"] = rng.randint(0, values["returns_total"])
            for measure, value in values.items():
                SubmittedCount.objects.update_or_create(
                    geo="SE", citizen=country, year=year, quarter=quarter, measure=measure,
                    defaults={"value": value},
                )  # fmt: skip
    fold.rebuild()
