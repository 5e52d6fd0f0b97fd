"""Read-side functions of accounts."""

import hmac
import re
from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from ilonet import policy
from ilonet.shared.prepared import PreparedQuery

from .models import ApiToken, Invitation, InvitationStatus, RoleAssignment, RoleStatus, User

UNKNOWN_INVITATION = "unknown"
# What ``Invitation.new_secret`` makes (``secrets.token_urlsafe(32)``), with room to spare.
_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")


def _current_roles(user_id: int, today: date) -> QuerySet:
    return (
        RoleAssignment.objects.filter(user_id=user_id, valid_from__lte=today, status=RoleStatus.CONFIRMED)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("role", "organisation_id", "scope_ref")
    )


# Every page and API call asks for the roles: the query is compiled once (ilonet.shared.prepared).
_CURRENT_ROLES = PreparedQuery(_current_roles, user_id=-424242, today=date(1901, 2, 3))


def current_role_tuples(user: User) -> list[tuple[str, int | None, str]]:
    """(role, organisation id, scope_ref) of the roles the user holds today. A grant waiting
    for a second administrator's confirmation gives nothing."""
    return _CURRENT_ROLES.rows(user_id=user.pk, today=timezone.localdate())


def active_users_with_roles(*, roles: Iterable[str]) -> QuerySet[User]:
    """Active users holding one of ``roles`` today (to pick members of a space, for instance)."""
    today = timezone.localdate()
    current = RoleAssignment.objects.filter(
        role__in=list(roles), valid_from__lte=today, status=RoleStatus.CONFIRMED
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    return User.objects.filter(is_active=True, pk__in=current.values("user_id")).order_by(
        "last_name", "first_name", "pk"
    )


def current_role_tuples_of(*, user_ids: list[int]) -> dict[int, list[tuple[str, int | None, str]]]:
    """``current_role_tuples`` of many users in one query (the notifications' fan-out)."""
    today = timezone.localdate()
    found: dict[int, list[tuple[str, int | None, str]]] = {pk: [] for pk in user_ids}
    rows = (
        RoleAssignment.objects.filter(
            user_id__in=user_ids, valid_from__lte=today, status=RoleStatus.CONFIRMED
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("user_id", "role", "organisation_id", "scope_ref")
    )
    for user_id, role, organisation_id, scope_ref in rows:
        found[user_id].append((role, organisation_id, scope_ref))
    return found


def user_list(*, actor, search: str | None = None, role: str | None = None) -> QuerySet[User]:
    qs = policy.scope(actor, policy.Action.VIEW_USERS, User.objects.all())
    if search:
        search = search.strip()
        qs = qs.filter(
            Q(email__icontains=search) | Q(first_name__icontains=search) | Q(last_name__icontains=search)
        )
    if role:
        qs = qs.filter(role_assignments__role=role).distinct()
    return qs.select_related("organisation").prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("organisation"))
    )


def user_tokens(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def user_by_token(secret: str) -> tuple[User, ApiToken] | None:
    """The active user behind a usable token, or None."""
    if not secret.startswith(ApiToken.PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(secret)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    return token.user, token


def user_detail(*, user_id: int) -> User:
    return (
        User.objects.select_related("organisation")
        .prefetch_related("role_assignments__organisation__parent")
        .get(pk=user_id)
    )


def pending_role_grants(*, actor) -> QuerySet[RoleAssignment]:
    """Grants waiting for a second administrator (roles that open personal data, Art. 9(3))."""
    if not policy.can(actor, policy.Action.MANAGE_ROLES):
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(status=RoleStatus.PENDING)
        .select_related("user", "organisation", "granted_by")
        .order_by("created_at", "pk")
    )


def invitation_by_secret(
    secret: str, *, now: datetime | None = None, lock: bool = False
) -> tuple[str, Invitation | None]:
    """The invitation a link's secret opens and its status (``InvitationStatus``), or
    (``UNKNOWN_INVITATION``, None). Found by the SHA-256 digest of the secret, compared once
    more in constant time; a link to an account that is deactivated or already has a password
    counts as used. ``lock`` holds the row for the caller's transaction."""
    if not isinstance(secret, str) or not _SECRET_SHAPE.fullmatch(secret):
        return UNKNOWN_INVITATION, None
    digest = Invitation.digest_of(secret)
    rows = Invitation.objects.select_related("user", "user__organisation")
    invitation = (rows.select_for_update() if lock else rows).filter(digest=digest).first()
    if invitation is None or not hmac.compare_digest(invitation.digest or "", digest):
        return UNKNOWN_INVITATION, None
    status = invitation.status(now)
    if status == InvitationStatus.PENDING and (
        not invitation.user.is_active or invitation.user.has_usable_password()
    ):
        status = InvitationStatus.ACCEPTED
    return status, invitation


def latest_invitation(*, user: User) -> Invitation | None:
    """The last invitation sent to a user (the earlier ones were voided by it)."""
    return Invitation.objects.filter(user=user).select_related("invited_by").first()


def audience_users(
    *,
    roles: tuple[str, ...] = (),
    roles_in: tuple[tuple[str, int], ...] = (),
    user_ids: tuple[int, ...] = (),
) -> QuerySet[User]:
    """Active users who hold one of ``roles`` today (anywhere), one of ``roles_in`` today for
    the given organisation, or whose id is in ``user_ids``: who a notification is meant for
    (``ilonet.jobs.notify.Audience``), before the policy filter of the notifications app."""
    today = timezone.localdate()
    held = RoleAssignment.objects.filter(valid_from__lte=today, status=RoleStatus.CONFIRMED).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    wanted = Q(pk__in=list(user_ids)) if user_ids else Q(pk__in=[])
    if roles:
        wanted |= Q(pk__in=held.filter(role__in=list(roles)).values("user_id"))
    for role, organisation_id in roles_in:
        wanted |= Q(pk__in=held.filter(role=role, organisation_id=organisation_id).values("user_id"))
    return User.objects.filter(wanted, is_active=True).order_by("pk")
