"""The access the steering board decides: openings to the European Parliament (Art. 9(4)) and
the users it authorised to override the personal-data guard (Art. 9(3))."""

from ninja import Status

from ilonet.accounts import selectors as accounts

from .. import access as exchange_access
from .. import selectors, services
from .common import A, router
from .schemas import AuthorisationIn, AuthorisationOut, OpeningIn, OpeningOut


@router.get("/parliament/openings", action=A.VIEW_EXCHANGE, response=list[OpeningOut])
def list_openings(request):
    """What is open to the European Parliament (its reader and the board's office see this)."""
    return list(selectors.openings_for(user=request.user))


@router.post("/parliament/openings", action=A.OPEN_TO_PARLIAMENT, response={201: OpeningOut})
def open_to_parliament(request, payload: OpeningIn):
    """Open one space, folder or document, citing the board's adopted decision (Art. 9(4))."""
    user = request.user
    targets = {
        "space": selectors.space_detail(user=user, pk=payload.space_id) if payload.space_id else None,
        "folder": selectors.folder_detail(user=user, pk=payload.folder_id) if payload.folder_id else None,
        "document": selectors.document_detail(user=user, pk=payload.document_id)
        if payload.document_id
        else None,
    }
    return Status(201, services.open_to_parliament(actor=user, motion_id=payload.motion_id, **targets))


@router.post(
    "/parliament/openings/{int:opening_id}/withdraw", action=A.OPEN_TO_PARLIAMENT, response=OpeningOut
)
def withdraw_opening(request, opening_id: int):
    opening = selectors.openings_for(user=request.user, current_only=False).get(pk=opening_id)
    return services.withdraw_opening(actor=request.user, opening=opening)


@router.get("/override-authorisations", action=A.AUTHORISE_GUARD_OVERRIDES, response=list[AuthorisationOut])
def list_authorisations(request):
    return list(selectors.override_authorisations(user=request.user))


@router.post("/override-authorisations", action=A.AUTHORISE_GUARD_OVERRIDES, response={201: AuthorisationOut})
def authorise(request, payload: AuthorisationIn):
    """Record the board's decision that a user may override findings they judge false (Art. 9(3))."""
    user = accounts.active_users_with_roles(roles=exchange_access.EXCHANGE_ROLES).get(pk=payload.user_id)
    return Status(
        201, services.authorise_overrides(actor=request.user, user=user, motion_id=payload.motion_id)
    )


@router.post(
    "/override-authorisations/{int:grant_id}/revoke",
    action=A.AUTHORISE_GUARD_OVERRIDES,
    response=AuthorisationOut,
)
def revoke(request, grant_id: int):
    grant = selectors.override_authorisations(user=request.user).get(pk=grant_id)
    return services.revoke_override_authorisation(actor=request.user, authorisation=grant)
