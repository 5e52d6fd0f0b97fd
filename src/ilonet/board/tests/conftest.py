"""Fixtures for the steering board tests: a board whose seats follow the regulation and the
directory (Art. 7(2), Art. 7(3)), and people appointed to them through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.board import selectors, services
from ilonet.board.models import Capacity, Procedure
from ilonet.directory import selectors as directory

ROLE_FOR = {Capacity.MEMBER: Role.BOARD_MEMBER, Capacity.ALTERNATE: Role.BOARD_ALTERNATE}


@pytest.fixture
def chair(make_user):
    return make_user(Role.CHAIR, organisation="com", email="chair@example.eu")


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT, organisation="com", email="secretariat@example.eu")


class Board:
    """The board of the day: seats from ``sync_composition``, helpers to appoint people."""

    def __init__(self, chair, make_user):
        self.chair = chair
        self.make_user = make_user
        self.people: dict[tuple[str, int, str], object] = {}
        services.sync_composition(actor=chair, on=self.today)

    @property
    def today(self):
        """The day now, asked each time: a test that runs across midnight reads the day the
        services read (a day kept from the fixture's start was yesterday to them)."""
        return timezone.localdate()

    def seat(self, code: str, number: int = 1):
        return selectors.seats_on(day=self.today).get(organisation__code=code, number=number)

    def appoint(self, code: str, capacity: str = Capacity.MEMBER, number: int = 1, user=None, role=None):
        """The member (or alternate) of a seat, appointed today; the same person on a second call."""
        key = (code, number, capacity)
        if user is None and key in self.people:
            return self.people[key]
        seat = self.seat(code, number)
        if user is None:
            if not seat.voting:
                role = role or Role.NON_VOTING_MEMBER
            user = self.make_user(role or ROLE_FOR[capacity], organisation=code)
        services.appoint(actor=self.chair, seat=seat, user=user, capacity=capacity, valid_from=self.today)
        self.people[key] = user
        return user

    def voting_state_codes(self) -> list[str]:
        return list(directory.participating_member_states().order_by("code").values_list("code", flat=True))

    def members(self, count: int) -> list:
        """Members of ``count`` member-state seats (in code order)."""
        return [self.appoint(code) for code in self.voting_state_codes()[:count]]

    def motion(self, *, procedure=Procedure.WRITTEN, open=True, meeting=None, days: int = 7, **fields):
        values = {"title": "Motion", "text": "The board decides.", "procedure": procedure, **fields}
        if procedure == Procedure.WRITTEN:
            values.setdefault("closes_at", timezone.now() + timedelta(days=days))
        else:
            values["meeting"] = meeting or self.meeting()
        motion = services.create_motion(actor=self.chair, **values)
        return services.open_motion(actor=self.chair, motion=motion) if open else motion

    def meeting(self, *, starts_in=None, **fields):
        """A meeting convened by the chair; one on an earlier day is recorded afterwards with its
        minutes, as the services require (Art. 7(6)(c), Art. 8(1)). By default it began an hour
        ago, but never before today's midnight: between midnight and one in the morning an hour
        ago is yesterday, and yesterday's meeting is a held one (tests failed then in CI)."""
        now = timezone.now()
        if starts_in is None:
            midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
            starts_in = max(timedelta(hours=-1), midnight - now)
        start = fields.pop("starts_at", None) or now + starts_in
        values = {
            "title": "Board meeting",
            "starts_at": start,
            "ends_at": start + timedelta(hours=6),
            "location": "Brussels",
            **fields,
        }
        if timezone.localdate(start) < timezone.localdate(now):
            values["ends_at"] = min(values["ends_at"], now)
            return services.record_past_meeting(actor=self.chair, minutes="Minutes of the meeting.", **values)
        return services.create_meeting(actor=self.chair, **values)

    def rules(self, **fields):
        """Rules of procedure adopted today (put directly through a vote of the whole board)."""
        values = {"title": "Rules of procedure", "text": "Text.", **fields}
        rules = services.propose_rules(actor=self.chair, **values)
        motion = self.motion(rules=rules, title="Adoption of the rules", procedure=Procedure.MEETING)
        voters = self._all_voting_members()
        for user in voters[: selectors.voting_members_on(day=self.today) // 2 + 1]:
            services.cast_vote(actor=user, motion=motion, choice="for")
        motion = services.close_motion(actor=self.chair, motion=motion)
        assert motion.outcome == "adopted"
        rules.refresh_from_db()
        return rules

    def _all_voting_members(self):
        """Members for every voting member-state seat that has none yet."""
        return [self.appoint(code) for code in self.voting_state_codes()]


@pytest.fixture
def board(chair, make_user):
    return Board(chair, make_user)
