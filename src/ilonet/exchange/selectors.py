"""Read-side functions of the exchange. Every list, count, ZIP and lookup goes through the
policy's queryset scopes (``policies.py``), so a user never sees, counts or guesses a document
they may not open (Art. 9(3), Art. 9(4)): an id outside the scope is "does not exist"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from ilonet import policy
from ilonet.board import selectors as board
from ilonet.search import selectors as search_selectors
from ilonet.search.selectors import SearchPage
from ilonet.shared import personal_data_guard as guard
from ilonet.shared.idlists import ids_in
from ilonet.shared.personal_data_guard.extract import extract
from ilonet.shared.uploads import ZipEntry, get_storage, open_stream

from . import access
from .models import (
    Document,
    DocumentVersion,
    Folder,
    Follow,
    GuardOverride,
    Marking,
    OverrideAuthorisation,
    ParliamentOpening,
    Space,
    SpaceDocumentCount,
)

A = policy.Action
MAX_ZIP_DOCUMENTS = 2000


def spaces_for(*, user: Any) -> QuerySet[Space]:
    return policy.scope(user, A.VIEW_EXCHANGE, Space.objects.all()).select_related("network")


def readable_documents(*, user: Any) -> QuerySet[Document]:
    """The documents ``user`` may open now: for lists, counts and the search index."""
    return policy.scope(user, A.VIEW_EXCHANGE, Document.objects.all())


def document_counts(*, user: Any, space_ids: list[int]) -> dict[int, int]:
    """Space id -> the number of documents in it the user may open (nothing else is counted).

    A space the user works in (``access.working_spaces``) opens every document in force that
    lies in no deleted folder (``access.readable_documents_q``): its count is the space's
    ``SpaceDocumentCount`` (kept by triggers with every write of a document) less its live
    documents in a deleted folder (read through the index ``exchange_doc_live``; none when the
    services deleted the folder, since they delete its documents with it). Any other space the
    user sees is one the board opened to the Parliament's reader (Art. 9(4)): counted through
    the scope, which leaves out what the board did not open."""
    wanted = set(space_ids)
    whole = wanted & access.working_spaces(user)
    counts: dict[int, int] = {}
    if whole:
        # The spaces as one parameter, not an IN list: the secretariat's 400 spaces cost more
        # to build and send as 400 placeholders than the statement took (docs/benchmarks.md).
        counts = dict(
            SpaceDocumentCount.objects.filter(ids_in("space_id", whole), live__gt=0).values_list(
                "space_id", "live"
            )
        )
        # The deleted folders of these spaces (few: a folder's documents are deleted with it by
        # the services), read first, and the documents only when there is one: not every deleted
        # folder of the platform, which would grow with the years.
        in_spaces = Folder.objects.filter(ids_in("space_id", whole), deleted_at__isnull=False)
        deleted = list(in_spaces.values_list("pk", flat=True))
        if deleted:
            in_deleted = (
                Document.objects.filter(deleted_at__isnull=True, folder_id__in=deleted)
                .order_by()
                .values("space_id")
                .annotate(n=Count("*"))
            )
            for row in in_deleted:
                counts[row["space_id"]] = counts.get(row["space_id"], 0) - row["n"]
    if rest := wanted - whole:
        rows = (
            readable_documents(user=user)
            .filter(space_id__in=rest)
            .order_by()
            .values("space_id")
            .annotate(n=Count("pk"))
        )
        counts.update({row["space_id"]: row["n"] for row in rows})
    return {pk: n for pk, n in counts.items() if n > 0}


def space_detail(*, user: Any, pk: int) -> Space:
    return spaces_for(user=user).get(pk=pk)


def folder_detail(*, user: Any, pk: int) -> Folder:
    return (
        policy.scope(user, A.VIEW_EXCHANGE, Folder.objects.all()).select_related("space", "parent").get(pk=pk)
    )


def folder_path(*, user: Any, folder: Folder | None) -> list[Folder]:
    """The folders above ``folder`` that the user may open, top first."""
    chain: list[Folder] = []
    current = folder.parent if folder else None
    while current is not None:
        chain.append(current)
        current = current.parent
    visible = set(
        policy.scope(user, A.VIEW_EXCHANGE, Folder.objects.filter(pk__in=[f.pk for f in chain])).values_list(
            "pk", flat=True
        )
    )
    return [f for f in reversed(chain) if f.pk in visible]


@dataclass(frozen=True)
class Filters:
    search: str = ""
    topic: str = ""
    category: str = ""
    language: str = ""
    marking: str = ""
    tag: str = ""


def _filtered(qs: QuerySet[Document], filters: Filters | None) -> QuerySet[Document]:
    if not filters:
        return qs
    if filters.search:
        qs = qs.filter(Q(title__icontains=filters.search) | Q(description__icontains=filters.search))
    if filters.topic:
        qs = qs.filter(topics__topic=filters.topic)
    for name in ("category", "language", "marking"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.tag:
        qs = qs.filter(tags__icontains=filters.tag)
    return qs.distinct()


def folder_contents(
    *, user: Any, space: Space, folder: Folder | None, filters: Filters | None = None
) -> tuple[QuerySet[Folder], QuerySet[Document]]:
    """The subfolders and documents of a folder (or of the space's top) the user may open."""
    folders = policy.scope(user, A.VIEW_EXCHANGE, Folder.objects.filter(space=space, parent=folder))
    documents = readable_documents(user=user).filter(space=space)
    documents = documents.filter(folder=folder) if not (filters and filters.search) else documents
    documents = _filtered(documents, filters)
    return folders.order_by("name", "pk"), documents.select_related(
        "current_version", "checked_out_by", "folder"
    ).prefetch_related("topics").order_by("title", "pk")


def document_detail(*, user: Any, pk: int) -> Document:
    return (
        readable_documents(user=user)
        .select_related("space", "folder", "current_version", "checked_out_by", "created_by")
        .prefetch_related("topics")
        .get(pk=pk)
    )


def versions_of(*, user: Any, document: Document) -> QuerySet[DocumentVersion]:
    qs = policy.scope(user, A.VIEW_EXCHANGE, DocumentVersion.objects.filter(document=document))
    return qs.select_related("uploaded_by", "restored_from").order_by("-number")


def version_of(*, user: Any, document: Document, number: int) -> DocumentVersion:
    return versions_of(user=user, document=document).get(number=number)


def overrides_of(*, document: Document) -> QuerySet[GuardOverride]:
    return GuardOverride.objects.filter(version__document=document).select_related("version", "overridden_by")


def deleted_in(*, user: Any, space: Space) -> tuple[QuerySet[Folder], QuerySet[Document]]:
    """What left the space (deleted or expired), for its managers to restore."""
    if not policy.can(user, A.MANAGE_SPACE, space):
        return Folder.objects.none(), Document.objects.none()
    folders = Folder.objects.filter(space=space, deleted_at__isnull=False).select_related("parent")
    documents = Document.objects.filter(space=space, deleted_at__isnull=False).select_related("folder")
    return folders.order_by("-deleted_at"), documents.order_by("-deleted_at", "title")


def managed_document(*, user: Any, pk: int) -> Document:
    """A document, deleted or not, in a space the user manages (restore, move)."""
    spaces = policy.scope(user, A.MANAGE_SPACE, Space.objects.all())
    return Document.objects.select_related("space", "folder").get(pk=pk, space__in=spaces)


def managed_folder(*, user: Any, pk: int) -> Folder:
    spaces = policy.scope(user, A.MANAGE_SPACE, Space.objects.all())
    return Folder.objects.select_related("space", "parent").get(pk=pk, space__in=spaces)


def folder_choices(*, space: Space) -> list[tuple[int, str]]:
    """Every live folder of a space as (id, path), for moving documents."""
    folders = {f.pk: f for f in Folder.objects.filter(space=space, deleted_at__isnull=True)}

    def path(folder: Folder) -> str:
        names: list[str] = []
        current: Folder | None = folder
        depth = 0
        while current is not None and depth < 20:
            names.append(current.name)
            current = folders.get(current.parent_id) if current.parent_id else None
            depth += 1
        return " / ".join(reversed(names))

    return sorted(((pk, path(f)) for pk, f in folders.items()), key=lambda item: item[1].lower())


def zip_entries(*, user: Any, space: Space, folder: Folder | None) -> tuple[list[ZipEntry], list[int]]:
    """The documents of a folder and its subfolders (or the whole space) that the user may
    open, leaving out sensitive documents (Art. 9(1)); each lies in the ZIP under its folder
    path below the folder asked for ("Routes/2026/Monthly figures.xlsx", names cleaned by the
    ZIP writer)."""
    readable_folders = policy.scope(user, A.VIEW_EXCHANGE, Folder.objects.filter(space=space))
    by_id = {f.pk: f for f in readable_folders}
    root = folder.pk if folder else None

    def relative(folder_id: int | None) -> tuple[str, ...] | None:
        parts, current = [], folder_id
        while current != root:
            node = by_id.get(current) if current is not None else None
            if node is None:
                return None  # outside the folder asked for, or a folder the user may not open
            parts.append(node.name)
            current = node.parent_id
        return tuple(reversed(parts))

    documents = (
        readable_documents(user=user)
        .filter(space=space)
        .exclude(marking=Marking.SENSITIVE)
        .select_related("current_version")
        .order_by("title", "pk")[:MAX_ZIP_DOCUMENTS]
    )
    entries, ids = [], []
    for document in documents:
        version = document.current_version
        where = relative(document.folder_id)
        if version is None or where is None:
            continue
        name = f"{document.title[:80]}{version.extension}"
        entries.append(ZipEntry(name, version.key, modified=version.uploaded_at, folders=where))
        ids.append(document.pk)
    return entries, ids


def extracted_text(*, document: Document) -> str:
    """The text of the document's current version, for the search index (``ilonet.search``):
    the guard's extraction (PDF, DOCX, XLSX, ODT, CSV, TXT; images have none). The caller
    indexes only for users who may open the document (``readable_documents``)."""
    version = document.current_version
    if version is None:
        return ""
    stream = open_stream(get_storage(), version.key)
    try:
        return "\n".join(chunk.text for chunk in extract(stream, version.content_type))
    except guard.ExtractionError:
        return ""
    finally:
        stream.close()


def iter_searchable(*, user: Any) -> Iterator[Document]:
    yield from readable_documents(user=user).select_related("current_version").iterator()


def openings_for(*, user: Any, current_only: bool = True) -> QuerySet[ParliamentOpening]:
    qs = policy.scope(user, A.VIEW_EXCHANGE, ParliamentOpening.objects.all())
    if current_only:
        qs = qs.filter(withdrawn_at__isnull=True)
    return qs.select_related("space", "folder__space", "document__space", "opened_by")


def override_authorisations(*, user: Any) -> QuerySet[OverrideAuthorisation]:
    if not policy.can(user, A.AUTHORISE_GUARD_OVERRIDES):
        return OverrideAuthorisation.objects.none()
    return OverrideAuthorisation.objects.select_related("user", "granted_by").order_by("-granted_at")


def decision_choices(*, user: Any) -> list[tuple[int, str]]:
    """Adopted board decisions (Art. 7(8)) an access change can rest on."""
    return [(m.pk, m.title) for m in board.decision_list(user=user)[:200]]


def checked_out_by(*, user: Any) -> QuerySet[Document]:
    """Documents the user holds (home page)."""
    return readable_documents(user=user).filter(checked_out_by=user).select_related("space")


def recent_documents(*, user: Any, limit: int = 5) -> list[Document]:
    return list(readable_documents(user=user).select_related("space").order_by("-updated_at", "-pk")[:limit])


def parliament_reader(user: Any) -> bool:
    return access.is_parliament_reader(user)


def search_documents(
    *,
    user: Any,
    query: str,
    space: int | None = None,
    topic: str = "",
    category: str = "",
    language: str = "",
    date_from: Any = None,
    date_to: Any = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[SearchPage, dict[int, Document]]:
    """Full-text search over the documents ``user`` may open now (issue 11 item 6): the keys
    of the spaces (and Parliament openings) the user reads find the matches through the index,
    and each is confirmed against the user's ``readable_documents`` scope before it is counted,
    shown or quoted, so no hit, count or snippet comes from a document outside it (a sensitive
    document included for those who may open it: search is not a bulk download or a digest,
    Art. 9(1)). Returns the page and the hits' documents (read again through the scope, for
    their space and folder)."""
    from .indexing import KIND, search_keys

    result = search_selectors.search(
        query,
        allowed=search_keys(user),
        confirm={KIND: readable_documents(user=user).values("pk")},
        kinds=[KIND],
        space=str(space) if space else None,
        topic=topic or None,
        category=category or None,
        language=language or None,
        date_from=date_from,
        date_to=date_to,
        page=page,
        per_page=per_page,
    )
    ids = [hit.object_id for hit in result.hits]
    documents = (
        readable_documents(user=user).filter(pk__in=ids).select_related("space", "folder", "current_version")
    )
    return result, {d.pk: d for d in documents}


# --- follows: spaces, folders and topics of Art. 3(4) ------------------------------------------


@dataclass(frozen=True)
class Followed:
    """One thing the user follows, as the "What I follow" page and the API show it."""

    id: int
    kind: str  # "space", "folder" or "topic"
    space: Space | None
    folder: Folder | None
    topic: str


def follows_of(*, user: Any) -> list[Followed]:
    """What ``user`` follows, of what they may still open (a space or folder they lost access
    to is left out, and tells them nothing any more)."""
    rows = list(Follow.objects.filter(user=user).select_related("space", "folder", "folder__space"))
    spaces = set(
        policy.scope(
            user, A.VIEW_EXCHANGE, Space.objects.filter(pk__in=[r.space_id for r in rows if r.space_id])
        ).values_list("pk", flat=True)
    )
    folders = set(
        policy.scope(
            user,
            A.VIEW_EXCHANGE,
            Folder.objects.filter(pk__in=[r.folder_id for r in rows if r.folder_id], deleted_at__isnull=True),
        ).values_list("pk", flat=True)
    )
    shown = []
    for row in rows:
        if row.space_id and row.space_id in spaces:
            shown.append(Followed(row.pk, "space", row.space, None, ""))
        elif row.folder is not None and row.folder_id in folders:
            shown.append(Followed(row.pk, "folder", row.folder.space, row.folder, ""))
        elif row.topic:
            shown.append(Followed(row.pk, "topic", None, None, row.topic))
    return shown


def is_following(*, user: Any, space: Space | None = None, folder: Folder | None = None) -> bool:
    if folder is not None:
        return Follow.objects.filter(user=user, folder=folder).exists()
    return Follow.objects.filter(user=user, space=space).exists()


def followed_topics(*, user: Any) -> set[str]:
    return set(Follow.objects.filter(user=user).exclude(topic="").values_list("topic", flat=True))


def followers_of_document(document: Document) -> set[int]:
    """The users who follow the document's space, its folder or a folder above it, or one of
    its topics (who among them may open it is the notifier's policy filter)."""
    folder_ids: list[int] = []
    folder_id = document.folder_id
    while folder_id is not None and len(folder_ids) < 20:
        folder_ids.append(folder_id)
        folder_id = Folder.objects.filter(pk=folder_id).values_list("parent_id", flat=True).first()
    topics = list(document.topics.values_list("topic", flat=True))
    who = Q(space_id=document.space_id) | Q(folder_id__in=folder_ids) | Q(topic__in=topics)
    return set(Follow.objects.filter(who).values_list("user_id", flat=True))


def followers_of_topics(topics: Iterator[str] | list[str] | set[str]) -> set[int]:
    return set(Follow.objects.filter(topic__in=list(topics)).values_list("user_id", flat=True))
