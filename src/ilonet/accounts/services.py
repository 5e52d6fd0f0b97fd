"""Write-side functions of accounts. Each writes its audit event in the same transaction."""

from datetime import date, datetime, timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import Outcome
from ilonet.policy.markers import system_operation

from . import emails, scopes, selectors
from .models import ApiToken, ApiTokenScope, Invitation, InvitationStatus, RoleAssignment, RoleStatus, User
from .name_followers import NAME_FOLLOWERS
from .roles import PERSONAL_DATA_ROLES


def create_user(
    *,
    actor,
    email: str,
    organisation,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    password: str | None = None,
    preferred_language: str = "en",
) -> User:
    """Create an account. Without a password the user needs an invitation (``invite_user``,
    ``resend_invitation``) or a password reset."""
    policy.authorize(actor, policy.Action.MANAGE_USERS)
    with transaction.atomic():
        return _new_user(
            actor=actor, email=email, organisation=organisation, first_name=first_name,
            last_name=last_name, job_title=job_title, password=password,
            preferred_language=preferred_language,
        )  # fmt: skip


def _new_user(
    *, actor, email: str, organisation, first_name: str, last_name: str, job_title: str,
    password: str | None, preferred_language: str,
) -> User:  # fmt: skip
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    user = User(
        email=email,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        preferred_language=preferred_language,
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    # The administrator vouches for the address (no self sign-up): mark it verified, which
    # allauth requires before a security key can be added.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    audit.record_change(
        actor=actor,
        action=AuditAction.RECORD_CREATED,
        obj=user,
        changes={"email": email, "organisation": organisation.code},
    )
    return user


def update_user(*, actor, user: User, **fields) -> User:
    """Change an account. A change of its name or e-mail address reaches every copy registered
    by ``name_followers.follow_name_changes`` in the same transaction: a copy never shows an old
    one. The e-mail address is the sign-in identity: only an administrator changes it, here,
    audited (the person's own e-mail page shows it and does not change it)."""
    policy.authorize(actor, policy.Action.MANAGE_USERS, user)
    with transaction.atomic():
        editable = {"email", "first_name", "last_name", "job_title", "organisation", "is_active",
                    "preferred_language"}  # fmt: skip
        unknown = set(fields) - editable
        if unknown:
            raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
        if user.pk == actor.pk and fields.get("is_active") is False:
            raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
        if "email" in fields:
            fields["email"] = _new_sign_in_address(user, fields["email"])
        changes = {}
        for name, value in fields.items():
            old = getattr(user, name)
            if old != value:
                changes[name] = [str(old), str(value)]
                setattr(user, name, value)
        user.full_clean(exclude=["password"])
        user.save()
        if changes:
            audit.record_change(actor=actor, action=AuditAction.RECORD_UPDATED, obj=user, changes=changes)
        if "email" in changes:
            # allauth signs in by these rows: the account keeps exactly one, the new one,
            # vouched for by the administrator as at creation.
            EmailAddress.objects.filter(user=user).delete()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        if {"first_name", "last_name", "email"} & set(changes):
            for follower in NAME_FOLLOWERS:
                follower(actor=actor, user=user)
        return user


def _new_sign_in_address(user: User, email: str) -> str:
    email = User.objects.normalize_email(email).strip().lower()
    taken = User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
    if taken or EmailAddress.objects.filter(email__iexact=email).exclude(user=user).exists():
        raise ValidationError({"email": _("A user with this e-mail address already exists.")})
    return email


def _refuse_role_change(*, actor, user: User, reason: str, details: dict) -> None:
    """Audit a refused role change (outside any transaction, so the event stays) and raise."""
    audit.record(
        action=AuditAction.ROLE_GRANT_REFUSED, actor=actor, obj=user, outcome=Outcome.DENIED,
        details={**details, "reason": reason},
    )  # fmt: skip
    raise ValidationError(reason)


def _needs_second_administrator(role: str) -> bool:
    """Roles that open the personal data of Art. 9(2)(c) and Art. 9(2)(d) (the readers of
    Art. 9(3)) are granted by two administrators: one grants, another confirms."""
    return role in PERSONAL_DATA_ROLES


def assign_role(
    *,
    actor,
    user: User,
    role: str,
    organisation=None,
    scope_ref: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> RoleAssignment:
    """Grant a role. Nobody grants a role to themselves; a role that opens personal data
    (Art. 9(3)) stays pending, and gives nothing, until a different administrator confirms it."""
    policy.authorize(actor, policy.Action.MANAGE_ROLES, user)
    if user.pk == actor.pk:
        _refuse_role_change(
            actor=actor, user=user, details={"role": role},
            reason=_("You cannot grant a role to yourself: another administrator must do it."),
        )  # fmt: skip
    organisation, scope_ref = scopes.check(
        actor=actor, role=role, organisation=organisation, scope_ref=scope_ref
    )
    pending = _needs_second_administrator(role)
    with transaction.atomic():
        assignment = RoleAssignment(
            user=user,
            role=role,
            organisation=organisation,
            scope_ref=scope_ref,
            valid_from=valid_from or timezone.localdate(),
            valid_until=valid_until,
            granted_by=actor,
            status=RoleStatus.PENDING if pending else RoleStatus.CONFIRMED,
        )
        assignment.full_clean()
        if valid_until is not None and valid_until < assignment.valid_from:
            raise ValidationError({"valid_until": _("The end date cannot be before the start date.")})
        assignment.save()
        audit.record_change(
            actor=actor,
            action=AuditAction.ROLE_GRANT_REQUESTED if pending else AuditAction.ROLE_GRANTED,
            obj=user,
            changes={
                "role": role,
                "assignment": assignment.pk,
                "status": assignment.status,
                "organisation": organisation.code if organisation else "",
                "scope_ref": scope_ref,
                "valid_from": assignment.valid_from,
                "valid_until": valid_until,
            },
        )
        policy.forget_roles(user)
        return assignment


def confirm_role(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """A second administrator confirms a pending grant (see ``assign_role``): not the one who
    granted it, and not its holder."""
    policy.authorize(actor, policy.Action.MANAGE_ROLES, assignment.user)
    if assignment.status != RoleStatus.PENDING:
        raise ValidationError(_("This role grant is not waiting for confirmation."))
    if actor.pk in (assignment.granted_by_id, assignment.user_id):
        _refuse_role_change(
            actor=actor, user=assignment.user, details={"role": assignment.role, "assignment": assignment.pk},
            reason=_("A different administrator must confirm this role grant: not the one who granted "
                     "it, nor its holder."),
        )  # fmt: skip
    with transaction.atomic():
        updated = RoleAssignment.objects.filter(pk=assignment.pk, status=RoleStatus.PENDING).update(
            status=RoleStatus.CONFIRMED, confirmed_by=actor, confirmed_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("This role grant is not waiting for confirmation."))
        assignment.refresh_from_db()
        audit.record_change(
            actor=actor,
            action=AuditAction.ROLE_CONFIRMED,
            obj=assignment.user,
            changes={"role": assignment.role, "assignment": assignment.pk,
                     "granted_by": assignment.granted_by_id},
        )  # fmt: skip
        policy.forget_roles(assignment.user)
        return assignment


def revoke_role(*, actor, assignment: RoleAssignment) -> None:
    policy.authorize(actor, policy.Action.MANAGE_ROLES, assignment.user)
    with transaction.atomic():
        user = assignment.user
        audit.record_change(
            actor=actor,
            action=AuditAction.ROLE_REVOKED,
            obj=user,
            changes={"role": assignment.role, "assignment": assignment.pk},
        )
        assignment.delete()
        policy.forget_roles(user)


def issue_api_token(
    *, actor: User, name: str, scope: str = ApiTokenScope.READ, days: int = 90
) -> tuple[ApiToken, str]:
    """Create a personal token; returns it with its secret, which is never stored. Needs a
    browser session with a recent second factor (``Action.MANAGE_API_TOKENS``), never a token."""
    policy.authorize(actor, policy.Action.MANAGE_API_TOKENS)
    with transaction.atomic():
        if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
            raise ValidationError(
                {"days": _("Choose between 1 and %(max)d days.") % {"max": settings.API_TOKEN_MAX_DAYS}}
            )
        secret = ApiToken.new_secret()
        token = ApiToken(
            user=actor,
            name=name,
            scope=scope,
            digest=ApiToken.digest_of(secret),
            hint=secret[:10],
            expires_at=timezone.now() + timedelta(days=days),
        )
        token.full_clean()
        token.save()
        audit.record_change(
            actor=actor,
            action=AuditAction.API_TOKEN_ISSUED,
            obj=token,
            changes={"scope": scope, "days": days},
        )
        return token, secret


def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    """Revoke a token: the same step-up as issuing one; another user's token also needs the
    right to manage users."""
    policy.authorize(actor, policy.Action.MANAGE_API_TOKENS)
    if token.user_id != actor.pk:
        policy.authorize(actor, policy.Action.MANAGE_USERS, token.user)
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record_change(actor=actor, action=AuditAction.API_TOKEN_REVOKED, obj=token)


@system_operation
def touch_api_token(token: ApiToken) -> None:
    """Note the last use at most once a minute (keeps API reads from writing every time)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


# --- invitations ------------------------------------------------------------------------------


def invite_user(
    *,
    actor,
    email: str,
    organisation,
    first_name: str,
    last_name: str,
    job_title: str = "",
    preferred_language: str | None = None,
    now: datetime | None = None,
) -> User:
    """Create the account of someone who has none and invite them: a single-use link by e-mail,
    valid ``INVITATION_DAYS`` days, to set a password and then a second factor. Administrators
    invite anyone; a deploying authority invites officers of its own member state
    (``Action.INVITE_USERS``, Art. 4(1)). The mail is sent once the transaction commits."""
    policy.authorize(actor, policy.Action.INVITE_USERS, organisation)
    with transaction.atomic():
        user = _new_user(
            actor=actor, email=email, organisation=organisation, first_name=first_name,
            last_name=last_name, job_title=job_title, password=None,
            preferred_language=preferred_language or str(getattr(actor, "preferred_language", "en")),
        )  # fmt: skip
        _invite(actor=actor, user=user, now=now or timezone.now())
        return user


def resend_invitation(*, actor, user: User, now: datetime | None = None) -> Invitation:
    """Send a new invitation to an account that is not set up yet; the earlier links stop
    working."""
    policy.authorize(actor, policy.Action.INVITE_USERS, user)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one invitation at a time
        user.refresh_from_db()
        if not user.is_active:
            raise ValidationError(_("This account is deactivated: activate it before inviting its holder."))
        if user.has_usable_password():
            raise ValidationError(_("This account is already set up: its holder logs in with a password."))
        return _invite(actor=actor, user=user, now=now or timezone.now())


def revoke_invitation(*, actor, invitation: Invitation, now: datetime | None = None) -> None:
    """Withdraw a pending invitation: its link stops working."""
    policy.authorize(actor, policy.Action.INVITE_USERS, invitation.user)
    with transaction.atomic():
        revoked = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now or timezone.now())
        if not revoked:
            raise ValidationError(_("This invitation is no longer pending."))
        audit.record_change(
            actor=actor,
            action=AuditAction.ACCOUNT_INVITATION_REVOKED,
            obj=invitation.user,
            changes={"invitation": invitation.pk},
        )


def _invite(*, actor, user: User, now: datetime) -> Invitation:
    voided = list(
        Invitation.objects.filter(user=user, accepted_at__isnull=True, revoked_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    Invitation.objects.filter(pk__in=voided).update(revoked_at=now)
    invitation = Invitation.objects.create(
        user=user,
        invited_by=actor if getattr(actor, "pk", None) else None,
        language=user.preferred_language,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    audit.record_change(
        actor=actor,
        action=AuditAction.ACCOUNT_INVITATION_SENT,
        obj=user,
        changes={"invitation": invitation.pk, "expires_at": invitation.expires_at, "replaces": voided},
    )
    transaction.on_commit(partial(emails.send_invitation_email, invitation.pk))
    return invitation


@system_operation
def accept_invitation(*, secret: str, password: str, now: datetime | None = None) -> User:
    """The invitee sets a password with the secret of the link (which authenticates them; the
    policy has no one to ask yet). The link is used up; a second factor comes next, before
    anything else (``RequireSecondFactorMiddleware``)."""
    now = now or timezone.now()
    with transaction.atomic():
        status, invitation = selectors.invitation_by_secret(secret, now=now, lock=True)
        if invitation is None or status != InvitationStatus.PENDING:
            raise ValidationError(_("This invitation link is no longer valid."), code="invalid_invitation")
        user = invitation.user
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        audit.record(
            action=AuditAction.ACCOUNT_INVITATION_ACCEPTED,
            actor=user,
            obj=user,
            details={"invitation": invitation.pk},
        )
        return user


@system_operation
def note_refused_invitation(*, invitation: Invitation, status: str) -> None:
    """Audit the use of a link that no longer opens anything (expired, used or revoked): a sign
    that a mail went astray or that someone tries old links. Unknown links are only counted
    (``accounts.throttle``): they name no account."""
    audit.record(
        action=AuditAction.ACCOUNT_INVITATION_REFUSED,
        obj=invitation.user,
        outcome=Outcome.FAILURE,
        details={"invitation": invitation.pk, "status": status},
    )
