"""What the caller follows: spaces, folders and topics of Art. 3(4) (new documents, versions and
situation reports reach them as notifications, if they may open them)."""

from ninja import Status

from .. import selectors, services
from .common import A, router
from .schemas import FollowIn, FollowOut


@router.get("/follows", action=A.VIEW_EXCHANGE, response=list[FollowOut])
def list_follows(request):
    """The caller's own follows (of spaces and folders they may still open)."""
    return selectors.follows_of(user=request.user)


@router.post("/follows", action=A.FOLLOW_EXCHANGE, response={201: FollowOut})
def follow(request, payload: FollowIn):
    """Follow one space, folder or topic (again: the same follow)."""
    user = request.user
    space = selectors.space_detail(user=user, pk=payload.space_id) if payload.space_id else None
    folder = selectors.folder_detail(user=user, pk=payload.folder_id) if payload.folder_id else None
    made = services.follow(actor=user, space=space, folder=folder, topic=payload.topic or "")
    return Status(201, next(f for f in selectors.follows_of(user=user) if f.id == made.pk))


@router.delete("/follows/{int:follow_id}", action=A.FOLLOW_EXCHANGE, response={204: None})
def unfollow(request, follow_id: int):
    services.unfollow_by_id(actor=request.user, follow_id=follow_id)
    return Status(204, None)
