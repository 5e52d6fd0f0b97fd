"""Documents, versions, check-out and downloads (Art. 9(1), Art. 9(2), Art. 9(3))."""

from ninja import File, Form, Query, Status, UploadedFile

from ilonet import policy
from ilonet.api.plain import paginate_plain
from ilonet.api.schemas import DetailOut
from ilonet.shared.uploads import download_response

from .. import selectors, services
from ..selectors import Filters
from .common import PAGE, A, router
from .schemas import DocumentFields, DocumentOut, DocumentPatch, MoveIn, RestoreIn, VersionFields, VersionOut

REFUSALS = {413: DetailOut, 415: DetailOut, 503: DetailOut}


@router.get("/documents", action=A.VIEW_EXCHANGE, response=list[DocumentOut])
@paginate_plain(DocumentOut, page_size=PAGE)
def list_documents(
    request,
    space_id: int | None = None,
    folder_id: int | None = None,
    search: str = "",
    topic: str = "",
    category: str = "",
    language: str = "",
    marking: str = "",
    tag: str = "",
):
    """The documents the caller may open (nothing else is listed or counted), filtered."""
    qs = selectors.readable_documents(user=request.user)
    if space_id is not None:
        qs = qs.filter(space_id=space_id)
    if folder_id is not None:
        qs = qs.filter(folder_id=folder_id)
    filters = Filters(
        search=search[:200],
        topic=topic[:2],
        category=category[:16],
        language=language[:8],
        marking=marking[:16],
        tag=tag[:40],
    )
    qs = selectors._filtered(qs, filters)
    return (
        qs.select_related("current_version", "checked_out_by")
        .prefetch_related("topics")
        .order_by("title", "pk")
    )


@router.post(
    "/spaces/{int:space_id}/documents",
    action=A.CONTRIBUTE_TO_EXCHANGE,
    response={201: DocumentOut, **REFUSALS},
)
def upload_document(request, space_id: int, payload: Form[DocumentFields], file: File[UploadedFile]):
    """Add a document (multipart). Refused, with nothing stored: 413 over the size limit, 415 a
    type not accepted or a program, 422 a damaged, encrypted or macro-carrying file, a marking
    above what the platform may hold (Art. 9(1)), or personal data (Art. 9(3): the answer lists
    each finding with its place, kind, masked value and fingerprint; a user the board authorised
    sends the fingerprints back in ``overrides`` with ``override_reason``), 503 while the malware
    scanner is unavailable."""
    space = selectors.space_detail(user=request.user, pk=space_id)
    data = payload.dict()
    folder_id = data.pop("folder_id")
    folder = selectors.folder_detail(user=request.user, pk=folder_id) if folder_id else None
    document = services.upload_document(
        actor=request.user,
        space=space,
        folder=folder,
        file=file,
        name=file.name,
        override_reason=data.pop("override_reason"),
        overrides=data.pop("overrides"),
        **data,
    )
    return Status(201, selectors.document_detail(user=request.user, pk=document.pk))


@router.get("/documents/{int:document_id}", action=A.VIEW_EXCHANGE, response=DocumentOut)
def get_document(request, document_id: int):
    return selectors.document_detail(user=request.user, pk=document_id)


@router.patch("/documents/{int:document_id}", action=A.CONTRIBUTE_TO_EXCHANGE, response=DocumentOut)
def update_document(request, document_id: int, payload: DocumentPatch):
    document = selectors.document_detail(user=request.user, pk=document_id)
    fields = payload.dict(exclude_unset=True)
    topics = fields.pop("topics", None)
    services.update_document(actor=request.user, document=document, topics=topics, **fields)
    return selectors.document_detail(user=request.user, pk=document_id)


@router.get("/documents/{int:document_id}/versions", action=A.VIEW_EXCHANGE, response=list[VersionOut])
def list_versions(request, document_id: int):
    document = selectors.document_detail(user=request.user, pk=document_id)
    return list(selectors.versions_of(user=request.user, document=document))


@router.post(
    "/documents/{int:document_id}/versions",
    action=A.CONTRIBUTE_TO_EXCHANGE,
    response={201: VersionOut, **REFUSALS},
)
def upload_version(request, document_id: int, payload: Form[VersionFields], file: File[UploadedFile]):
    """A new version, checked like a first upload (same refusals); not while someone else has
    the document checked out."""
    document = selectors.document_detail(user=request.user, pk=document_id)
    data = payload.dict()
    version = services.upload_version(
        actor=request.user, document=document, file=file, name=file.name, **data
    )
    return Status(201, version)


@router.post(
    "/documents/{int:document_id}/versions/{int:number}/restore",
    action=A.CONTRIBUTE_TO_EXCHANGE,
    response={201: VersionOut},
)
def restore_version(request, document_id: int, number: int):
    document = selectors.document_detail(user=request.user, pk=document_id)
    version = selectors.version_of(user=request.user, document=document, number=number)
    return Status(201, services.restore_version(actor=request.user, version=version))


def _download(request, document_id: int, number: int | None):
    document = selectors.document_detail(user=request.user, pk=document_id)
    version = (
        selectors.version_of(user=request.user, document=document, number=number)
        if number is not None
        else selectors.versions_of(user=request.user, document=document).get(pk=document.current_version_id)
    )
    services.record_download(actor=request.user, version=version)
    return download_response(
        check=lambda: policy.authorize(request.user, A.VIEW_EXCHANGE, document),
        key=version.key,
        filename=version.download_name,
        content_type=version.content_type,
        size=version.size,
    )


@router.get("/documents/{int:document_id}/download", action=A.VIEW_EXCHANGE)
def download(request, document_id: int):
    """The current version, streamed after the policy check (audited)."""
    return _download(request, document_id, None)


@router.get("/documents/{int:document_id}/versions/{int:number}/download", action=A.VIEW_EXCHANGE)
def download_version(request, document_id: int, number: int):
    return _download(request, document_id, number)


@router.post("/documents/{int:document_id}/check-out", action=A.CONTRIBUTE_TO_EXCHANGE, response=DocumentOut)
def check_out(request, document_id: int):
    services.check_out(
        actor=request.user, document=selectors.document_detail(user=request.user, pk=document_id)
    )
    return selectors.document_detail(user=request.user, pk=document_id)


@router.post("/documents/{int:document_id}/check-in", action=A.CONTRIBUTE_TO_EXCHANGE, response=DocumentOut)
def check_in(request, document_id: int):
    services.check_in(
        actor=request.user, document=selectors.document_detail(user=request.user, pk=document_id)
    )
    return selectors.document_detail(user=request.user, pk=document_id)


@router.post("/documents/{int:document_id}/break-check-out", action=A.MANAGE_SPACE, response=DocumentOut)
def break_check_out(request, document_id: int):
    services.break_check_out(
        actor=request.user, document=selectors.document_detail(user=request.user, pk=document_id)
    )
    return selectors.document_detail(user=request.user, pk=document_id)


@router.post("/documents/{int:document_id}/move", action=A.MANAGE_SPACE, response=DocumentOut)
def move_document(request, document_id: int, payload: MoveIn):
    document = selectors.managed_document(user=request.user, pk=document_id)
    folder = selectors.folder_detail(user=request.user, pk=payload.folder_id) if payload.folder_id else None
    services.move_document(actor=request.user, document=document, folder=folder)
    return selectors.document_detail(user=request.user, pk=document_id)


@router.delete("/documents/{int:document_id}", action=A.MANAGE_SPACE, response={204: None})
def delete_document(request, document_id: int):
    """Soft delete by a manager of the space: the document leaves it, restorable."""
    services.delete_document(
        actor=request.user, document=selectors.managed_document(user=request.user, pk=document_id)
    )
    return Status(204, None)


@router.post("/documents/{int:document_id}/restore", action=A.MANAGE_SPACE, response=DocumentOut)
def restore_document(request, document_id: int, payload: Query[RestoreIn]):
    document = selectors.managed_document(user=request.user, pk=document_id)
    services.restore_document(actor=request.user, document=document, expires_on=payload.expires_on)
    return selectors.document_detail(user=request.user, pk=document_id)
