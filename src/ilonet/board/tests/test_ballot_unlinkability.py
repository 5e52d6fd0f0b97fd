"""Secret ballots (Art. 8(1)): a reader of the raw board tables after the vote cannot link a
ballot to its voter by any stored datum (ids, SQLite rowid, PostgreSQL xmin and ctid, row order,
times), on SQLite and PostgreSQL; the receipt check and the tally stay exact."""

import random
from collections import Counter

import pytest
from django.db import connection

from ilonet.board import selectors, services
from ilonet.board.models import Choice, SecretBallot

pytestmark = pytest.mark.django_db

VOTERS = 20
# Known choices (8 for, 7 against, 5 abstain), in an order and a voting order fixed by a seed.
CHOICES = [Choice.FOR] * 8 + [Choice.AGAINST] * 7 + [Choice.ABSTAIN] * 5
# A random pairing links sum(n_c^2)/N = 6.9 voters to their choice on average (a simulation of a
# million random pairings: 12 or more in 1.9 %, 16 or more in 0.007 %, 18 or more never). The
# ballots' order is shuffled by the operating system's random source, so the bound must hold for
# the best of about a hundred strategies at once: 18 keeps a false alarm below 1 in 10,000, while
# a link that survives in any stored datum gives 20 of 20.
CHANCE_BOUND = 18


def _row_keys(table: str) -> str:
    """Every physical or transactional datum of a row the database offers besides the columns."""
    if connection.vendor == "postgresql":
        return "xmin::text::bigint AS xmin, ctid::text AS ctid"
    return "rowid AS rowid"


def _rows(table: str, where: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_row_keys(table)}, * FROM {table} WHERE {where}", params)  # noqa: S608
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _ctid_key(value: str) -> tuple[int, int]:
    page, item = value.strip("()").split(",")
    return int(page), int(item)


def _orderings(rows: list[dict], extra: tuple[str, ...]) -> dict[str, list[dict]]:
    keys = [k for k in ("id", "rowid", "xmin", "ctid", *extra) if rows and k in rows[0]]
    found = {}
    for key in keys:
        sort = (
            (lambda r, k=key: _ctid_key(r[k])) if key == "ctid" else (lambda r, k=key: (str(r[k]), r["id"]))
        )
        if key in ("id", "rowid", "xmin"):
            sort = lambda r, k=key: (r[k], str(r["id"]))  # noqa: E731
        ordered = sorted(rows, key=sort)
        found[key] = ordered
        found[f"{key} reversed"] = ordered[::-1]
    return found


def _best_linking(participations: list[dict], ballots: list[dict], truth: dict) -> tuple[str, int]:
    """Try every pairing strategy: rank against rank in every ordering of both tables, and equal
    transaction ids. Return the best one and how many voters it links to their own choice."""
    results = {}
    for p_key, p_rows in _orderings(participations, ("cast_at",)).items():
        for b_key, b_rows in _orderings(ballots, ("receipt_fingerprint",)).items():
            hits = sum(truth[p["seat_id"]] == b["choice"] for p, b in zip(p_rows, b_rows, strict=True))
            results[f"participations by {p_key} ~ ballots by {b_key}"] = hits
    if participations and "xmin" in participations[0]:
        by_xmin = {b["xmin"]: b for b in ballots}
        results["same xmin"] = sum(
            truth[p["seat_id"]] == by_xmin[p["xmin"]]["choice"]
            for p in participations
            if p["xmin"] in by_xmin
        )
    best = max(results, key=results.get)
    return best, results[best]


@pytest.fixture
def secret_vote(board):
    board.rules(secret_ballot=SecretBallot.ON_REQUEST)
    voters = board.members(VOTERS)
    rng = random.Random(20191240)  # noqa: S311  (a fixed test scenario, not a secret)
    choices = CHOICES[:]
    rng.shuffle(choices)
    order = list(range(VOTERS))
    rng.shuffle(order)
    motion = board.motion(secret=True)
    receipts, truth = {}, {}
    for i in order:
        cast = services.cast_vote(actor=voters[i], motion=motion, choice=choices[i])
        receipts[i] = cast.receipt
        truth[cast.participation.seat_id] = choices[i]
    return board, motion, voters, choices, receipts, truth


def test_while_the_vote_runs_no_board_table_holds_a_secret_choice_in_the_clear(secret_vote):
    _board, motion, *_rest = secret_vote
    assert _rows("board_ballot", "motion_id = %s", [motion.pk]) == []
    for row in _rows("board_participation", "motion_id = %s", [motion.pk]):
        assert row["choice"] == ""


def test_a_reader_of_the_raw_tables_links_ballots_to_voters_no_better_than_chance(secret_vote):
    board, motion, _voters, _choices, _receipts, truth = secret_vote
    services.close_motion(actor=board.chair, motion=motion, now=motion.closes_at)
    participations = _rows("board_participation", "motion_id = %s", [motion.pk])
    ballots = _rows("board_ballot", "motion_id = %s", [motion.pk])
    assert len(participations) == len(ballots) == VOTERS
    strategy, linked = _best_linking(participations, ballots, truth)
    assert linked < CHANCE_BOUND, f"{strategy} links {linked} of {VOTERS} voters"


def test_nothing_of_the_sealed_pool_is_left_once_the_vote_is_counted(secret_vote):
    board, motion, *_rest = secret_vote
    services.close_motion(actor=board.chair, motion=motion, now=motion.closes_at)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM board_sealedballot WHERE motion_id = %s", [motion.pk])
        assert cursor.fetchone()[0] == 0


def test_the_tally_and_every_receipt_stay_exact(secret_vote):
    board, motion, _voters, choices, receipts, _truth = secret_vote
    motion = services.close_motion(actor=board.chair, motion=motion, now=motion.closes_at)
    counts = Counter(choices)
    assert (motion.votes_for, motion.votes_against, motion.abstentions) == (
        counts[Choice.FOR],
        counts[Choice.AGAINST],
        counts[Choice.ABSTAIN],
    )
    for i, receipt in receipts.items():
        assert selectors.find_receipt(motion=motion, code=receipt).choice == choices[i]
