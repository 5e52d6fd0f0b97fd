"""The motion page, its record (CSV and PDF), the minutes and the API say one thing about a vote:
what the user may see and do now (``selectors.vote_state``). Open votes are counted as they are
cast and shown so far; secret ballots stay sealed until the close and never say who voted how
(Art. 8(1)); the chair is offered to close a vote only when the rules allow it (Art. 7(6),
Art. 7(8)), and is told why not otherwise."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.board import selectors, services
from ilonet.board.models import Choice, MotionStatus, Procedure, SecretBallot

pytestmark = pytest.mark.django_db

HIDDEN = "Results are shown when the vote closes"


def _api(user):
    from django.test import Client

    _token, secret = account_tokens.issue_api_token(actor=user, name="test", scope="write")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _state(user, motion) -> dict:
    response = _api(user).get(f"/api/v1/board/motions/{motion.pk}/state")
    assert response.status_code == 200, response.content
    return response.json()


def _page(login, user, motion):
    response = login(user).get(reverse("board:motion_detail", args=[motion.pk]))
    assert response.status_code == 200
    return response


def _open_vote_with_votes(board):
    """An open written procedure (not secret): two votes for, one against, of 31 voting members."""
    voters = board.members(3)
    motion = board.motion()
    for user, choice in zip(voters, (Choice.FOR, Choice.FOR, Choice.AGAINST), strict=True):
        services.cast_vote(actor=user, motion=motion, choice=choice)
    return motion, voters


@pytest.fixture
def secret_board(board):
    board.rules(secret_ballot=SecretBallot.ON_REQUEST)
    return board


# --- open votes: counted as cast, shown so far, everywhere the same ---------------------------------


def test_open_non_secret_vote_page_never_says_results_hidden_while_listing_votes(board, login):
    motion, voters = _open_vote_with_votes(board)
    page = _page(login, board.chair, motion).content.decode()
    assert "Who voted how" in page and voters[0].email in page
    assert HIDDEN not in page
    assert "Votes so far" in page and "the result is final when the vote closes" in page
    assert reverse("board:motion_export", args=[motion.pk]) in page  # the record so far
    assert "Record of the vote so far (CSV)" in page and "Record of the vote so far (PDF)" in page


def test_open_vote_so_far_is_the_same_on_the_page_the_record_and_the_api(board, login):
    motion, _voters = _open_vote_with_votes(board)
    context = _page(login, board.chair, motion).context
    page_count = context["state"].tally
    assert (page_count.votes_for, page_count.votes_against, page_count.abstentions) == (2, 1, 0)
    api = _state(board.chair, motion)
    assert api["results"] == "so_far" and api["votes_by_seat_visible"] is True
    assert api["tally"]["votes_for"] == 2 and api["tally"]["votes_against"] == 1
    assert api["tally"]["not_voted"] == 28 and api["results_note"] == context["state"].results_note
    csv = login(board.chair).get(reverse("board:motion_export", args=[motion.pk])).getvalue().decode()
    assert "Votes so far" in csv and "For,2" in csv and "Against,1" in csv and "Outcome" not in csv
    record = login(board.chair).get(reverse("board:motion_pdf", args=[motion.pk]))
    assert record.status_code == 200 and record.content.startswith(b"%PDF-")


def test_an_observer_sees_the_votes_so_far_of_an_open_meeting_vote_but_not_who_voted_how(
    board, make_user, login
):
    observer = make_user(Role.OBSERVER, organisation="iom")
    meeting = board.meeting()
    services.invite(actor=board.chair, meeting=meeting, user=observer, role="observer")
    member = board.appoint("nl")
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting)
    services.cast_vote(actor=member, motion=motion, choice=Choice.FOR)
    page = _page(login, observer, motion)
    state = page.context["state"]
    assert state.results == selectors.RESULTS_SO_FAR and state.tally.votes_for == 1
    assert not state.votes_by_seat_visible and not state.record_available
    assert "Who voted how" not in page.content.decode() and member.email not in page.content.decode()
    assert login(observer).get(reverse("board:motion_export", args=[motion.pk])).status_code == 403


# --- secret ballots: sealed until the close, never who voted how ----------------------------------


def test_secret_ballot_shows_no_count_and_no_record_while_it_runs(secret_board, login):
    voters = secret_board.members(2)
    motion = secret_board.motion(secret=True)
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    page = _page(login, secret_board.chair, motion)
    text = page.content.decode()
    assert page.context["state"].results == selectors.RESULTS_SEALED and page.context["state"].tally is None
    assert "Votes so far" not in text and "Who voted how" not in text and "Who took part" not in text
    assert "stay sealed until the vote closes" in text and "2 seats have voted so far" in text
    assert reverse("board:motion_export", args=[motion.pk]) not in text
    client = login(secret_board.chair)
    assert client.get(reverse("board:motion_export", args=[motion.pk])).status_code == 403
    assert client.get(reverse("board:motion_pdf", args=[motion.pk])).status_code == 403
    api = _state(secret_board.chair, motion)
    assert (api["results"], api["tally"], api["record_available"]) == ("sealed", None, False)
    assert "secret vote" in api["record_refusal"]


def test_secret_ballot_never_says_who_voted_how_after_the_close(secret_board, login):
    voters = secret_board.members(2)
    motion = secret_board.motion(secret=True)
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.AGAINST)
    services.close_motion(actor=secret_board.chair, motion=motion, now=motion.closes_at)
    page = _page(login, secret_board.chair, motion)
    text = page.content.decode()
    assert "Who took part" in text and "Who voted how" not in text and "Record of the vote (CSV)" in text
    state = page.context["state"]
    assert state.results == selectors.RESULTS_FINAL and state.participants_visible
    assert not state.votes_by_seat_visible and state.receipts_published
    csv = login(secret_board.chair).get(reverse("board:motion_export", args=[motion.pk])).getvalue().decode()
    assert voters[0].email in csv and f"{voters[0].email},Against" not in csv
    assert _state(secret_board.chair, motion)["votes_by_seat_visible"] is False


# --- closing: offered only when the rules allow it ------------------------------------------------


def test_close_not_offered_before_deadline(board, login):
    motion, _voters = _open_vote_with_votes(board)
    page = _page(login, board.chair, motion)
    text = page.content.decode()
    assert reverse("board:motion_close", args=[motion.pk]) not in text
    assert "Close the vote and count" not in text
    assert "3 of the 31 voting members have voted" in text and "closes by itself at its deadline" in text
    api = _state(board.chair, motion)
    assert api["may_close"] is False and api["close_refusal"] == page.context["state"].close_refusal
    refused = login(board.chair).post(reverse("board:motion_close", args=[motion.pk]), follow=True)
    assert "3 of the 31 voting members have voted" in refused.content.decode()
    response = _api(board.chair).post(f"/api/v1/board/motions/{motion.pk}/close")
    assert response.status_code == 422 and response.json()["errors"][0]["message"] == api["close_refusal"]
    motion.refresh_from_db()
    assert motion.status == MotionStatus.OPEN


def test_close_offered_once_every_voting_member_has_voted(board, login):
    voters = board.members(26)
    voters += [board.appoint("com", number=n) for n in (1, 2)]
    voters += [board.appoint(code) for code in selectors.AGENCY_CODES]
    motion = board.motion()
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    assert motion.electorate == len(voters) == 31
    page = _page(login, board.chair, motion).content.decode()
    assert reverse("board:motion_close", args=[motion.pk]) in page
    assert _state(board.chair, motion)["may_close"] is True


def test_a_written_procedure_may_close_once_its_deadline_has_passed(board):
    motion, _voters = _open_vote_with_votes(board)
    before = selectors.vote_state(
        user=board.chair, motion=motion, now=motion.closes_at - timedelta(minutes=1)
    )
    after = selectors.vote_state(user=board.chair, motion=motion, now=motion.closes_at)
    assert (before.may_close, after.may_close, after.close_refusal) == (False, True, "")


def test_close_offered_to_the_chair_only_in_a_meeting_vote(board, login):
    member = board.appoint("nl")
    motion = board.motion(procedure=Procedure.MEETING)
    close_url = reverse("board:motion_close", args=[motion.pk])
    assert close_url in _page(login, board.chair, motion).content.decode()
    member_page = _page(login, member, motion)
    assert close_url not in member_page.content.decode() and not member_page.context["state"].may_close
    assert _state(member, motion)["may_close"] is False


def test_open_not_offered_before_the_meeting_day(board, login):
    meeting = board.meeting(starts_in=timedelta(days=3))
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting, open=False)
    page = _page(login, board.chair, motion)
    text = page.content.decode()
    assert reverse("board:motion_open", args=[motion.pk]) not in text
    assert "opens on the day of the meeting" in text and not page.context["state"].may_open
    day = timezone.localdate(meeting.starts_at)
    later = selectors.vote_state(
        user=board.chair,
        motion=motion,
        now=timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 9)),
    )
    assert later.may_open


def test_a_withdrawn_motion_offers_no_count_no_record_and_no_action(board, login):
    motion, _voters = _open_vote_with_votes(board)
    services.withdraw_motion(actor=board.chair, motion=motion)
    state = _page(login, board.chair, motion).context["state"]
    assert state.results == selectors.RESULTS_NONE and state.tally is None and not state.record_available
    assert not (state.may_open or state.may_close or state.may_withdraw or state.may_amend)
    assert login(board.chair).get(reverse("board:motion_export", args=[motion.pk])).status_code == 403


@pytest.fixture
def pdf_html(monkeypatch):
    """The HTML each PDF is made from, in the order rendered."""
    from django.template.loader import render_to_string

    from ilonet.shared import pdf

    pages: list[str] = []
    render = pdf.render_pdf

    def capture(template, context, request=None):
        pages.append(render_to_string(template, context, request))
        return render(template, context, request)

    monkeypatch.setattr(pdf, "render_pdf", capture)
    return pages


def test_the_minutes_and_the_vote_record_show_an_open_vote_so_far_like_its_page(board, login, pdf_html):
    meeting = board.meeting()
    member = board.appoint("nl")
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting)
    services.cast_vote(actor=member, motion=motion, choice=Choice.ABSTAIN)
    services.record_minutes(actor=board.chair, meeting=meeting, minutes="Held.")
    client = login(board.chair)
    assert client.get(reverse("board:meeting_minutes_pdf", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("board:motion_pdf", args=[motion.pk])).status_code == 200
    minutes, record = pdf_html
    for html in (minutes, record):
        assert "so far" in html and "the result is final when the vote closes" in html and HIDDEN not in html
    assert "Record of the vote so far" in record and "Who voted how" in record
