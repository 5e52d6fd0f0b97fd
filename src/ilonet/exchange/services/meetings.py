"""The board's meeting documents, kept in the steering board's space (one document store, not
two; Art. 9(2)(a), Art. 9(2)(e)): a folder per meeting, uploads through the exchange's path (the
board's file types, the personal-data guard of Art. 9(3), the marking of Art. 9(1), versions)."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.board import uploads as board_uploads
from ilonet.policy.markers import system_operation

from ..models import Category, Document, DocumentVersion, Folder
from .common import A
from .documents import upload_document
from .spaces import ensure_board_space


def _folder_name(meeting: Any) -> str:
    """ "2026-03-14 Spring meeting": the ISO date first, so the folders sort by date."""
    return f"{timezone.localdate(meeting.starts_at).isoformat()} {meeting.title}"[:200]


@system_operation
def meeting_folder(*, meeting: Any) -> Folder:
    """The folder of a meeting's documents in the board's space, made when first needed."""
    space = ensure_board_space()
    with transaction.atomic():
        folder, _created = Folder.objects.get_or_create(
            meeting=meeting, defaults={"space": space, "name": _folder_name(meeting)}
        )
    return folder


def upload_meeting_document(
    *, actor: Any, meeting: Any, title: str, file: IO[bytes], agenda_item: Any = None, marking: str
) -> Document:
    """A meeting's document, added by the chair or the secretariat from the meeting's page
    (Art. 7(6)); the exchange's upload path decides the rest and audits the upload, the board's
    event records the meeting it belongs to."""
    policy.authorize(actor, A.MANAGE_BOARD)
    with transaction.atomic():
        folder = meeting_folder(meeting=meeting)
        if folder.deleted_at is not None:
            raise ValidationError(
                _("The meeting's folder was deleted in the board's space: restore it there first.")
            )
        document = upload_document(
            actor=actor,
            space=folder.space,
            folder=folder,
            file=file,
            title=title,
            category=Category.BOARD_ACTIVITIES,
            marking=marking,
            name=getattr(file, "name", None),
            profile=board_uploads.MEETING_DOCUMENTS,
            agenda_item=agenda_item,
        )
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_DOCUMENT_UPLOADED,
            obj=meeting,
            changes={"document": document.pk, "agenda_item": agenda_item.pk if agenda_item else None},
        )
    return document


def record_meeting_download(*, actor: Any, version: DocumentVersion, meeting: Any) -> None:
    """A meeting's document opened from the meeting's page (the board, or an observer invited to
    that meeting, Art. 7(4)): audited like every download."""
    policy.authorize(actor, A.VIEW_BOARD)
    audit.record(
        action=AuditAction.EXCHANGE_DOCUMENT_DOWNLOADED,
        actor=actor,
        obj=version.document,
        details={"version": version.number, "sha256": version.sha256, "meeting": meeting.pk},
    )
