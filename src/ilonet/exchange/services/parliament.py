"""Access the steering board decides (Art. 9(3), Art. 9(4)), each linked to the board's adopted
decision: the parts of the platform opened to the European Parliament, and the users
authorised to override the personal-data guard. Access changes, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.board import selectors as board

from ..models import Document, Folder, OverrideAuthorisation, ParliamentOpening, Space
from .common import A


def _decision(actor: Any, motion_id: Any) -> Any:
    """The board's adopted decision (Art. 7(8)) the access change rests on."""
    try:
        return board.decision_detail(user=actor, pk=int(motion_id))
    except (ObjectDoesNotExist, TypeError, ValueError):
        raise ValidationError({"motion": _("Choose a decision the steering board adopted.")}) from None


def open_to_parliament(
    *,
    actor: Any,
    motion_id: int,
    space: Space | None = None,
    folder: Folder | None = None,
    document: Document | None = None,
) -> ParliamentOpening:
    """Open a space, a folder (with its subfolders) or a document to the European Parliament's
    reader, as the board decided (Art. 9(4))."""
    policy.authorize(actor, A.OPEN_TO_PARLIAMENT)
    targets = [t for t in (space, folder, document) if t is not None]
    if len(targets) != 1:
        raise ValidationError(_("Open one space, folder or document at a time."))
    if (folder and folder.deleted_at) or (document and document.deleted_at):
        raise ValidationError(_("A deleted folder or document cannot be opened."))
    motion = _decision(actor, motion_id)
    with transaction.atomic():
        opening = ParliamentOpening.objects.create(
            space=space,
            folder=folder,
            document=document,
            motion_id=motion.pk,
            motion_title=motion.title[:300],
            opened_by=actor,
        )
        audit.record(
            action=AuditAction.EXCHANGE_PARLIAMENT_OPENED,
            actor=actor,
            obj=targets[0],
            details={"opening": opening.pk, "motion": motion.pk},
        )
    return opening


def withdraw_opening(*, actor: Any, opening: ParliamentOpening) -> ParliamentOpening:
    policy.authorize(actor, A.OPEN_TO_PARLIAMENT)
    with transaction.atomic():
        opening = ParliamentOpening.objects.select_for_update().get(pk=opening.pk)
        if opening.withdrawn_at is not None:
            raise ValidationError(_("This opening is already withdrawn."))
        opening.withdrawn_at, opening.withdrawn_by = timezone.now(), actor
        opening.save(update_fields=["withdrawn_at", "withdrawn_by"])
        audit.record(
            action=AuditAction.EXCHANGE_PARLIAMENT_WITHDRAWN,
            actor=actor,
            obj=opening.target,
            details={"opening": opening.pk, "motion": opening.motion_id},
        )
    return opening


def authorise_overrides(*, actor: Any, user: Any, motion_id: int) -> OverrideAuthorisation:
    """Record the board's decision that ``user`` may override findings of the guard (Art. 9(3))."""
    policy.authorize(actor, A.AUTHORISE_GUARD_OVERRIDES)
    if user is None or not getattr(user, "is_active", False):
        raise ValidationError({"user": _("Choose an active user.")})
    if Role.EP_READER in policy.role_names(user):
        raise ValidationError({"user": _("The reader of the European Parliament does not add documents.")})
    motion = _decision(actor, motion_id)
    with transaction.atomic():
        if OverrideAuthorisation.objects.filter(user=user, revoked_at__isnull=True).exists():
            raise ValidationError({"user": _("This user is already authorised.")})
        grant = OverrideAuthorisation.objects.create(
            user=user, motion_id=motion.pk, motion_title=motion.title[:300], granted_by=actor
        )
        audit.record(
            action=AuditAction.EXCHANGE_OVERRIDE_AUTHORISED,
            actor=actor,
            obj=grant,
            details={"user": user.pk, "motion": motion.pk},
        )
    policy.forget_roles(user)
    return grant


def revoke_override_authorisation(
    *, actor: Any, authorisation: OverrideAuthorisation
) -> OverrideAuthorisation:
    policy.authorize(actor, A.AUTHORISE_GUARD_OVERRIDES)
    with transaction.atomic():
        grant = OverrideAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
        if grant.revoked_at is not None:
            raise ValidationError(_("This authorisation is already revoked."))
        grant.revoked_at, grant.revoked_by = timezone.now(), actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            action=AuditAction.EXCHANGE_OVERRIDE_REVOKED,
            actor=actor,
            obj=grant,
            details={"user": grant.user_id},
        )
    policy.forget_roles(authorisation.user)
    return grant
