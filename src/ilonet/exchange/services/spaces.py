"""Spaces, their members and folders (Art. 9(1)): the board's space, one space per local or
regional network, made with the network (Art. 5(1)), and working groups (Art. 8(3)(a))."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.networks.models import Network
from ilonet.policy.markers import system_operation

from .. import indexing
from ..models import DeletionReason, Document, Folder, Space, SpaceKind, SpaceMember
from .common import A, _clean_record

MAX_FOLDER_DEPTH = 8


@system_operation
def ensure_board_space(*, actor: Any = None) -> Space:
    """The steering board's one space (Art. 9(2)(e)), made when first needed."""
    with transaction.atomic():
        space, created = Space.objects.get_or_create(
            kind=SpaceKind.BOARD, defaults={"name": "Steering board", "description": ""}
        )
        if created:
            audit.record_change(
                actor=actor, action=AuditAction.EXCHANGE_SPACE_CREATED, obj=space, changes={"kind": "board"}
            )
    return space


@system_operation
def space_for_new_network(*, actor: Any, network: Network) -> Space:
    """Hook of the networks app (``ilonet.networks.hooks``): a new network gets its space in the
    transaction that creates it (Art. 5(1), Art. 9(1))."""
    space, created = Space.objects.get_or_create(
        network=network, defaults={"kind": SpaceKind.NETWORK, "name": network.name[:200]}
    )
    if created:
        audit.record_change(
            actor=actor, action=AuditAction.EXCHANGE_SPACE_CREATED, obj=space, changes={"network": network.pk}
        )
    return space


@system_operation
def ensure_network_spaces(*, actor: Any = None) -> list[Space]:
    """A space for every network that has none yet (networks made before the exchange existed)."""
    made = []
    with transaction.atomic():
        for network in Network.objects.filter(exchange_space__isnull=True).order_by("pk"):
            made.append(space_for_new_network(actor=actor, network=network))
    return made


def create_working_group(*, actor: Any, name: str, description: str = "") -> Space:
    """A working group's space (Art. 8(3)(a)), set up by the chair or the secretariat."""
    policy.authorize(actor, A.MANAGE_SPACES)
    with transaction.atomic():
        space = Space(
            kind=SpaceKind.WORKING_GROUP, name=(name or "").strip(), description=(description or "").strip()
        )
        _clean_record(space)
        space.save()
        audit.record_change(
            actor=actor, action=AuditAction.EXCHANGE_SPACE_CREATED, obj=space, changes={"kind": space.kind}
        )
    policy.forget_roles(actor)  # the new space is among those the actor manages
    return space


def add_member(*, actor: Any, space: Space, user: Any, is_manager: bool = False) -> SpaceMember:
    """Add a member (or manager) to a working group's space; an access change, audited."""
    policy.authorize(actor, A.MANAGE_SPACE, space)
    if space.kind != SpaceKind.WORKING_GROUP:
        raise ValidationError(
            _("The members of the board's and the networks' spaces follow the board and the deployments.")
        )
    if user is None or not getattr(user, "is_active", False):
        raise ValidationError({"user": _("Choose an active user.")})
    with transaction.atomic():
        member, created = SpaceMember.objects.update_or_create(
            space=space, user=user, defaults={"is_manager": bool(is_manager)}
        )
        audit.record_change(
            actor=actor,
            action=AuditAction.EXCHANGE_SPACE_MEMBER_ADDED,
            obj=space,
            changes={"user": user.pk, "manager": bool(is_manager), "new": created},
        )
    policy.forget_roles(actor)
    policy.forget_roles(user)
    return member


def remove_member(*, actor: Any, space: Space, user: Any) -> None:
    policy.authorize(actor, A.MANAGE_SPACE, space)
    with transaction.atomic():
        deleted, _rows = SpaceMember.objects.filter(space=space, user=user).delete()
        if deleted:
            audit.record_change(
                actor=actor,
                action=AuditAction.EXCHANGE_SPACE_MEMBER_REMOVED,
                obj=space,
                changes={"user": user.pk},
            )
    policy.forget_roles(actor)
    policy.forget_roles(user)


def _depth(folder: Folder | None) -> int:
    depth = 0
    while folder is not None:
        depth += 1
        folder = folder.parent
    return depth


def create_folder(*, actor: Any, space: Space, name: str, parent: Folder | None = None) -> Folder:
    policy.authorize(actor, A.MANAGE_SPACE, space)
    name = (name or "").strip()
    if parent is not None and (parent.space_id != space.pk or parent.deleted_at is not None):
        raise ValidationError({"parent": _("Choose a folder of this space.")})
    if _depth(parent) >= MAX_FOLDER_DEPTH:
        raise ValidationError(
            {"parent": _("Folders nest at most %(depth)s deep.") % {"depth": MAX_FOLDER_DEPTH}}
        )
    with transaction.atomic():
        if Folder.objects.filter(
            space=space, parent=parent, name__iexact=name, deleted_at__isnull=True
        ).exists():
            raise ValidationError({"name": _("This folder already holds a folder of that name.")})
        folder = Folder(space=space, parent=parent, name=name, created_by=actor)
        _clean_record(folder, exclude=["created_by", "deleted_by"])
        folder.save()
        audit.record_change(
            actor=actor,
            action=AuditAction.EXCHANGE_FOLDER_CREATED,
            obj=folder,
            changes={"space": space.pk, "parent": parent.pk if parent else None},
        )
    return folder


def _subtree(folder: Folder) -> list[int]:
    ids, frontier = [folder.pk], [folder.pk]
    while frontier:
        frontier = list(Folder.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def delete_folder(*, actor: Any, folder: Folder) -> Folder:
    """A folder, its subfolders and their documents leave the space together; the managers can
    restore them together."""
    policy.authorize(actor, A.MANAGE_SPACE, folder)
    now = timezone.now()
    with transaction.atomic():
        ids = _subtree(folder)
        Folder.objects.filter(pk__in=ids, deleted_at__isnull=True).update(
            deleted_at=now, deleted_by=actor, deleted_reason=DeletionReason.DELETED
        )
        leaving = Document.objects.filter(folder_id__in=ids, deleted_at__isnull=True)
        indexing.schedule_many(list(leaving.values_list("pk", flat=True)))
        count = leaving.update(deleted_at=now, deleted_by=actor, deleted_reason=DeletionReason.DELETED)
        audit.record_change(
            actor=actor,
            action=AuditAction.EXCHANGE_FOLDER_DELETED,
            obj=folder,
            changes={"folders": len(ids), "documents": count},
        )
    folder.refresh_from_db()
    return folder


def restore_folder(*, actor: Any, folder: Folder) -> Folder:
    policy.authorize(actor, A.MANAGE_SPACE, folder)
    if folder.deleted_at is None:
        raise ValidationError(_("This folder is not deleted."))
    if folder.parent is not None and folder.parent.deleted_at is not None:
        raise ValidationError(_("Restore the folder above it first."))
    with transaction.atomic():
        ids = _subtree(folder)
        when = folder.deleted_at
        Folder.objects.filter(pk__in=ids, deleted_at=when).update(
            deleted_at=None, deleted_by=None, deleted_reason=""
        )
        returning = Document.objects.filter(folder_id__in=ids, deleted_at=when)
        indexing.schedule_many(list(returning.values_list("pk", flat=True)))
        count = returning.update(deleted_at=None, deleted_by=None, deleted_reason="")
        audit.record_change(
            actor=actor, action=AuditAction.EXCHANGE_FOLDER_RESTORED, obj=folder, changes={"documents": count}
        )
    folder.refresh_from_db()
    return folder
