"""Art. 7(8): absolute majority of all voting members; Art. 8(1): quorum from the rules of
procedure. Pure arithmetic, then the outcome at the boundary."""

import pytest
from django.utils import translation

from ilonet.board import counting
from ilonet.board.counting import Tally


@pytest.mark.parametrize(
    ("voting_members", "needed"),
    [(31, 16), (32, 17), (30, 16), (1, 1), (2, 2), (3, 2), (0, 1)],
)
def test_absolute_majority_is_more_than_half_of_all_voting_members(voting_members, needed):
    assert counting.absolute_majority(voting_members) == needed
    assert needed > voting_members / 2 and needed - 1 <= voting_members / 2


def test_absolute_majority_rejects_a_negative_count():
    with pytest.raises(ValueError):
        counting.absolute_majority(-1)


@pytest.mark.parametrize(
    ("members", "percent", "quorum"),
    [(31, 50, 16), (32, 50, 16), (31, 0, 0), (31, 100, 31), (31, 66, 21), (3, 34, 2)],
)
def test_quorum_is_a_share_of_the_voting_members_rounded_up(members, percent, quorum):
    assert counting.quorum_required(members, percent) == quorum


def _tally(votes_for, against=0, abstain=0, electorate=31, quorum=0):
    return Tally(electorate, counting.absolute_majority(electorate), quorum, votes_for, against, abstain)


def test_a_motion_passes_exactly_at_the_threshold_and_fails_one_below():
    assert counting.decide(_tally(16)) == counting.ADOPTED
    assert counting.decide(_tally(15)) == counting.REJECTED


def test_a_majority_of_those_voting_is_not_enough():
    # 15 for, 2 against: a large majority of the votes cast, but not of all 31 voting members.
    assert counting.decide(_tally(15, against=2)) == counting.REJECTED


def test_abstentions_do_not_count_in_favour():
    assert counting.decide(_tally(15, abstain=16)) == counting.REJECTED


def test_a_vote_without_quorum_is_not_adopted_even_with_enough_votes_in_favour():
    quorum = counting.quorum_required(31, 100)
    assert counting.decide(_tally(30, electorate=31, quorum=quorum)) == counting.NO_QUORUM
    assert counting.decide(_tally(16, against=15, electorate=31, quorum=quorum)) == counting.ADOPTED


def test_the_explanation_names_the_threshold_and_the_article():
    text = counting.explain(counting.REJECTED, _tally(15, against=3, abstain=2))
    assert "15" in text and "16" in text and "31" in text and "Art. 7(8)" in text
    with translation.override("en"):
        assert counting.explain(counting.ADOPTED, _tally(16)).startswith("Adopted")
    assert "quorum" in counting.explain(counting.NO_QUORUM, _tally(5, quorum=16))
