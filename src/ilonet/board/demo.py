"""Demo data for the steering board (deterministic): the composition with members and
alternates (Art. 7(2), Art. 7(3)), three past meetings with attendance and minutes, rules of procedure
adopted within three months of the first meeting (Art. 8(1)), an adopted decision with its
vote and its dispatch to the deploying authorities (Art. 7(8), Art. 7(9)), an adopted work programme
sent to the European Parliament (Art. 8(2)), a secret vote open by written procedure, an ad-hoc
action, trainings, a planned meeting and a draft activity report (Art. 8(2)(c)).

Everything goes through the services, as a user would; past events are created with the
services' ``now`` arguments so that the days of the votes are the days of the meetings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ilonet.accounts.demo import DEMO_DOMAIN, demo_totp_secret
from ilonet.directory import selectors as directory

from . import selectors, services
from .models import (
    AgendaKind,
    Capacity,
    Choice,
    ItemKind,
    ItemStatus,
    MeetingKind,
    Motion,
    MotionStatus,
    ParticipantRole,
    Procedure,
    SeatKind,
    SecretBallot,
    TrainingKind,
)

RULES_TEXT = """Rules of procedure of the steering board of the European network of immigration liaison \
officers

Article 1 – Meetings
The chair convenes the board at least twice a year (Art. 7(7) of Regulation (EU) 2019/1240) and sends the \
agenda and documents at least ten working days before a meeting.

Article 2 – Voting
The board decides by an absolute majority of its voting members (Art. 7(8)). A vote is held in a meeting \
or by written procedure open for at least five days. The chair may hold a vote by secret ballot on a \
matter concerning persons or at the request of three voting members.

Article 3 – Acting on behalf of another member
A member who can take part neither in person nor through the alternate may ask another voting member to vote \
on the member's behalf on a given motion. A member holds at most one such proxy.

Article 4 – Quorum
A vote is valid when at least half of the voting members take part.

Article 5 – Non-voting members and observers
The representatives of the countries associated with the Schengen acquis speak on all matters (Art. 7(3)). \
Observers invited by the board may speak on the items for which they are invited (Art. 7(4)).
"""


def _user(local: str):
    return get_user_model()._default_manager.get(email=f"{local}@{DEMO_DOMAIN}")


def _at(day, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _members_by_seat():
    """Demo e-mail local parts of the member and alternate for each seat."""
    people = {}
    for state in directory.participating_member_states():
        if state.code == "nl":
            people[(state.code, 1)] = ("board.nl", "alternate.nl")
        else:
            people[(state.code, 1)] = (f"boardmember.{state.code}", f"boardalternate.{state.code}")
    people[("com", 1)] = ("chair", None)
    people[("com", 2)] = ("board.com", None)
    for code in services.AGENCY_CODES:
        people[(code, 1)] = (f"board.{code}", None)
    for country in directory.schengen_associated_countries():
        people[(country.code, 1)] = (f"board.{country.code}", None)
    return people


@dataclass(frozen=True)
class SeatLogin:
    seat: str
    email: str
    totp_secret: str
    voted: bool  # on the open vote


@dataclass(frozen=True)
class VotingLogins:
    """The demo logins of the voting seats, the count of Art. 7(8) on the day, and the vote
    open by written procedure."""

    voting_members: int
    votes_needed: int
    logins: list[SeatLogin]
    open_vote: str


def voting_seat_logins(day: date | None = None) -> VotingLogins:
    """One demo login per voting seat (its member, else its alternate), each with its TOTP
    secret: with them a visitor can take a vote to the absolute majority of Art. 7(8)."""
    comp = selectors.composition(day=day or timezone.localdate())
    motion = Motion.objects.filter(status=MotionStatus.OPEN).order_by("pk").first()
    voted = set(motion.participations.values_list("seat_id", flat=True)) if motion else set()
    logins = []
    for row in comp.rows:
        holder = row.member or row.alternate
        if not row.seat.voting or holder is None:
            continue
        org = row.seat.organisation
        label = org.acronym if row.seat.kind == SeatKind.AGENCY and org.acronym else org.name
        label += f" ({row.seat.number})" if row.seat.kind == SeatKind.COMMISSION else ""
        email = holder.user.email
        logins.append(SeatLogin(label, email, demo_totp_secret(email), row.seat.pk in voted))
    return VotingLogins(comp.voting, comp.threshold, logins, motion.title if motion else "")


def seed_board() -> None:
    """Create the steering board demo. Idempotent enough for a fresh database (called once
    from ``seed_demo``)."""
    today = timezone.localdate()
    chair, secretariat = _user("chair"), _user("secretariat")
    first_day = today - timedelta(days=420)

    # Composition (Art. 7(2), Art. 7(3)) from the first meeting on, and its members.
    services.sync_composition(actor=chair, on=first_day)
    people = _members_by_seat()
    for seat in selectors.seats_on(day=first_day):
        member, alternate = people.get((seat.organisation.code, seat.number), (None, None))
        for local, capacity in ((member, Capacity.MEMBER), (alternate, Capacity.ALTERNATE)):
            if local:
                services.appoint(
                    actor=secretariat, seat=seat, user=_user(local), capacity=capacity, valid_from=first_day
                )

    # Meeting 1: the first meeting (Art. 8(1): the three months run from here). The past
    # meetings are recorded afterwards with their minutes, as a board new to ILOnet would.
    m1 = services.record_past_meeting(
        actor=chair,
        title="1st meeting of the ILO steering board",
        starts_at=_at(first_day),
        ends_at=_at(first_day, 16),
        location="Brussels, Berlaymont",
        minutes="The chair opened the first meeting. The board discussed the chair's draft rules of "
        "procedure and agreed to adopt them at its next meeting. Frontex presented the deployment "
        "situation.",
        agenda=(
            ("Opening and adoption of the agenda", AgendaKind.INFORMATION),
            ("Chair's proposal for the rules of procedure (Art. 8(1))", AgendaKind.DISCUSSION),
            ("Deployment situation and the list of deployed ILOs (Art. 8(2)(d))", AgendaKind.INFORMATION),
        ),
    )
    services.record_attendance(
        actor=secretariat,
        meeting=m1,
        present={p.pk for p in m1.participants.all() if p.role != ParticipantRole.ALTERNATE},
    )

    # Rules of procedure: proposed by the chair, adopted in meeting 2 within three months.
    rules = services.propose_rules(
        actor=chair,
        title="Rules of procedure of the ILO steering board",
        text=RULES_TEXT,
        proxies_allowed=True,
        max_proxies_per_holder=1,
        quorum_percent=50,
        secret_ballot=SecretBallot.ON_REQUEST,
        written_procedure_allowed=True,
        written_procedure_min_days=5,
    )
    day2 = first_day + timedelta(days=70)
    m2 = services.record_past_meeting(
        actor=chair,
        title="2nd meeting of the ILO steering board",
        starts_at=_at(day2),
        ends_at=_at(day2, 16),
        location="Video conference",
        minutes="The board adopted its rules of procedure.",
        agenda=(("Adoption of the rules of procedure", AgendaKind.DECISION),),
    )
    rules_item = m2.agenda_items.get(position=1)
    services.record_attendance(
        actor=secretariat,
        meeting=m2,
        present={p.pk for p in m2.participants.all() if p.role != ParticipantRole.ALTERNATE},
    )
    _hold_vote(
        chair=chair,
        meeting=m2,
        agenda_item=rules_item,
        communicate_to_ilos=False,
        when=_at(day2, 11),
        rules=rules,
        title="Adoption of the rules of procedure",
        text="The steering board adopts its rules of procedure (Art. 8(1) of Regulation (EU) 2019/1240).",
        against=("boardmember.hu",),
        abstain=("boardmember.pl",),
    )

    # Work programme (Art. 8(2)(a)), adopted at meeting 3 and sent to the European Parliament.
    programme = services.create_programme(
        actor=chair,
        title=f"Work programme {today.year - 1}–{today.year}",
        period_start=today.replace(year=today.year - 1, month=1, day=1),
        period_end=today.replace(month=12, day=31),
        summary="Priorities: coverage of priority third countries, a common approach to risk analysis by the "
        "local networks, and training on fundamental rights.",
    )
    owners = {code: directory.get_by_code(code) for code in ("com", "frontex", "euaa", "nl")}
    for kind, title, resources, owner, status in (
        (
            ItemKind.PRIORITY,
            "Coverage of priority third countries (Art. 8(2)(e))",
            "",
            owners["com"],
            ItemStatus.ONGOING,
        ),
        (
            ItemKind.ACTIVITY,
            "Common template for strategic risk analysis by local networks",
            "2 expert meetings",
            owners["frontex"],
            ItemStatus.DONE,
        ),
        (
            ItemKind.ACTIVITY,
            "Fundamental rights module for pre-deployment training",
            "EUAA trainer, 20 days",
            owners["euaa"],
            ItemStatus.ONGOING,
        ),
        (
            ItemKind.ACTIVITY,
            "Information sessions for consular staff in the Western Balkans",
            "Travel budget",
            owners["nl"],
            ItemStatus.PLANNED,
        ),
    ):
        item = services.add_programme_item(
            actor=chair, programme=programme, kind=kind, title=title, resources=resources, owner=owner
        )
        if status != ItemStatus.PLANNED:
            services.set_item_status(actor=chair, item=item, status=status)

    day3 = today - timedelta(days=40)
    m3 = services.record_past_meeting(
        actor=chair,
        title="Steering board meeting",
        starts_at=_at(day3, 9),
        ends_at=_at(day3, 17),
        location="Brussels, Charlemagne building",
        minutes="The board adopted the work programme and a common approach to information sessions for "
        "consular staff. The secretariat presented the updated list of deployed ILOs. Cyprus and Malta "
        "were represented by their alternates.",
        agenda=(
            ("Adoption of the work programme (Art. 8(2)(a))", AgendaKind.DECISION),
            ("Common approach to information sessions for consular staff", AgendaKind.DECISION),
            ("Update of the list of deployed ILOs (Art. 8(2)(d))", AgendaKind.INFORMATION),
        ),
    )
    m3_items = list(m3.agenda_items.order_by("position"))
    services.invite(actor=chair, meeting=m3, user=_user("observer"), role=ParticipantRole.OBSERVER)
    absent = {"boardmember.mt", "boardmember.cy", "board.li"}
    services.record_attendance(
        actor=secretariat,
        meeting=m3,
        present={
            p.pk
            for p in m3.participants.select_related("user")
            if p.user.email.split("@")[0] not in absent
            and (
                p.role != ParticipantRole.ALTERNATE
                or p.user.email.split("@")[0].replace("boardalternate", "boardmember") in absent
            )
        },
    )
    _hold_vote(
        chair=chair,
        meeting=m3,
        agenda_item=m3_items[0],
        when=_at(day3, 10),
        programme=programme,
        title="Adoption of the work programme",
        text="The steering board adopts its biannual work programme.",
        against=(),
        abstain=("boardmember.at",),
    )
    decision = _hold_vote(
        chair=chair,
        meeting=m3,
        agenda_item=m3_items[1],
        when=_at(day3, 15),
        title="Common approach to information sessions for consular staff",
        text="Local networks organise at least one information session a year for the consular staff of the "
        "member states' missions (Art. 5(1)(f)), using the common material agreed by the board.",
        against=("boardmember.hu", "boardmember.sk"),
        abstain=("boardmember.pl",),
        statements=(
            ("board.no", "Norway supports the approach and will join the sessions in its missions."),
            ("observer", "IOM can contribute material on assisted voluntary return."),
        ),
    )
    services.add_evaluation(
        actor=chair,
        programme=programme,
        evaluated_on=day3,
        findings="Two of four activities are under way; the risk-analysis template is in use in 12 networks.",
        proposed_changes="Add an activity on document fraud trends in West Africa.",
        networks_progress="Facilitators are appointed in all networks but two; cooperation with "
        "third-country authorities improved in the Sahel networks.",
    )
    services.mark_programme_sent(actor=chair, programme=programme, on=day3 + timedelta(days=5))

    # The deploying authority of the Netherlands passed the decision on (Art. 7(9)).
    deploying = _user("deploying")
    for dispatch in selectors.dispatches_for(user=deploying, pending=True).filter(motion=decision):
        services.mark_passed_on(actor=deploying, dispatch=dispatch, note="Sent to all Dutch ILOs by e-mail.")

    # Ad-hoc action (Art. 8(3)(a)) and training (Art. 8(3)(c)).
    services.record_ad_hoc_action(
        actor=chair,
        title="Joint assessment of document fraud at Dakar airport",
        description="The Senegal network assesses document fraud trends with the airport authorities.",
        networks="Local network Senegal",
        agreed_on=day3,
        meeting=m3,
        due_on=today + timedelta(days=60),
    )
    for kind, title, provider in (
        (TrainingKind.PRE_DEPLOYMENT, "Pre-deployment course for immigration liaison officers", "Frontex"),
        (
            TrainingKind.FUNDAMENTAL_RIGHTS,
            "Fundamental rights and vulnerable persons in third countries",
            "EUAA",
        ),
        (
            TrainingKind.CORE_CURRICULUM,
            "Common core curriculum (non-mandatory), module 1",
            "CEPOL and Frontex",
        ),
    ):
        services.record_training(
            actor=chair,
            kind=kind,
            title=title,
            provider=provider,
            starts_on=day3 + timedelta(days=30),
            ends_on=day3 + timedelta(days=32),
            programme=programme,
        )

    # A planned meeting and a secret vote open by written procedure.
    day4 = today + timedelta(days=60)
    services.create_meeting(
        actor=chair,
        title="Autumn meeting and joint session with the European Migration Network",
        kind=MeetingKind.JOINT,
        joint_with="European Migration Network (EMN)",
        starts_at=_at(day4, 9),
        ends_at=_at(day4, 17),
        location="Brussels",
    )
    written = services.create_motion(
        actor=chair,
        title="Appointment of the network coordinator for the Sahel region",
        text="The steering board supports the appointment proposed by the secretariat (secret ballot on a "
        "matter concerning a person, rules of procedure Art. 2).",
        procedure=Procedure.WRITTEN,
        closes_at=timezone.now() + timedelta(days=10),
        secret=True,
    )
    services.open_motion(actor=chair, motion=written)
    for local, choice in (
        ("boardmember.de", Choice.FOR),
        ("boardmember.fr", Choice.FOR),
        ("boardmember.be", Choice.AGAINST),
        ("board.frontex", Choice.FOR),
    ):
        services.cast_vote(actor=_user(local), motion=written, choice=choice)

    # The draft activity report of the last two years, with the overview of deployments (Art. 4(1)).
    start, end = selectors.default_report_period(today)
    services.create_report(
        actor=chair,
        title=f"Activity report {start.year}–{end.year}",
        period_start=start,
        period_end=end,
        body="The steering board met regularly, adopted its rules of procedure and its work programme, and "
        "agreed a common approach to information sessions for consular staff. The overview of "
        "deployments below is generated from the deployment registry.",
    )


def _hold_vote(*, chair, meeting, agenda_item, when, title, text, against, abstain, statements=(), **subject):
    """A vote in a meeting under an item of its agenda: every voting seat represented at the
    meeting votes, in favour unless listed; an absent member's alternate votes (Art. 7(2))."""
    motion = services.create_motion(
        actor=chair, title=title, text=text, procedure=Procedure.MEETING, meeting=meeting, **subject
    )
    services.update_agenda_item(actor=chair, item=agenda_item, motion=motion)
    for local, statement in statements:
        services.comment(actor=_user(local), motion=motion, text=statement)
    services.open_motion(actor=chair, motion=motion, now=when)
    present = meeting.participants.filter(attended=True).select_related("seat", "user")
    voted: set[int] = set()
    for p in present:
        if p.seat is None or not p.seat.voting or p.seat_id in voted or p.seat.kind == SeatKind.ASSOCIATED:
            continue
        local = p.user.email.split("@")[0]
        choice = Choice.AGAINST if local in against else Choice.ABSTAIN if local in abstain else Choice.FOR
        services.cast_vote(actor=p.user, motion=motion, choice=choice, now=when)
        voted.add(p.seat_id)
    motion = services.close_motion(actor=chair, motion=motion, now=when + timedelta(minutes=20))
    if motion.outcome != "adopted":  # the demo tells a story of adopted decisions
        raise RuntimeError(f"demo vote {title!r} was not adopted: {selectors.explanation(motion)}")
    return motion
