"""Documents (Art. 9(1), Art. 9(2)): upload with the personal-data guard (Art. 9(3)) and the
sensitivity marking (Art. 9(1)), metadata, move, soft delete and restore by the space's
managers, expiry, and the record of every download."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.policy.markers import system_operation
from ilonet.shared.uploads import EXCHANGE, UploadProfile, stored_upload, sweep_orphans

from .. import indexing, notices
from ..models import DeletionReason, Document, DocumentTopic, DocumentVersion, Folder, Space
from . import guard
from .common import (
    A,
    _check_category,
    _check_expiry,
    _check_language,
    _check_marking,
    _check_topics,
    _clean_record,
    _clean_tags,
)


def _storage_prefix(space: Space) -> str:
    return f"exchange/spaces/{space.pk}"


def _check_folder(space: Space, folder: Folder | None) -> None:
    if folder is not None and (folder.space_id != space.pk or folder.deleted_at is not None):
        raise ValidationError({"folder": _("Choose a folder of this space.")})


def _set_topics(document: Document, topics: list[str]) -> None:
    document.topics.all().delete()
    DocumentTopic.objects.bulk_create([DocumentTopic(document=document, topic=t) for t in topics])


def upload_document(
    *,
    actor: Any,
    space: Space,
    file: IO[bytes],
    title: str,
    category: str,
    marking: str,
    folder: Folder | None = None,
    description: str = "",
    authors: str = "",
    language: str = "en",
    tags: str | Iterable[str] = "",
    topics: Iterable[str] = (),
    expires_on: date | None = None,
    name: str | None = None,
    overrides: Collection[str] = (),
    override_reason: str = "",
    profile: UploadProfile = EXCHANGE,
    agenda_item: Any = None,
) -> Document:
    """A new document in a space (Art. 9(1)). Refused, with nothing stored, when a field is
    invalid, the marking is above what the platform may hold (Art. 9(1)), the file is refused by
    the upload pipeline, or the guard finds personal data not overridden (Art. 9(3)). A board
    meeting's documents pass the board's narrower profile (``board.uploads``) and may name an
    item of its agenda (``services.meetings``)."""
    policy.authorize(actor, A.CONTRIBUTE_TO_EXCHANGE, space)
    _check_folder(space, folder)
    document = Document(
        space=space,
        folder=folder,
        title=(title or "").strip(),
        description=(description or "").strip(),
        authors=(authors or "").strip(),
        language=_check_language(language),
        tags=_clean_tags(tags),
        category=_check_category(category),
        marking=_check_marking(marking),
        expires_on=_check_expiry(expires_on),
        agenda_item=agenda_item,
        created_by=actor,
    )
    chosen_topics = _check_topics(topics)
    _clean_record(
        document, exclude=["created_by", "current_version", "checked_out_by", "deleted_by", "agenda_item"]
    )
    checked = guard._check_upload(
        actor=actor,
        file=file,
        target=space,
        name=name,
        overrides=overrides,
        reason=override_reason,
        profile=profile,
    )
    with stored_upload(
        file, profile=profile, prefix=_storage_prefix(space), name=name, inspected=checked.inspected
    ) as stored:
        document.guard_overridden = bool(checked.overridden)
        document.save()
        _set_topics(document, chosen_topics)
        version = DocumentVersion.objects.create(
            document=document,
            number=1,
            key=stored.key,
            original_name=stored.name[:200],
            content_type=stored.content_type,
            extension=stored.extension,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=actor,
            guard_overridden=bool(checked.overridden),
        )
        document.current_version = version
        document.save(update_fields=["current_version"])
        audit.record_change(
            actor=actor,
            action=AuditAction.EXCHANGE_DOCUMENT_UPLOADED,
            obj=document,
            changes={
                "space": space.pk,
                "folder": folder.pk if folder else None,
                "type": stored.content_type,
                "size": stored.size,
                "sha256": stored.sha256,
                "marking": document.marking,
            },
        )
        guard._record_overrides(actor=actor, version=version, checked=checked)
        indexing.schedule(document)
        notices.document_added(actor=actor, document=document, version=version)
    return document


EDITABLE = ("title", "description", "authors", "language", "tags", "category", "marking", "expires_on")


def _not_held_by_other(actor: Any, document: Document) -> None:
    if document.checked_out_by_id and document.checked_out_by_id != actor.pk:
        raise ValidationError(
            _("%(name)s has checked this document out; it changes when they check it in.")
            % {"name": document.checked_out_by}
        )


def update_document(
    *, actor: Any, document: Document, topics: Iterable[str] | None = None, **fields: Any
) -> Document:
    """Change a document's metadata; not while someone else has it checked out."""
    policy.authorize(actor, A.CONTRIBUTE_TO_EXCHANGE, document)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    checks: dict[str, Callable[[Any], Any]] = {
        "language": _check_language,
        "tags": _clean_tags,
        "category": _check_category,
        "marking": _check_marking,
        "expires_on": _check_expiry,
    }
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        _not_held_by_other(actor, document)
        changes: dict[str, Any] = {}
        for key, value in fields.items():
            value = checks[key](value) if key in checks else (value or "").strip()
            if getattr(document, key) != value:
                changes[key] = str(value) if key != "description" else len(value)
                setattr(document, key, value)
        if topics is not None:
            chosen = _check_topics(topics)
            if chosen != sorted(document.topics.values_list("topic", flat=True)):
                _set_topics(document, chosen)
                changes["topics"] = chosen
        _clean_record(document, exclude=["created_by", "current_version", "checked_out_by", "deleted_by"])
        document.save()
        if changes:
            audit.record_change(
                actor=actor, action=AuditAction.EXCHANGE_DOCUMENT_UPDATED, obj=document, changes=changes
            )
            indexing.schedule(document)
    return document


def move_document(*, actor: Any, document: Document, folder: Folder | None) -> Document:
    """A space's managers move a document between its folders (to another space it would
    change who reads it: upload it there instead)."""
    policy.authorize(actor, A.MANAGE_SPACE, document)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        _check_folder(document.space, folder)
        _not_held_by_other(actor, document)
        before = document.folder_id
        document.folder = folder
        document.save(update_fields=["folder", "updated_at"])
        audit.record_change(
            actor=actor,
            action=AuditAction.EXCHANGE_DOCUMENT_MOVED,
            obj=document,
            changes={"folder": [before, folder.pk if folder else None]},
        )
        indexing.schedule(document)
    return document


def delete_document(*, actor: Any, document: Document) -> Document:
    """Soft delete by the space's managers: the document leaves the space, restorable."""
    policy.authorize(actor, A.MANAGE_SPACE, document)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.deleted_at is not None:
            raise ValidationError(_("This document is already deleted."))
        document.deleted_at, document.deleted_by = timezone.now(), actor
        document.deleted_reason = DeletionReason.DELETED
        document.checked_out_by, document.checked_out_at = None, None
        document.save()
        audit.record_change(
            actor=actor, action=AuditAction.EXCHANGE_DOCUMENT_DELETED, obj=document, changes={}
        )
        indexing.schedule(document)  # the job finds it gone from its space and removes it
    return document


def restore_document(*, actor: Any, document: Document, expires_on: date | None = None) -> Document:
    """Back into the space; an expired document needs a new date (or none)."""
    policy.authorize(actor, A.MANAGE_SPACE, document)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.deleted_at is None:
            raise ValidationError(_("This document is not deleted."))
        if document.folder is not None and document.folder.deleted_at is not None:
            raise ValidationError(_("Its folder is deleted: restore the folder first."))
        reason = document.deleted_reason
        document.deleted_at, document.deleted_by, document.deleted_reason = None, None, ""
        if reason == DeletionReason.EXPIRED:
            document.expires_on = _check_expiry(expires_on)
        document.save()
        audit.record_change(
            actor=actor, action=AuditAction.EXCHANGE_DOCUMENT_RESTORED, obj=document, changes={"was": reason}
        )
        indexing.schedule(document)
    return document


# Uploads in flight are younger than this: a file older without a row was left by a process
# killed between storing the file and committing its row (``shared.uploads.store``).
ORPHAN_AGE = timedelta(hours=6)


@system_operation
def sweep_orphaned_files(*, older_than: timedelta = ORPHAN_AGE, now: datetime | None = None) -> int:
    """Delete stored files of the spaces that no document version refers to (periodic job): a
    web worker killed after its file was stored and before its row was committed leaves one.
    Returns how many were deleted."""

    def known(keys):
        return set(DocumentVersion.objects.filter(key__in=list(keys)).values_list("key", flat=True))

    return len(sweep_orphans(prefix="exchange/spaces", known=known, older_than=older_than, now=now))


@system_operation
def expire_due_documents(*, now: datetime | None = None) -> list[int]:
    """Documents whose expiry date has come leave their space (periodic job); the managers can
    restore them with a new date."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    expired: list[int] = []
    with transaction.atomic():
        due = Document.objects.select_for_update().filter(deleted_at__isnull=True, expires_on__lte=today)
        for document in due:
            document.deleted_at, document.deleted_reason = now, DeletionReason.EXPIRED
            document.checked_out_by, document.checked_out_at = None, None
            document.save(update_fields=["deleted_at", "deleted_reason", "checked_out_by", "checked_out_at"])
            audit.record(
                action=AuditAction.EXCHANGE_DOCUMENT_EXPIRED,
                actor_label="ILOnet (expiry)",
                obj=document,
                details={"expires_on": document.expires_on.isoformat() if document.expires_on else None},
            )
            indexing.schedule(document)  # out of the index with it
            expired.append(document.pk)
    return expired


def record_download(*, actor: Any, version: DocumentVersion) -> None:
    """Every download is asked of the policy when it is made, and audited."""
    policy.authorize(actor, A.VIEW_EXCHANGE, version.document)
    audit.record(
        action=AuditAction.EXCHANGE_DOCUMENT_DOWNLOADED,
        actor=actor,
        obj=version.document,
        details={"version": version.number, "sha256": version.sha256},
    )


def record_folder_download(*, actor: Any, space: Space, folder: Folder | None, documents: list[int]) -> None:
    policy.authorize(actor, A.VIEW_EXCHANGE, folder or space)
    audit.record(
        action=AuditAction.EXCHANGE_FOLDER_DOWNLOADED,
        actor=actor,
        obj=folder or space,
        details={"documents": documents[:1000], "count": len(documents)},
    )
