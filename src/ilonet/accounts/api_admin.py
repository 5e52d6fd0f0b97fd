"""API for administrators: accounts and role assignments, as the pages offer them. The same
services decide (validation, the policy, the audit trail): no self-grant, and roles that open
personal data (Art. 9(3)) wait for a second administrator's confirmation."""

from datetime import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination
from ilonet.api.routing import PolicyRouter
from ilonet.api.schemas import SingleLine, StrictDate, StrictSchema
from ilonet.directory import selectors as directory
from ilonet.directory.models import Organisation

from . import selectors, services
from .models import Invitation, InvitationStatus, RoleAssignment, RoleStatus, User
from .roles import Role

router = PolicyRouter(tags=["accounts administration"])


class AdminRoleOut(Schema):
    id: int
    role: Role
    organisation: str | None = Field(None, alias="organisation.code")
    scope_ref: str
    valid_from: StrictDate
    valid_until: StrictDate | None
    status: RoleStatus
    granted_by: int | None = Field(None, alias="granted_by_id")
    confirmed_by: int | None = Field(None, alias="confirmed_by_id")


class AdminUserOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    job_title: str
    organisation: str = Field(..., alias="organisation.code")
    preferred_language: str
    is_active: bool
    roles: list[AdminRoleOut]

    @staticmethod
    def resolve_roles(obj: User):
        return list(obj.role_assignments.all())


class PendingGrantOut(AdminRoleOut):
    user: int = Field(..., alias="user_id")


class InvitationOut(Schema):
    """An invitation without its link: the secret exists only in the mail."""

    id: int
    status: InvitationStatus
    language: str
    created_at: datetime
    sent_at: datetime | None
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None
    invited_by: int | None = Field(None, alias="invited_by_id")

    @staticmethod
    def resolve_status(obj: Invitation) -> str:
        return obj.status()


class UserCreateIn(StrictSchema):
    email: SingleLine = Field(..., min_length=3, max_length=254)
    organisation: SingleLine = Field(..., min_length=2, max_length=40, description="Directory code")
    first_name: SingleLine = Field("", max_length=150)
    last_name: SingleLine = Field("", max_length=150)
    job_title: SingleLine = Field("", max_length=200)
    preferred_language: SingleLine = Field("en", max_length=8)
    send_invitation: bool = Field(
        True, description="Send a single-use link to set a password and a second factor (as the page does)"
    )


class UserPatch(StrictSchema):
    email: SingleLine | None = Field(
        None, min_length=3, max_length=254, description="The sign-in address (audited)"
    )
    organisation: SingleLine | None = Field(None, min_length=2, max_length=40)
    first_name: SingleLine | None = Field(None, max_length=150)
    last_name: SingleLine | None = Field(None, max_length=150)
    job_title: SingleLine | None = Field(None, max_length=200)
    preferred_language: SingleLine | None = Field(None, max_length=8)
    is_active: bool | None = None


class RoleGrantIn(StrictSchema):
    role: Role
    organisation: SingleLine | None = Field(None, min_length=2, max_length=40, description="Directory code")
    scope_ref: str = Field("", pattern=r"^([a-z_]+:\d{1,18})?$", max_length=64)
    valid_from: StrictDate | None = None
    valid_until: StrictDate | None = None


def _organisation(code: str | None) -> Organisation | None:
    if code is None:
        return None
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    try:
        return directory.get_by_code(code.strip().lower())
    except Organisation.DoesNotExist:
        raise ValidationError(
            {"organisation": _("Unknown organisation “%(code)s”.") % {"code": code}}
        ) from None


def _user(request, user_id: int) -> User:
    policy.authorize(request.user, policy.Action.VIEW_USERS)
    users = policy.scope(request.user, policy.Action.VIEW_USERS, User.objects.all())
    return get_object_or_404(users, pk=user_id)


def _detail(user_id: int) -> User:
    return selectors.user_detail(user_id=user_id)


@router.post("/users", response={201: AdminUserOut}, action=policy.Action.MANAGE_USERS)
def create_user(request, payload: UserCreateIn):
    """Create an account and, unless ``send_invitation`` is false, invite its holder by e-mail
    (a single-use, expiring link to set a password, then a second factor)."""
    values = payload.dict()
    invite = values.pop("send_invitation")
    values["organisation"] = _organisation(values["organisation"])
    create = services.invite_user if invite else services.create_user
    user = create(actor=request.user, **values)
    return Status(201, _detail(user.pk))


@router.get("/users/{int:user_id}/invitation", response=InvitationOut, action=policy.Action.VIEW_USERS)
def latest_invitation(request, user_id: int):
    """The account's latest invitation and its status (404 when it never had one)."""
    invitation = selectors.latest_invitation(user=_user(request, user_id))
    if invitation is None:
        raise Http404
    return invitation


@router.post(
    "/users/{int:user_id}/invitation", response={201: InvitationOut}, action=policy.Action.INVITE_USERS
)
def send_invitation(request, user_id: int):
    """Send a new invitation to an account not set up yet; the earlier links stop working."""
    invitation = services.resend_invitation(actor=request.user, user=_user(request, user_id))
    return Status(201, invitation)


@router.delete(
    "/users/{int:user_id}/invitations/{int:invitation_id}",
    response={204: None},
    action=policy.Action.INVITE_USERS,
)
def revoke_invitation(request, user_id: int, invitation_id: int):
    """Withdraw a pending invitation: its link stops working."""
    user = _user(request, user_id)
    invitation = get_object_or_404(Invitation.objects.select_related("user"), pk=invitation_id, user=user)
    services.revoke_invitation(actor=request.user, invitation=invitation)
    return Status(204, None)


@router.get("/users/{int:user_id}", response=AdminUserOut, action=policy.Action.VIEW_USERS)
def get_user(request, user_id: int):
    return _detail(_user(request, user_id).pk)


@router.patch("/users/{int:user_id}", response=AdminUserOut, action=policy.Action.MANAGE_USERS)
def update_user(request, user_id: int, payload: UserPatch):
    user = _user(request, user_id)
    fields = payload.dict(exclude_unset=True)
    if "organisation" in fields:
        fields["organisation"] = _organisation(fields["organisation"])
    fields = {name: value for name, value in fields.items() if value is not None}
    services.update_user(actor=request.user, user=user, **fields)
    return _detail(user.pk)


@router.post("/users/{int:user_id}/deactivate", response=AdminUserOut, action=policy.Action.MANAGE_USERS)
def deactivate_user(request, user_id: int):
    """Deactivate an account (never one's own); the history stays."""
    user = _user(request, user_id)
    services.update_user(actor=request.user, user=user, is_active=False)
    return _detail(user.pk)


@router.post("/users/{int:user_id}/roles", response={201: AdminRoleOut}, action=policy.Action.MANAGE_ROLES)
def grant_role(request, user_id: int, payload: RoleGrantIn):
    """Grant a role: refused for oneself; pending until a second administrator confirms it
    when the role opens personal data (Art. 9(3))."""
    user = _user(request, user_id)
    values = payload.dict()
    values["organisation"] = _organisation(values["organisation"])
    return Status(201, services.assign_role(actor=request.user, user=user, **values))


def _assignment(request, user_id: int, assignment_id: int) -> RoleAssignment:
    user = _user(request, user_id)
    return get_object_or_404(RoleAssignment.objects.select_related("user"), pk=assignment_id, user=user)


@router.post(
    "/users/{int:user_id}/roles/{int:assignment_id}/confirm",
    response=AdminRoleOut,
    action=policy.Action.MANAGE_ROLES,
)
def confirm_role(request, user_id: int, assignment_id: int):
    """A second administrator confirms a pending grant."""
    assignment = _assignment(request, user_id, assignment_id)
    return services.confirm_role(actor=request.user, assignment=assignment)


@router.delete(
    "/users/{int:user_id}/roles/{int:assignment_id}", response={204: None}, action=policy.Action.MANAGE_ROLES
)
def revoke_role(request, user_id: int, assignment_id: int):
    """Revoke a role, or withdraw a pending grant."""
    assignment = _assignment(request, user_id, assignment_id)
    services.revoke_role(actor=request.user, assignment=assignment)
    return Status(204, None)


@router.get("/role-grants/pending", response=list[PendingGrantOut], action=policy.Action.MANAGE_ROLES)
@paginate(PageNumberPagination, page_size=50)
def pending_grants(request):
    return selectors.pending_role_grants(actor=request.user)
