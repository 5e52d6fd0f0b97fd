"""The return case's tables. Every table carries the case's ``member_state`` (ISO code): the
queryset scope and, on PostgreSQL, row-level security filter on it (``rls.py``)."""

from .approvals import Approval, ApprovalStatus
from .cases import CaseType, ReturnCase
from .events import CaseEvent
from .flags import (
    CaseFlag,
    FlagKind,
    NameDigest,
    Obstacle,
    ObstacleKind,
    Reminder,
    WorklistEntry,
    WorklistRule,
)
from .imports import (
    DuplicateStatus,
    DuplicateSuspect,
    ImportRowError,
    ImportRun,
    ImportStatus,
)  # the interchange's own tables (interchange/)

__all__ = [
    "DuplicateStatus",
    "DuplicateSuspect",
    "ImportRowError",
    "ImportRun",
    "ImportStatus",
    "Approval",
    "ApprovalStatus",
    "CaseEvent",
    "CaseFlag",
    "CaseType",
    "FlagKind",
    "NameDigest",
    "Obstacle",
    "ObstacleKind",
    "Reminder",
    "ReturnCase",
    "WorklistEntry",
    "WorklistRule",
]
