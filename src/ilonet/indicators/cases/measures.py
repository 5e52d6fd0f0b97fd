"""What one case contributes to the case indicators: a pure function of its timeline.

``contributions(timeline)`` returns ``{(measure, year, quarter): value}``; a measure is attributed
to the quarter of one date of the case (named below), so a year is the sum of its four quarters
and a case whose events span two years contributes to each year through the dates it has there.
Only *effective* events count (``returns.machine.effective_events``: approved where the step
needs approval, not superseded by a correction, not retracted), in date order.

Measures (all counts; durations are sums of days beside their counts):

- ``active_cases``: 1 in every quarter in which the case has an effective event (tells a quarter
  with case data and a zero apart from a quarter without case data);
- ``return_decisions``: each effective ``return_decision``, at its date;
- ``rd_after_negative_asylum``: each of those when the case's effective ``legal_stay_ended`` has
  the reason ``negative_asylum_decision`` (the state machine puts the end of stay first);
- ``asylum_to_rd_days`` / ``asylum_to_rd_n``: days from that ``legal_stay_ended`` to the case's
  first effective return decision, at the decision's date;
- ``readmission_requests``: each effective ``readmission_requested``, at its date;
- ``readmission_answered`` / ``readmission_accepted`` / ``readmission_answer_days``: requests
  answered (answers are paired with requests first in, first out), accepted, and the days from
  request to answer, all at the *request's* date;
- ``returns_total``: each effective ``voluntary_departure`` or ``enforced_return_carried_out``, at
  its date; ``returns_voluntary``: the ``voluntary_departure`` ones;
- ``vd_with_period`` / ``vd_within_period``: voluntary departures that follow a return decision
  granting a voluntary departure period (``voluntary_departure_days`` > 0), and those on or
  before the decision's date plus that many days, at the departure's date;
- cohort, at the date of the case's first effective return decision D: ``cohort_decisions`` (1),
  ``cohort_returned_6m`` / ``cohort_returned_12m`` (first return on or before D plus 6 / 12
  calendar months; the last day of a shorter month when D's day does not exist there),
  ``cohort_absconded`` (an effective ``absconded`` event on or after D).
"""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date

from ilonet.returns.events import Kind as K
from ilonet.returns.facts import CaseTimeline
from ilonet.returns.machine import effective_events

from ..periods import quarter_of

MEASURES = (
    "active_cases",
    "return_decisions",
    "rd_after_negative_asylum",
    "asylum_to_rd_days",
    "asylum_to_rd_n",
    "readmission_requests",
    "readmission_answered",
    "readmission_accepted",
    "readmission_answer_days",
    "returns_total",
    "returns_voluntary",
    "vd_with_period",
    "vd_within_period",
    "cohort_decisions",
    "cohort_returned_6m",
    "cohort_returned_12m",
    "cohort_absconded",
)
NEGATIVE_ASYLUM = "negative_asylum_decision"


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contributions(timeline: CaseTimeline) -> dict[tuple[str, int, int], int]:
    out: Counter[tuple[str, int, int]] = Counter()

    def add(measure: str, day: date, value: int = 1) -> None:
        year, quarter = quarter_of(day)
        out[(measure, year, quarter)] += value

    events = effective_events(timeline.events)
    negative_on: date | None = None
    first_rd: date | None = None
    last_rd: tuple[date, int] | None = None
    first_return: date | None = None
    absconded: list[date] = []
    pending: list[date] = []  # readmission requests awaiting an answer, oldest first
    for quarter in {quarter_of(e.occurred_on) for e in events}:
        out[("active_cases", *quarter)] = 1
    for ev in events:
        day, kind = ev.occurred_on, ev.kind
        if kind == K.LEGAL_STAY_ENDED and ev.fields.get("reason") == NEGATIVE_ASYLUM:
            negative_on = day
        elif kind == K.RETURN_DECISION:
            add("return_decisions", day)
            if negative_on is not None:
                add("rd_after_negative_asylum", day)
            if first_rd is None:
                first_rd = day
                if negative_on is not None:
                    add("asylum_to_rd_days", day, (day - negative_on).days)
                    add("asylum_to_rd_n", day)
            last_rd = (day, int(ev.fields.get("voluntary_departure_days") or 0))
        elif kind == K.READMISSION_REQUESTED:
            add("readmission_requests", day)
            pending.append(day)
        elif kind == K.READMISSION_ANSWERED and pending:
            asked = pending.pop(0)
            add("readmission_answered", asked)
            add("readmission_answer_days", asked, (day - asked).days)
            if ev.fields.get("answer") == "accepted":
                add("readmission_accepted", asked)
        elif kind in (K.VOLUNTARY_DEPARTURE, K.ENFORCED_RETURN_CARRIED_OUT):
            add("returns_total", day)
            first_return = first_return or day
            if kind == K.VOLUNTARY_DEPARTURE:
                add("returns_voluntary", day)
                if last_rd is not None and last_rd[1] > 0:
                    add("vd_with_period", day)
                    if (day - last_rd[0]).days <= last_rd[1]:
                        add("vd_within_period", day)
        elif kind == K.ABSCONDED:
            absconded.append(day)
    if first_rd is not None:
        add("cohort_decisions", first_rd)
        if first_return is not None and first_return >= first_rd:
            if first_return <= add_months(first_rd, 6):
                add("cohort_returned_6m", first_rd)
            if first_return <= add_months(first_rd, 12):
                add("cohort_returned_12m", first_rd)
        if any(d >= first_rd for d in absconded):
            add("cohort_absconded", first_rd)
    return dict(out)
