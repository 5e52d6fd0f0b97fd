from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ilonet import policy
from ilonet.api.pagination import PageNumberPagination
from ilonet.api.routing import SIGNED_IN, PolicyRouter
from ilonet.api.schemas import StrictSchema

from . import selectors, services, step_up
from .models import ApiToken, ApiTokenScope

router = PolicyRouter(tags=["accounts"])


class RoleOut(Schema):
    role: str
    organisation: str | None = Field(None, alias="organisation.code")
    scope_ref: str
    valid_from: str
    valid_until: str | None

    @staticmethod
    def resolve_valid_from(obj) -> str:
        return obj.valid_from.isoformat()

    @staticmethod
    def resolve_valid_until(obj) -> str | None:
        return obj.valid_until.isoformat() if obj.valid_until else None


class UserOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    organisation: str = Field(..., alias="organisation.code")
    is_active: bool
    roles: list[RoleOut] = Field(..., alias="role_assignments")

    @staticmethod
    def resolve_roles(obj):
        return list(obj.role_assignments.all())


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    scope: ApiTokenScope
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenIn(StrictSchema):
    name: str = Field(..., min_length=1, max_length=100)
    scope: ApiTokenScope = ApiTokenScope.READ
    days: int = Field(90, ge=1)


class TokenCreatedOut(TokenOut):
    secret: str = Field(..., description="Shown once; store it safely.")


@router.get("/me", response=UserOut, action=SIGNED_IN)
def me(request):
    """The signed-in user with their role assignments (always readable by themselves)."""
    return selectors.user_detail(user_id=request.user.pk)


@router.get("/users", response=list[UserOut], action=policy.Action.VIEW_USERS)
@paginate(PageNumberPagination, page_size=50)
def list_users(request, search: str | None = None, role: str | None = None):
    return selectors.user_list(actor=request.user, search=search, role=role)


@router.get("/tokens", response=list[TokenOut], action=policy.Action.USE_API_TOKENS)
def list_tokens(request):
    """Your personal API tokens (secrets are never shown again)."""
    return selectors.user_tokens(user=request.user)


@router.post("/tokens", response={201: TokenCreatedOut}, action=policy.Action.MANAGE_API_TOKENS)
def create_token(request, payload: TokenIn):
    """Issue a personal token. Only from a browser session whose second factor was given in the
    last minutes (``ILONET_SECOND_FACTOR_MAX_AGE_MINUTES``); never with an API token (403)."""
    step_up.note_session_second_factor(request)
    token, secret = services.issue_api_token(
        actor=request.user, name=payload.name, scope=payload.scope, days=payload.days
    )
    token.secret = secret
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None}, action=policy.Action.MANAGE_API_TOKENS)
def revoke_token(request, token_id: int):
    """Revoke one of your tokens: the same step-up as issuing one."""
    step_up.note_session_second_factor(request)
    policy.authorize(request.user, policy.Action.MANAGE_API_TOKENS)
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(actor=request.user, token=token)
    return Status(204, None)
