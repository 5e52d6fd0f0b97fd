"""What an owning app hands to search: one ``SearchDocument`` per searchable object."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

MAX_TITLE = 500
# Longer texts are indexed up to this many characters (PostgreSQL caps a tsvector at 1 MB).
MAX_BODY = 400_000
KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
KEY = re.compile(r"^[A-Za-z0-9_.:\-]{1,80}$")
FIELD = re.compile(r"^[^|\x00-\x1f]{0,64}$")


class InvalidDocument(ValueError):
    pass


@dataclass(frozen=True)
class SearchDocument:
    """``access`` holds the keys that open the object ("space:12", "folder:4", "doc:9"): a
    search by keys finds it for a caller holding one of them. ``language`` is ``en``, ``nl``,
    ``fr`` or ``de`` (others are searched as written, without stemming), detected from the
    text when not given. ``space``, ``category`` and ``topics`` are filter values the owner
    chooses (search gives them no meaning)."""

    kind: str
    object_id: int
    title: str
    body: str = ""
    access: Sequence[str] = field(default_factory=tuple)
    language: str | None = None
    date: date | None = None
    space: str = ""
    category: str = ""
    topics: Sequence[str] = field(default_factory=tuple)

    def check(self) -> None:
        """Refuse what the index cannot hold faithfully (the owner's bug, not the user's)."""
        if not KIND.match(self.kind) or len(self.kind) > 40:
            raise InvalidDocument(f"Invalid kind {self.kind!r}.")
        if not isinstance(self.object_id, int) or isinstance(self.object_id, bool) or self.object_id < 0:
            raise InvalidDocument(f"Invalid object id {self.object_id!r}.")
        if isinstance(self.access, str) or any(not KEY.match(key) for key in self.access):
            raise InvalidDocument("Access keys are a list of keys such as 'space:12'.")
        values = [self.space, self.category, *self.topics]
        if isinstance(self.topics, str) or any(not FIELD.match(value) for value in values):
            raise InvalidDocument("Filter values are short texts without '|' or control characters.")
        if len("|".join(self.topics)) > 190:
            raise InvalidDocument("Too many topics.")


def clean_title(title: str) -> str:
    return " ".join(title.replace("\x00", " ").split())[:MAX_TITLE]


def clean_body(body: str) -> str:
    return body.replace("\x00", " ")[:MAX_BODY]
