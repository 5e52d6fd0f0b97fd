"""The kinds of notification: each a stable name, a label (the preferences page, the e-mail's
subject) and a text with parameters, citing the article that makes someone be told.

The text is made when it is read (``render``), in the reader's language, from the parameters
the producer stored (ids, codes, dates, titles of public board documents): never personal
data. A producer (``ilonet.jobs.notify.notify``) may only use a kind declared here; a test
finds every producer in the code and checks it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ilonet.shared import dates


class UnknownKind(LookupError):
    pass


@dataclass(frozen=True)
class Kind:
    name: str
    label: Promise
    text: Promise
    article: str


KINDS: dict[str, Kind] = {}


def declare(name: str, label: Promise, text: Promise, article: str) -> Kind:
    kind = Kind(name=name, label=label, text=text, article=article)
    KINDS[name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(
            f"No notification kind {name!r} is declared (ilonet.notifications.kinds)."
        ) from None


# --- Art. 4(1): notifications of deployment plans and deployments to the steering board ----
declare("deployment.planned", _("Plan of deployment notified"),
        _("%(authority)s notified the steering board of a plan of deployment to %(country)s (Art. 4(1))."),
        "Art. 4(1)")  # fmt: skip
declare("deployment.started", _("Deployment started"),
        _("%(authority)s notified the steering board that a deployment to %(country)s started on %(start_on)s (Art. 4(1))."),  # noqa: E501
        "Art. 4(1)")  # fmt: skip
declare("deployment.changed", _("Deployment changed"),
        _("%(authority)s notified the steering board of a change of a deployment to %(country)s (Art. 4(1))."),  # noqa: E501
        "Art. 4(1)")  # fmt: skip
declare("deployment.ended", _("Deployment ended"),
        _("A deployment to %(country)s by %(authority)s ended on %(end_on)s (Art. 4(1))."),
        "Art. 4(1)")  # fmt: skip
declare("deployment.cancelled", _("Plan of deployment cancelled"),
        _("%(authority)s cancelled a plan of deployment to %(country)s (Art. 4(1))."),
        "Art. 4(1)")  # fmt: skip
declare("deployment.ended_at_planned_end", _("Deployment ended at its planned end"),
        _("A deployment of your authority to %(country)s ended at its planned end on %(ended_on)s; the steering board was notified (Art. 4(1))."),  # noqa: E501
        "Art. 4(1)")  # fmt: skip
# --- Art. 5(3): the facilitator of a local or regional network --------------------------------
declare("network.facilitator_appointed", _("Network facilitator appointed"),
        _("The network %(network)s has a facilitator (Art. 5(3))."), "Art. 5(3)")  # fmt: skip
declare("network.facilitator_changed", _("Network facilitator changed"),
        _("The facilitator of the network %(network)s changed (Art. 5(3))."), "Art. 5(3)")  # fmt: skip
declare("network.facilitator_none", _("No network facilitator"),
        _("The network %(network)s has no facilitator (Art. 5(3))."), "Art. 5(3)")  # fmt: skip
# --- the steering board ------------------------------------------------------------------------
declare("board.written_procedure_closed", _("Written procedure closed"),
        _("The written procedure “%(title)s” closed at its deadline: %(outcome)s (Art. 7(8))."),
        "Art. 7(8)")  # fmt: skip
declare("board.decision_to_pass_on", _("Decision to pass on"),
        _("The steering board adopted “%(title)s”: pass it on to your officers (Art. 7(9))."),
        "Art. 7(9)")  # fmt: skip
declare("board.decision_passed_on", _("Decision of the steering board"),
        _("Your deploying authority passed on the steering board's decision “%(title)s” (Art. 7(9))."),
        "Art. 7(9)")  # fmt: skip
declare("board.reminder.rules_deadline", _("Rules of procedure due"),
        _("The steering board's rules of procedure are due by %(deadline)s (Art. 8(1))."), "Art. 8(1)")  # fmt: skip  # noqa: E501
declare("board.reminder.meeting_cadence", _("Meetings of the steering board"),
        _("The steering board meets at least twice a year; meetings held in %(year)s: %(meetings)s (Art. 7(7))."),  # noqa: E501
        "Art. 7(7)")  # fmt: skip
declare("board.reminder.officer_list", _("List of deployed ILOs due"),
        _("The list of deployed ILOs is due before the meeting of %(meeting_on)s (Art. 8(2)(d))."),
        "Art. 8(2)(d)")  # fmt: skip
# --- what a user follows on the exchange (Art. 9(1)) and the situation reports (Art. 3(4)) ------
declare("exchange.document_added", _("New document in what you follow"),
        _("A new document “%(title)s” is in the space %(space)s (Art. 9(1))."), "Art. 9(1)")  # fmt: skip  # noqa: E501
declare("exchange.version_added", _("New version of a document you follow"),
        _("Version %(version)s of “%(title)s” is in the space %(space)s (Art. 9(1))."), "Art. 9(1)")  # fmt: skip  # noqa: E501
declare("situation_report.submitted", _("Situation report on a topic you follow"),
        _("A situation report for %(start_on)s to %(end_on)s was submitted on %(topics)s."), "Art. 3(4)")  # fmt: skip  # noqa: E501
# --- return cases (RS 2(a)): the case's reference and dates only, never the person ------------------
declare("returns.detention_review_due", _("Detention review due"),
        _("The detention or alternative to detention of return case %(case)s is to be reviewed by %(review_on)s (RS 2(a))."),  # noqa: E501
        "RS 2(a)")  # fmt: skip

# --- return cooperation between member states (RS 1) --------------------------------------------
declare("cooperation.offer_published", _("Places offered in a return programme"),
        _("%(state)s opened %(places)s places in its voluntary return and reintegration programme for %(countries)s; requests until %(deadline)s (RS 1)."),  # noqa: E501
        "RS 1")  # fmt: skip
declare("cooperation.flight_announced", _("Charter flight announced"),
        _("%(organiser)s announced a charter flight to %(country)s on %(departure_on)s with %(seats)s seats for other member states; requests until %(deadline)s (RS 1)."),  # noqa: E501
        "RS 1")  # fmt: skip
declare("cooperation.places_accepted", _("Request for places accepted"),
        _("%(state)s accepted your request for %(places)s places for returns to %(country)s (RS 1)."), "RS 1")  # fmt: skip  # noqa: E501
declare("cooperation.places_declined", _("Request for places declined"),
        _("%(state)s declined your request for %(places)s places for returns to %(country)s (RS 1)."), "RS 1")  # fmt: skip  # noqa: E501
declare("cooperation.seats_allocated", _("Seats allocated on a charter flight"),
        _("%(organiser)s allocated %(allocated)s of the %(requested)s seats you requested on the flight to %(country)s on %(departure_on)s (RS 1)."),  # noqa: E501
        "RS 1")  # fmt: skip
declare("cooperation.seats_offered_again", _("Seats offered again"),
        _("%(released)s seats on the flight to %(country)s on %(departure_on)s are offered again; %(free)s free until %(deadline)s (RS 1)."),  # noqa: E501
        "RS 1")  # fmt: skip
declare("cooperation.deadline_near", _("Deadline for seat requests near"),
        _("Requests for the flight to %(country)s on %(departure_on)s close on %(deadline)s; %(free)s seats are free (RS 1)."),  # noqa: E501
        "RS 1")  # fmt: skip


OUTCOMES = {"adopted": _("adopted"), "rejected": _("not adopted"), "no_quorum": _("not adopted: no quorum")}


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "–"


def _shown(name: str, value: Any) -> Any:
    if value is None or value == "":
        return "–"
    if name == "country":
        return countries.name(value) or value
    if name == "outcome":
        return str(OUTCOMES.get(value, value))
    if name.endswith("_on") or name == "deadline":
        return dates.long_date(value) or value
    return value


def render(kind_name: str, params: dict[str, Any]) -> str:
    """The notification's text in the active language (a kind no longer declared shows its
    name: old rows never break a page)."""
    kind = KINDS.get(kind_name)
    if kind is None:
        return kind_name
    shown = _Params({name: _shown(name, value) for name, value in (params or {}).items()})
    return str(kind.text) % shown


def label(kind_name: str) -> str:
    kind = KINDS.get(kind_name)
    return str(kind.label) if kind else kind_name
