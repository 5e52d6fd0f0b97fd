from .access import OverrideAuthorisation, ParliamentOpening
from .documents import Document, DocumentTopic, DocumentVersion, GuardOverride
from .follows import Follow
from .spaces import Folder, Space, SpaceDocumentCount, SpaceMember
from .vocab import REFUSED_MARKINGS, Category, DeletionReason, Language, Marking, SpaceKind, Topic

__all__ = [
    "REFUSED_MARKINGS",
    "Category",
    "DeletionReason",
    "Document",
    "DocumentTopic",
    "DocumentVersion",
    "Folder",
    "Follow",
    "GuardOverride",
    "Language",
    "Marking",
    "OverrideAuthorisation",
    "ParliamentOpening",
    "Space",
    "SpaceDocumentCount",
    "SpaceKind",
    "SpaceMember",
    "Topic",
]
