"""The store of the board's meeting documents (``ilonet.board.hooks``), registered at start-up:
a meeting's documents are the documents in force in its folder of the steering board's space
(one document store, not two; Art. 9(2)(a), Art. 9(2)(e)).

The board decides who sees a meeting (the board, or an observer invited to it, Art. 7(4)) before
it asks; the space decides everything else (the board's space for its members, Parliament
openings by the board's decision for the European Parliament's reader, Art. 9(4))."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse

from ilonet import policy
from ilonet.board import hooks
from ilonet.board import selectors as board_selectors
from ilonet.shared.uploads import download_response

from .models import Document, Marking
from .services import meetings as meeting_services

A = policy.Action
IN_FORCE = Q(deleted_at__isnull=True, folder__deleted_at__isnull=True, current_version__isnull=False)


def _documents(meeting_ids: Iterable[int]) -> QuerySet[Document]:
    return Document.objects.filter(IN_FORCE, folder__meeting_id__in=list(meeting_ids))


def _link(user: Any, document: Document) -> hooks.MeetingDocumentLink:
    version = document.current_version
    assert version is not None  # noqa: S101  (IN_FORCE)
    opens_in_space = policy.can(user, A.VIEW_EXCHANGE, document)
    return hooks.MeetingDocumentLink(
        id=document.pk,
        title=document.title,
        extension=version.extension,
        size=version.size,
        agenda_item_id=document.agenda_item_id,
        agenda_position=document.agenda_item.position if document.agenda_item else None,
        marking=document.marking,
        marking_label=str(document.get_marking_display()),
        exchange_url=reverse("exchange:document_detail", args=[document.pk]) if opens_in_space else "",
    )


def _ordered(qs: QuerySet[Document]) -> QuerySet[Document]:
    # The meeting's own documents first, then by agenda item, on both databases.
    return qs.select_related("current_version", "agenda_item").order_by(
        F("agenda_item__position").asc(nulls_first=True), "title", "pk"
    )


class BoardMeetingStore:
    def markings(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Marking.choices]

    def listed(self, *, user: Any, meeting: Any) -> list[hooks.MeetingDocumentLink]:
        return [_link(user, d) for d in _ordered(_documents([meeting.pk]))]

    def of_agenda_item(self, *, user: Any, item: Any) -> list[hooks.MeetingDocumentLink]:
        return [_link(user, d) for d in _ordered(_documents([item.meeting_id]).filter(agenda_item=item))]

    def counts(self, *, meeting_ids: Iterable[int]) -> dict[int, int]:
        rows = _documents(meeting_ids).values("folder__meeting_id").annotate(n=Count("pk"))
        return {row["folder__meeting_id"]: row["n"] for row in rows}

    def upload(
        self, *, actor: Any, meeting: Any, title: str, file: IO[bytes], agenda_item: Any, marking: str
    ) -> hooks.MeetingDocumentLink:
        document = meeting_services.upload_meeting_document(
            actor=actor, meeting=meeting, title=title, file=file, agenda_item=agenda_item, marking=marking
        )
        return _link(actor, _ordered(Document.objects.filter(pk=document.pk)).get())

    def download(self, *, user: Any, meeting: Any, document_id: int) -> HttpResponse:
        document = _documents([meeting.pk]).select_related("current_version").filter(pk=document_id).first()
        if document is None or document.current_version is None:
            raise Http404
        version = document.current_version
        meeting_services.record_meeting_download(actor=user, version=version, meeting=meeting)

        def check() -> None:  # asked again when the download starts
            policy.authorize(user, A.VIEW_BOARD)
            try:
                board_selectors.meeting_detail(user=user, pk=meeting.pk)
            except ObjectDoesNotExist:
                raise Http404 from None
            if not _documents([meeting.pk]).filter(pk=document.pk).exists():
                raise Http404

        return download_response(
            check=check,
            key=version.key,
            filename=version.download_name,
            content_type=version.content_type,
            size=version.size,
        )


def register() -> None:
    hooks.register(BoardMeetingStore())
