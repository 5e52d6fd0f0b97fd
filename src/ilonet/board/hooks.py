"""Where the board's meeting documents are kept: in the steering board's space on the information
exchange platform (Art. 9(1), Art. 9(2)(a), Art. 9(2)(e)), one document store, not two.

The exchange app sits above this app (it may import the board, not the other way round), so it
registers its store here at start-up (``ExchangeConfig.ready``). The board's pages and API call
``meeting_documents()``; without a registered store a meeting simply has no documents and an
upload is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any, Protocol

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class MeetingDocumentLink:
    """What a meeting page shows of one document (the store decides what the reader may open)."""

    id: int
    title: str
    extension: str
    size: int
    agenda_item_id: int | None
    agenda_position: int | None
    marking: str
    marking_label: str
    exchange_url: str  # the document's page in the space, for those who read the space


class MeetingDocumentStore(Protocol):
    def markings(self) -> list[tuple[str, str]]: ...

    def listed(self, *, user: Any, meeting: Any) -> list[MeetingDocumentLink]: ...

    def of_agenda_item(self, *, user: Any, item: Any) -> list[MeetingDocumentLink]: ...

    def counts(self, *, meeting_ids: Iterable[int]) -> dict[int, int]: ...

    def upload(
        self, *, actor: Any, meeting: Any, title: str, file: IO[bytes], agenda_item: Any, marking: str
    ) -> MeetingDocumentLink: ...

    def download(self, *, user: Any, meeting: Any, document_id: int) -> HttpResponse: ...


class _NoStore:
    def markings(self) -> list[tuple[str, str]]:
        return []

    def listed(self, *, user: Any, meeting: Any) -> list[MeetingDocumentLink]:
        return []

    def of_agenda_item(self, *, user: Any, item: Any) -> list[MeetingDocumentLink]:
        return []

    def counts(self, *, meeting_ids: Iterable[int]) -> dict[int, int]:
        return {}

    def upload(self, **kwargs: Any) -> MeetingDocumentLink:
        raise ValidationError({"file": _("Documents cannot be stored now.")})

    def download(self, **kwargs: Any) -> HttpResponse:
        from django.http import Http404

        raise Http404


_store: list[MeetingDocumentStore] = []


def register(store: MeetingDocumentStore) -> None:
    _store[:] = [store]


def meeting_documents() -> MeetingDocumentStore:
    return _store[0] if _store else _NoStore()
