"""Versions and check-out (Art. 9(1)): a new version passes the same checks and guard as a first
upload (Art. 9(3)); earlier versions stay readable and can be restored; a document checked out
shows who holds it, and only the holder changes it until it is checked in or a manager of the
space breaks the check-out."""

from __future__ import annotations

from collections.abc import Collection
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.shared.uploads import EXCHANGE, stored_upload

from .. import indexing, notices
from ..models import Document, DocumentVersion
from . import guard
from .common import A
from .documents import _not_held_by_other, _storage_prefix


def _locked(document: Document) -> Document:
    locked = Document.objects.select_for_update().select_related("space").get(pk=document.pk)
    if locked.deleted_at is not None:
        raise ValidationError(_("This document is deleted: a manager of the space can restore it."))
    return locked


def _next_number(document: Document) -> int:
    return (document.versions.aggregate(top=Max("number"))["top"] or 0) + 1


def upload_version(
    *,
    actor: Any,
    document: Document,
    file: IO[bytes],
    note: str = "",
    name: str | None = None,
    overrides: Collection[str] = (),
    override_reason: str = "",
) -> DocumentVersion:
    """A new version, checked like a first upload; it checks the document in if the uploader
    held it."""
    policy.authorize(actor, A.CONTRIBUTE_TO_EXCHANGE, document)
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Keep the note under 500 characters.")})
    _not_held_by_other(actor, document)
    checked = guard._check_upload(
        actor=actor, file=file, target=document, name=name, overrides=overrides, reason=override_reason
    )
    with stored_upload(
        file,
        profile=EXCHANGE,
        prefix=_storage_prefix(document.space),
        name=name,
        inspected=checked.inspected,
    ) as stored:
        locked = _locked(document)
        _not_held_by_other(actor, locked)
        version = DocumentVersion.objects.create(
            document=locked,
            number=_next_number(locked),
            key=stored.key,
            original_name=stored.name[:200],
            content_type=stored.content_type,
            extension=stored.extension,
            size=stored.size,
            sha256=stored.sha256,
            note=note,
            uploaded_by=actor,
            guard_overridden=bool(checked.overridden),
        )
        locked.current_version = version
        locked.guard_overridden = locked.guard_overridden or bool(checked.overridden)
        locked.checked_out_by, locked.checked_out_at = None, None
        locked.save(
            update_fields=[
                "current_version",
                "guard_overridden",
                "checked_out_by",
                "checked_out_at",
                "updated_at",
            ]
        )
        audit.record_change(
            actor=actor,
            action=AuditAction.EXCHANGE_VERSION_UPLOADED,
            obj=locked,
            changes={
                "version": version.number,
                "type": stored.content_type,
                "size": stored.size,
                "sha256": stored.sha256,
            },
        )
        guard._record_overrides(actor=actor, version=version, checked=checked)
        indexing.schedule(locked)
        notices.document_added(actor=actor, document=locked, version=version)
    return version


def restore_version(*, actor: Any, version: DocumentVersion) -> DocumentVersion:
    """An earlier version becomes current again, as a new version (the history is kept)."""
    policy.authorize(actor, A.CONTRIBUTE_TO_EXCHANGE, version.document)
    with transaction.atomic():
        locked = _locked(version.document)
        _not_held_by_other(actor, locked)
        if locked.current_version_id == version.pk:
            raise ValidationError(_("This is already the current version."))
        restored = DocumentVersion.objects.create(
            document=locked,
            number=_next_number(locked),
            key=version.key,
            original_name=version.original_name,
            content_type=version.content_type,
            extension=version.extension,
            size=version.size,
            sha256=version.sha256,
            note=_("Restored from version %(number)s") % {"number": version.number},
            restored_from=version,
            uploaded_by=actor,
            guard_overridden=version.guard_overridden,
        )
        locked.current_version = restored
        locked.save(update_fields=["current_version", "updated_at"])
        audit.record_change(
            actor=actor,
            action=AuditAction.EXCHANGE_VERSION_RESTORED,
            obj=locked,
            changes={"version": restored.number, "from": version.number},
        )
        indexing.schedule(locked)
    return restored


def check_out(*, actor: Any, document: Document) -> Document:
    """Take the document to edit it: the others see who holds it."""
    policy.authorize(actor, A.CONTRIBUTE_TO_EXCHANGE, document)
    with transaction.atomic():
        locked = _locked(document)
        if locked.checked_out_by_id == actor.pk:
            return locked
        _not_held_by_other(actor, locked)
        locked.checked_out_by, locked.checked_out_at = actor, timezone.now()
        locked.save(update_fields=["checked_out_by", "checked_out_at"])
        audit.record_change(
            actor=actor, action=AuditAction.EXCHANGE_DOCUMENT_CHECKED_OUT, obj=locked, changes={}
        )
    return locked


def check_in(*, actor: Any, document: Document) -> Document:
    """Give the document back without a new version."""
    policy.authorize(actor, A.CONTRIBUTE_TO_EXCHANGE, document)
    with transaction.atomic():
        locked = _locked(document)
        if locked.checked_out_by_id != actor.pk:
            raise ValidationError(_("You have not checked this document out."))
        locked.checked_out_by, locked.checked_out_at = None, None
        locked.save(update_fields=["checked_out_by", "checked_out_at"])
        audit.record_change(
            actor=actor, action=AuditAction.EXCHANGE_DOCUMENT_CHECKED_IN, obj=locked, changes={}
        )
    return locked


def break_check_out(*, actor: Any, document: Document) -> Document:
    """A manager of the space frees a document someone else holds (absent, left the network)."""
    policy.authorize(actor, A.MANAGE_SPACE, document)
    with transaction.atomic():
        locked = _locked(document)
        if locked.checked_out_by_id is None:
            raise ValidationError(_("Nobody has checked this document out."))
        holder = locked.checked_out_by_id
        locked.checked_out_by, locked.checked_out_at = None, None
        locked.save(update_fields=["checked_out_by", "checked_out_at"])
        audit.record_change(
            actor=actor, action=AuditAction.EXCHANGE_CHECK_OUT_BROKEN, obj=locked, changes={"holder": holder}
        )
    return locked
