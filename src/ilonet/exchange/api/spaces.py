"""Spaces, members, folders and ZIP downloads."""

from ninja import Status

from ilonet import policy
from ilonet.accounts import selectors as accounts
from ilonet.shared.uploads import zip_response

from .. import access as exchange_access
from .. import selectors, services
from .common import A, router
from .schemas import FolderIn, FolderOut, MemberIn, SpaceOut, WorkingGroupIn


def _space_out(space, count: int) -> dict:
    return {
        "id": space.pk,
        "kind": space.kind,
        "name": space.name,
        "description": space.description,
        "network_id": space.network_id,
        "documents": count,
    }


@router.get("/spaces", action=A.VIEW_EXCHANGE, response=list[SpaceOut])
def list_spaces(request):
    """The spaces the caller may open, with the number of documents in each they may open."""
    spaces = list(selectors.spaces_for(user=request.user))
    counts = selectors.document_counts(user=request.user, space_ids=[s.pk for s in spaces])
    return [_space_out(s, counts.get(s.pk, 0)) for s in spaces]


@router.get("/spaces/{int:space_id}", action=A.VIEW_EXCHANGE, response=SpaceOut)
def get_space(request, space_id: int):
    space = selectors.space_detail(user=request.user, pk=space_id)
    return _space_out(
        space, selectors.document_counts(user=request.user, space_ids=[space.pk]).get(space.pk, 0)
    )


@router.post("/spaces", action=A.MANAGE_SPACES, response={201: SpaceOut})
def create_working_group(request, payload: WorkingGroupIn):
    """A working group's space (Art. 8(3)(a)), by the chair or the secretariat."""
    space = services.create_working_group(
        actor=request.user, name=payload.name, description=payload.description
    )
    return Status(201, _space_out(space, 0))


def _candidate(user_id: int):
    return accounts.active_users_with_roles(roles=exchange_access.EXCHANGE_ROLES).get(pk=user_id)


@router.post("/spaces/{int:space_id}/members", action=A.MANAGE_SPACE, response={204: None})
def add_member(request, space_id: int, payload: MemberIn):
    """Add a member (or manager) to a working group's space: an access change, audited."""
    space = selectors.space_detail(user=request.user, pk=space_id)
    services.add_member(
        actor=request.user, space=space, user=_candidate(payload.user_id), is_manager=payload.is_manager
    )
    return Status(204, None)


@router.delete("/spaces/{int:space_id}/members/{int:user_id}", action=A.MANAGE_SPACE, response={204: None})
def remove_member(request, space_id: int, user_id: int):
    space = selectors.space_detail(user=request.user, pk=space_id)
    services.remove_member(actor=request.user, space=space, user=accounts.user_detail(user_id=user_id))
    return Status(204, None)


@router.get("/spaces/{int:space_id}/folders", action=A.VIEW_EXCHANGE, response=list[FolderOut])
def list_folders(request, space_id: int, parent_id: int | None = None):
    """The folders directly below ``parent_id`` (or the space's top) that the caller may open."""
    space = selectors.space_detail(user=request.user, pk=space_id)
    parent = selectors.folder_detail(user=request.user, pk=parent_id) if parent_id else None
    folders, _documents = selectors.folder_contents(user=request.user, space=space, folder=parent)
    return list(folders)


@router.post("/spaces/{int:space_id}/folders", action=A.MANAGE_SPACE, response={201: FolderOut})
def create_folder(request, space_id: int, payload: FolderIn):
    space = selectors.space_detail(user=request.user, pk=space_id)
    parent = selectors.folder_detail(user=request.user, pk=payload.parent_id) if payload.parent_id else None
    return Status(
        201, services.create_folder(actor=request.user, space=space, parent=parent, name=payload.name)
    )


@router.delete("/folders/{int:folder_id}", action=A.MANAGE_SPACE, response={204: None})
def delete_folder(request, folder_id: int):
    """The folder, its subfolders and their documents leave the space (restorable)."""
    services.delete_folder(
        actor=request.user, folder=selectors.managed_folder(user=request.user, pk=folder_id)
    )
    return Status(204, None)


@router.post("/folders/{int:folder_id}/restore", action=A.MANAGE_SPACE, response=FolderOut)
def restore_folder(request, folder_id: int):
    return services.restore_folder(
        actor=request.user, folder=selectors.managed_folder(user=request.user, pk=folder_id)
    )


def _zip(request, space, folder):
    entries, ids = selectors.zip_entries(user=request.user, space=space, folder=folder)
    services.record_folder_download(actor=request.user, space=space, folder=folder, documents=ids)
    return zip_response(
        check=lambda: policy.authorize(request.user, A.VIEW_EXCHANGE, folder or space),
        entries=entries,
        filename=f"{(folder.name if folder else space.name)[:80]}.zip",
    )


@router.get("/spaces/{int:space_id}/download.zip", action=A.VIEW_EXCHANGE)
def space_zip(request, space_id: int):
    """A ZIP of the documents the caller may open, streamed, without sensitive documents (Art. 9(1))."""
    return _zip(request, selectors.space_detail(user=request.user, pk=space_id), None)


@router.get("/folders/{int:folder_id}/download.zip", action=A.VIEW_EXCHANGE)
def folder_zip(request, folder_id: int):
    folder = selectors.folder_detail(user=request.user, pk=folder_id)
    return _zip(request, folder.space, folder)
