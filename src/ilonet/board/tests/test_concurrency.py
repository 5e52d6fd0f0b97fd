"""Two votes for the same seat at the same instant count once (Art. 7(2): member and alternate
share one vote). Real concurrent API requests, each thread with its own database connection;
on PostgreSQL the motion row lock serialises them, on SQLite the single writer does. The
unique constraint on (motion, seat) is the backstop whatever the database."""

import threading

import pytest
from django.db import IntegrityError, connections, transaction
from django.test import Client
from django.utils import timezone

from ilonet.accounts import testing as account_tokens
from ilonet.board.models import Ballot, Capacity, Choice, Participation
from ilonet.board.tests.conftest import Board
from ilonet.directory.services import ensure_reference_organisations


@pytest.fixture
def reference(transactional_db):
    """Transactional tests start from a flushed database: load the reference organisations."""
    ensure_reference_organisations()


def _concurrently(requests):
    """Run each (client, url, body) at the same instant; returns the status codes."""
    barrier = threading.Barrier(len(requests))
    results: list[int | None] = [None] * len(requests)

    def run(index, client, url, body):
        try:
            barrier.wait(timeout=10)
            response = client.post(url, body, content_type="application/json")
            results[index] = response.status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _client_for(user) -> Client:
    _token, secret = account_tokens.issue_api_token(actor=user, name="test", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/board/composition").status_code == 200  # token used: no write in the race
    return client


@pytest.mark.django_db(transaction=True)
def test_member_and_alternate_voting_at_the_same_instant_count_once(reference, make_user):
    chair = make_user("chair", organisation="com")
    board = Board(chair, make_user)
    member = board.appoint("nl")
    alternate = board.appoint("nl", Capacity.ALTERNATE)
    clients = (_client_for(member), _client_for(alternate))
    for round_ in range(5):  # several races, not one lucky interleaving
        motion = board.motion(title=f"race {round_}")
        url = f"/api/v1/board/motions/{motion.pk}/votes"
        codes = _concurrently(
            [(clients[0], url, {"choice": Choice.FOR}), (clients[1], url, {"choice": Choice.AGAINST})]
        )
        assert sorted(codes) == [201, 422], codes
        assert Participation.objects.filter(motion=motion).count() == 1
        assert Ballot.objects.filter(motion=motion).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_member_voting_twice_at_the_same_instant_counts_once(reference, make_user):
    chair = make_user("chair", organisation="com")
    board = Board(chair, make_user)
    member = board.appoint("de")
    motion = board.motion()
    url = f"/api/v1/board/motions/{motion.pk}/votes"
    first, second = _client_for(member), _client_for(member)
    codes = _concurrently([(first, url, {"choice": Choice.FOR}), (second, url, {"choice": Choice.FOR})])
    assert sorted(codes) == [201, 422], codes
    assert Ballot.objects.filter(motion=motion).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_participation_for_a_seat(board):
    member = board.appoint("nl")
    motion = board.motion()
    Participation.objects.create(
        motion=motion, seat=board.seat("nl"), cast_by=member, capacity="member", cast_at=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            motion=motion, seat=board.seat("nl"), cast_by=member, capacity="alternate", cast_at=timezone.now()
        )
