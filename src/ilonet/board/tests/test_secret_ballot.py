"""Secret ballots (Art. 8(1): the rules of procedure may make a vote secret): nobody can link a
ballot to a voter from the data, and every voter can check that the ballot was counted."""

import pytest
from django.db import models
from django.urls import reverse

from ilonet.audit.models import AuditEvent
from ilonet.board import selectors, services
from ilonet.board.models import Ballot, Choice, Participation, SecretBallot

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret_board(board):
    board.rules(secret_ballot=SecretBallot.ON_REQUEST)
    return board


def test_the_ballot_table_has_no_link_to_seat_voter_or_time():
    fields = {f.name: f for f in Ballot._meta.get_fields() if f.concrete}
    assert set(fields) == {"id", "motion", "choice", "receipt_fingerprint"}
    assert isinstance(fields["id"], models.UUIDField)  # no sequence to correlate with participations
    assert not any(isinstance(f, models.DateTimeField | models.DateField) for f in fields.values())


def test_secret_ballot_records_who_voted_but_not_how(secret_board):
    voters = secret_board.members(3)
    motion = secret_board.motion(secret=True)
    receipts = [
        services.cast_vote(actor=user, motion=motion, choice=choice).receipt
        for user, choice in zip(voters, (Choice.FOR, Choice.AGAINST, Choice.FOR), strict=True)
    ]
    assert all(receipts) and len(set(receipts)) == 3
    assert set(Participation.objects.filter(motion=motion).values_list("choice", flat=True)) == {""}
    assert not Ballot.objects.filter(motion=motion).exists()  # sealed until the vote closes
    services.close_motion(actor=secret_board.chair, motion=motion, now=motion.closes_at)
    assert sorted(Ballot.objects.filter(motion=motion).values_list("choice", flat=True)) == [
        "against",
        "for",
        "for",
    ]
    for event in AuditEvent.objects.filter(action="board.vote_cast", object_id=str(motion.pk)):
        assert "choice" not in event.details and event.details["secret"] is True
        assert all(c not in str(event.details) for c in ("for", "against", "abstain"))
    # Receipts are not stored, only their fingerprints.
    stored = set(Ballot.objects.filter(motion=motion).values_list("receipt_fingerprint", flat=True))
    assert not stored & set(receipts)
    assert {selectors.receipt_fingerprint(r) for r in receipts} == stored


def test_the_order_of_ballots_says_nothing_about_the_order_of_votes(secret_board):
    voters = secret_board.members(8)
    motion = secret_board.motion(secret=True)
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    assert list(selectors.published_receipts(motion=motion)) == []  # not while the vote is open
    motion = services.close_motion(actor=secret_board.chair, motion=motion, now=motion.closes_at)
    published = [b.receipt_fingerprint for b in selectors.published_receipts(motion=motion)]
    assert published == sorted(published) and len(published) == 8


def test_voter_checks_the_receipt_after_the_vote_closes(secret_board):
    member, other = secret_board.members(2)
    motion = secret_board.motion(secret=True)
    receipt = services.cast_vote(actor=member, motion=motion, choice=Choice.AGAINST).receipt
    services.cast_vote(actor=other, motion=motion, choice=Choice.FOR)
    assert selectors.find_receipt(motion=motion, code=receipt) is None  # nothing published while open
    motion = services.close_motion(actor=secret_board.chair, motion=motion, now=motion.closes_at)
    found = selectors.find_receipt(motion=motion, code=receipt.lower().replace("-", " "))
    assert found is not None and found.choice == Choice.AGAINST
    assert selectors.find_receipt(motion=motion, code="AAAA-BBBB-CCCC-DDDD-EEEE") is None
    assert [b.choice for b in selectors.published_receipts(motion=motion)].count(Choice.FOR) == 1


def test_the_receipt_is_shown_once_on_the_page_and_not_cached(secret_board, login):
    member = secret_board.appoint("nl")
    motion = secret_board.motion(secret=True)
    client = login(member)
    response = client.post(reverse("board:motion_vote", args=[motion.pk]), {"choice": "for"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    receipt = response.context["receipt"]
    assert receipt in response.content.decode()
    assert receipt not in client.get(reverse("board:motion_detail", args=[motion.pk])).content.decode()


def test_the_secret_vote_record_is_not_exported_before_the_vote_closes(secret_board, login):
    motion = secret_board.motion(secret=True)
    client = login(secret_board.chair)
    assert client.get(reverse("board:motion_export", args=[motion.pk])).status_code == 403
