"""How the steering board counts: pure functions, no database (Art. 7(8), Art. 8(1)).

Art. 7(8): "De stuurgroep neemt haar besluiten met een absolute meerderheid van haar
stemgerechtigde leden" — the board decides by an absolute majority of its voting members.

Our reading, and why:

- The majority is of *all* voting members of the board, not of those present or voting.
- The voting members are the voting *seats* of the composition on the day the vote opens:
  one per participating member state (Art. 7(2); Denmark only if it opts in, recital 31),
  two for the Commission and one each for Frontex, Europol and EUAA (Art. 7(2)). The
  Schengen-associated countries sit without a vote (Art. 7(3)) and observers are not members
  (Art. 7(4)): neither changes the count.
- A member state's member and alternate share one seat and so one vote (Art. 7(2)).
- A vacant seat still counts. The board "consists of" a representative of each member state
  (Art. 7(2)); a state that has not (yet) appointed one does not lower the bar for a
  decision that binds everyone. A vacancy therefore weighs like a member who did not vote.
- Abstentions and seats that did not vote are not votes in favour: only votes in favour
  reach the majority.
- Absolute majority of N = the smallest whole number greater than N/2, i.e. N // 2 + 1.
- A quorum, if the rules of procedure set one (Art. 8(1)), is a minimum number of voting
  members taking part (in favour, against or abstaining), computed as a share of N rounded up.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

ADOPTED = "adopted"
REJECTED = "rejected"
NO_QUORUM = "no_quorum"


def absolute_majority(voting_members: int) -> int:
    """Votes in favour needed: more than half of all voting members (Art. 7(8))."""
    if voting_members < 0:
        raise ValueError("voting_members must not be negative")
    return voting_members // 2 + 1


def quorum_required(voting_members: int, percent: int) -> int:
    """Voting members who must take part for the vote to count, when the rules of procedure
    set a quorum as a share of the voting members (Art. 8(1)); 0 means no quorum."""
    if not 0 <= percent <= 100:
        raise ValueError("percent must be between 0 and 100")
    return -(-voting_members * percent // 100)  # ceiling without floats


@dataclass(frozen=True)
class Tally:
    electorate: int
    threshold: int
    quorum: int
    votes_for: int
    votes_against: int
    abstentions: int

    @property
    def taking_part(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions

    @property
    def not_voting(self) -> int:
        return max(self.electorate - self.taking_part, 0)


def decide(tally: Tally) -> str:
    """The outcome of a vote (Art. 7(8); quorum per the rules of procedure, Art. 8(1))."""
    if tally.quorum and tally.taking_part < tally.quorum:
        return NO_QUORUM
    return ADOPTED if tally.votes_for >= tally.threshold else REJECTED


def explain(outcome: str, tally: Tally) -> str:
    """Why a vote passed or failed, in the reader's language (Art. 7(8), Art. 8(1))."""
    params = {
        "for": tally.votes_for,
        "against": tally.votes_against,
        "abstain": tally.abstentions,
        "threshold": tally.threshold,
        "electorate": tally.electorate,
        "taking_part": tally.taking_part,
        "quorum": tally.quorum,
        "not_voting": tally.not_voting,
    }
    if outcome == NO_QUORUM:
        return (
            _(
                "Not adopted: %(taking_part)d of the %(electorate)d voting members took part, fewer than "
                "the quorum of %(quorum)d set by the rules of procedure (Art. 8(1))."
            )
            % params
        )
    if outcome == ADOPTED:
        return (
            _(
                "Adopted: %(for)d votes in favour reach the absolute majority of %(threshold)d of all "
                "%(electorate)d voting members (Art. 7(8))."
            )
            % params
        )
    return (
        _(
            "Not adopted: %(for)d votes in favour, fewer than the absolute majority of %(threshold)d of "
            "all %(electorate)d voting members (Art. 7(8)). Votes against (%(against)d), abstentions "
            "(%(abstain)d) and seats that did not vote (%(not_voting)d) do not count in favour."
        )
        % params
    )
