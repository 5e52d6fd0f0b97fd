"""Export files in the shapes of the other return IT systems (RS 2(c)): SIS return alerts, RCMS
readmission requests, RIAT reintegration cases and entry/exit-system overstay records.

Where the field names come from (docs/returns-interchange.md says the same):

- **SIS return alerts**: the data categories of an alert on return are law, in Art. 4(1) of
  Regulation (EU) 2018/1860 (reference to the decision, the last day of the period for voluntary
  departure, whether the decision is suspended, whether an entry ban accompanies it, ...). The
  SIS interface control documents (eu-LISA) are not public: the column names are our reading of
  those categories, not the SIS message format.
- **RCMS** (the readmission case management system): no public interface description; the
  columns are our reading of what a readmission request and its answer carry.
- **RIAT** (Frontex's reintegration assistance tool): no public interface description; our
  reading of a reintegration case.
- **Entry/exit system overstay records**: the data of an individual file, its entry/exit record
  and the overstayer list are law (Regulation (EU) 2017/2226, Art. 12(3), Art. 16(1),
  Art. 16(2)); the EES interface control documents are not public. ILOnet does not hold the
  entry date or border crossing point: those columns are present and empty.

No personal data is exported in these shapes: the person is named by the opaque reference of
their key (``person_ref``); the national system joins the identity from its own records.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from ilonet.returns import rls
from ilonet.returns.events import Kind as K
from ilonet.returns.models import CaseEvent, ReturnCase

from .exporting import _case_ids

Event = tuple[int, str, date, dict[str, Any]]  # seq, kind, date, fields
Builder = Callable[[dict[str, Any], list[Event]], list[dict[str, Any]]]


def _first(events: list[Event], kind: str, after: int = 0) -> Event | None:
    return next((e for e in events if e[1] == kind and e[0] > after), None)


def _day(event: Event | None) -> str:
    return event[2].isoformat() if event else ""


def sis_return_alert(case: dict[str, Any], events: list[Event]) -> list[dict[str, Any]]:
    decision = _first(events, K.RETURN_DECISION)
    if decision is None:
        return []
    entered, deleted = _first(events, K.SIS_ALERT_ENTERED), _first(events, K.SIS_ALERT_DELETED)
    days = decision[3].get("voluntary_departure_days")
    last_day = date.fromordinal(decision[2].toordinal() + int(days)).isoformat() if days else ""
    appeal = _first(events, K.APPEAL_LODGED)
    decided = _first(events, K.APPEAL_DECIDED, appeal[0]) if appeal else None
    return [
        {
            "sis_reference": entered[3].get("sis_reference", "") if entered else "",
            "alert_category": "return",
            "issuing_member_state": case["member_state"],
            "national_case_reference": case["reference"],
            "person_ref": case["person_ref"],
            "decision_reference": decision[3].get("decision_reference", ""),
            "decision_date": _day(decision),
            "voluntary_departure_last_day": last_day,
            "decision_suspended": bool(appeal and appeal[3].get("suspensive_effect") and decided is None),
            "entry_ban_accompanies": _first(events, K.ENTRY_BAN) is not None,
            "country_of_return": case["third_country"],
            "alert_entered_on": _day(entered),
            "alert_deleted_on": _day(deleted),
        }
    ]


def rcms_readmission_request(case: dict[str, Any], events: list[Event]) -> list[dict[str, Any]]:
    out = []
    for request in (e for e in events if e[1] == K.READMISSION_REQUESTED):
        answer = _first(events, K.READMISSION_ANSWERED, request[0])
        asked = _first(events, K.TRAVEL_DOCUMENT_REQUESTED, request[0])
        issued = _first(events, K.TRAVEL_DOCUMENT_ISSUED, request[0])
        out.append(
            {
                "rcms_reference": request[3].get("rcms_reference", ""),
                "requesting_member_state": case["member_state"],
                "requested_state": case["third_country"],
                "national_case_reference": case["reference"],
                "person_ref": case["person_ref"],
                "request_date": _day(request),
                "channel": request[3].get("channel", ""),
                "answer": answer[3].get("answer", "") if answer else "",
                "answer_date": _day(answer),
                "days_to_answer": (answer[2] - request[2]).days if answer else "",
                "travel_document_type": (issued or asked)[3].get("document_type", "")
                if (issued or asked)
                else "",
                "travel_document_issued_on": _day(issued),
            }
        )
    return out


def riat_reintegration_case(case: dict[str, Any], events: list[Event]) -> list[dict[str, Any]]:
    departure = _first(events, K.VOLUNTARY_DEPARTURE) or _first(events, K.ENFORCED_RETURN_CARRIED_OUT)
    return [
        {
            "national_case_reference": case["reference"],
            "member_state": case["member_state"],
            "person_ref": case["person_ref"],
            "country_of_return": case["third_country"],
            "return_type": case["case_type"],
            "departure_date": _day(departure),
            "assistance_date": _day(e),
            "package": e[3].get("package", ""),
            "provider": e[3].get("provider", ""),
            "frontex_joint_reintegration": bool(e[3].get("frontex_joint_reintegration")),
        }
        for e in events
        if e[1] == K.REINTEGRATION_ASSISTANCE
    ]


def ees_overstay(case: dict[str, Any], events: list[Event]) -> list[dict[str, Any]]:
    ended = _first(events, K.LEGAL_STAY_ENDED)
    if ended is None or ended[3].get("reason") not in {"permit_expired", "irregular_entry_or_stay"}:
        return []
    exit_event = _first(events, K.VOLUNTARY_DEPARTURE) or _first(events, K.ENFORCED_RETURN_CARRIED_OUT)
    return [
        {
            "member_state": case["member_state"],
            "national_case_reference": case["reference"],
            "person_ref": case["person_ref"],
            "entry_date": "",  # not held by ILOnet (Art. 16(1) of Regulation (EU) 2017/2226)
            "entry_border_crossing_point": "",  # not held by ILOnet
            "authorised_stay_end": _day(ended),
            "overstay_reason": ended[3].get("reason", ""),
            "return_decision_date": _day(_first(events, K.RETURN_DECISION)),
            "exit_date": _day(exit_event),
            "exit_type": "" if exit_event is None else exit_event[1],
        }
    ]


SHAPES: dict[str, Builder] = {
    "sis_return_alert": sis_return_alert,
    "rcms_readmission_request": rcms_readmission_request,
    "riat_reintegration_case": riat_reintegration_case,
    "ees_overstay": ees_overstay,
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "sis_return_alert": (
        "sis_reference",
        "alert_category",
        "issuing_member_state",
        "national_case_reference",
        "person_ref",
        "decision_reference",
        "decision_date",
        "voluntary_departure_last_day",
        "decision_suspended",
        "entry_ban_accompanies",
        "country_of_return",
        "alert_entered_on",
        "alert_deleted_on",
    ),
    "rcms_readmission_request": (
        "rcms_reference",
        "requesting_member_state",
        "requested_state",
        "national_case_reference",
        "person_ref",
        "request_date",
        "channel",
        "answer",
        "answer_date",
        "days_to_answer",
        "travel_document_type",
        "travel_document_issued_on",
    ),
    "riat_reintegration_case": (
        "national_case_reference",
        "member_state",
        "person_ref",
        "country_of_return",
        "return_type",
        "departure_date",
        "assistance_date",
        "package",
        "provider",
        "frontex_joint_reintegration",
    ),
    "ees_overstay": (
        "member_state",
        "national_case_reference",
        "person_ref",
        "entry_date",
        "entry_border_crossing_point",
        "authorised_stay_end",
        "overstay_reason",
        "return_decision_date",
        "exit_date",
        "exit_type",
    ),
}


def export_lines(
    *, shape: str, member_state: str, opened_from: date, opened_to: date, fmt: str = "csv"
) -> Iterator[str]:
    build, columns = SHAPES[shape], COLUMNS[shape]
    if fmt == "csv":
        yield ",".join(columns) + "\r\n"
    with rls.member_state_scope([member_state]):
        for ids in _case_ids(member_state, opened_from, opened_to):
            yield _chunk(ids, build, columns, fmt)


def _chunk(ids: list[int], build: Builder, columns: tuple[str, ...], fmt: str) -> str:
    events: dict[int, list[Event]] = {}
    for case_id, seq, kind, day, fields, supersedes in (
        CaseEvent.objects.filter(case_id__in=ids)
        .order_by("case_id", "seq")
        .values_list("case_id", "seq", "kind", "occurred_on", "fields", "supersedes_seq")
    ):
        timeline = events.setdefault(case_id, [])
        if supersedes:  # a correction replaces the event it supersedes
            timeline[:] = [e for e in timeline if e[0] != supersedes]
        if kind != K.RETRACTED:
            timeline.append((seq, kind, day, fields or {}))
    keys = dict(  # an imported case's external id, on its opening event
        CaseEvent.objects.filter(
            case_id__in=ids, seq=1, kind=K.CASE_OPENED, external_id__isnull=False
        ).values_list("case_id", "external_id")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for pk, reference, state, case_type, country, person_ref in (
        ReturnCase.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "reference", "member_state", "case_type", "third_country", "person_ref")
    ):
        case = {
            "reference": keys.get(pk, reference),
            "member_state": state,
            "case_type": case_type,
            "third_country": country,
            "person_ref": person_ref,
        }
        for item in build(case, events.get(pk, [])):
            if fmt == "csv":
                writer.writerow([_cell(item[name]) for name in columns])
            else:
                buffer.write(json.dumps(item, separators=(",", ":")) + "\n")
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value
