"""The steering board of the European network of immigration liaison officers
(Regulation (EU) 2019/1240, Art. 7 and 8), one module per seam:

- ``composition``: seats and memberships (Art. 7(2), Art. 7(3), Art. 7(4)).
- ``meetings``: meetings, agenda, participants (Art. 7(4), Art. 7(5), Art. 7(6), Art. 7(7)).
- ``motions``: motions, participations, ballots, proxies, statements, history and dispatches
  (Art. 7(8), Art. 7(9), Art. 8(1)).
- ``rules``: rules of procedure (Art. 8(1)).
- ``programme``: work programme, evaluation, ad-hoc actions and training (Art. 8(2)(a), Art. 8(2)(b),
  Art. 8(3)(a), Art. 8(3)(c)).
- ``reports``: activity report (Art. 8(2)(c), Art. 4(1)).
- ``biannual``: what the work programme and the activity report share.
- ``reminders``: reminders to the chair, recorded once each (Art. 7(7), Art. 8(1), Art. 8(2)(d)).

See docs/board.md.
"""

from .biannual import (
    BiannualDocument,
    ProgrammeStatus,
)
from .composition import (
    BOARD_MEMBER_KEY_STORE,
    BOARD_MEMBER_NAME_DOMAIN,
    Capacity,
    Membership,
    MembershipNameDigest,
    Seat,
    SeatKind,
)
from .meetings import (
    AgendaItem,
    AgendaKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    ParticipantRole,
)
from .motions import (
    Ballot,
    ChangeKind,
    Choice,
    DecisionDispatch,
    Motion,
    MotionChange,
    MotionComment,
    MotionStatus,
    Outcome,
    Participation,
    Procedure,
    Proxy,
    SealedBallot,
    VoteCapacity,
)
from .programme import (
    ActionStatus,
    AdHocAction,
    Evaluation,
    ItemKind,
    ItemStatus,
    Training,
    TrainingKind,
    WorkProgramme,
    WorkProgrammeItem,
)
from .reminders import (
    Reminder,
    ReminderKind,
)
from .reports import (
    ActivityReport,
)
from .rules import (
    RulesOfProcedure,
    RulesStatus,
    SecretBallot,
)

__all__ = [
    "BiannualDocument",
    "ActionStatus",
    "ActivityReport",
    "AdHocAction",
    "AgendaItem",
    "AgendaKind",
    "Ballot",
    "Capacity",
    "ChangeKind",
    "Choice",
    "DecisionDispatch",
    "Evaluation",
    "ItemKind",
    "ItemStatus",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "BOARD_MEMBER_KEY_STORE",
    "BOARD_MEMBER_NAME_DOMAIN",
    "Membership",
    "MembershipNameDigest",
    "Motion",
    "MotionChange",
    "MotionComment",
    "MotionStatus",
    "Outcome",
    "Participant",
    "ParticipantRole",
    "Participation",
    "Procedure",
    "ProgrammeStatus",
    "Proxy",
    "Reminder",
    "ReminderKind",
    "SealedBallot",
    "RulesOfProcedure",
    "RulesStatus",
    "Seat",
    "SeatKind",
    "SecretBallot",
    "Training",
    "TrainingKind",
    "VoteCapacity",
    "WorkProgramme",
    "WorkProgrammeItem",
]
