"""Exchange documents in the shared search index (``ilonet.search``, issue 11 item 6).

The index holds what a document says (title, description, authors, tags and the text of its
current version, the guard's extraction), its filter values (space, Art. 3(4) topics,
Art. 9(2) category, language, date of the current version) and two access keys: its space's and
its own. It never decides who finds it: a search passes the keys of what the user may open
(``search_keys``: their spaces, and what the board opened to the Parliament's reader), which the
index intersects with the words, and every hit is then confirmed against the user's
``readable_documents`` scope by its id (``confirm``), so an officer who lost access, a withdrawn
Parliament opening or a sensitive document the Parliament's reader was not given one by one
counts at once, whatever the index holds. A document that left its space (deleted, expired, in
a deleted folder) is taken out of the index by the job its change queues.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ilonet.policy.markers import system_operation
from ilonet.search import services as search
from ilonet.search.documents import SearchDocument

from .models import Document, Language

KIND = "exchange.document"


def space_key(space_id: int) -> str:
    return f"exchange.space:{space_id}"


def document_key(document_id: int) -> str:
    return f"exchange.document:{document_id}"


def search_keys(user: Any) -> list[str]:
    """The access keys of what ``user`` may open, as the index holds them: each readable
    space's key, and for the Parliament's reader (Art. 9(4)) the key of each opened document
    and of each live document in an opened folder (the index has no folder keys). A superset
    of the readable documents (the sensitive documents of an opened space, for one): search
    confirms every hit against ``readable_documents``."""
    from . import access

    spaces = set(access.working_spaces(user))
    view = access.parliament_view(user)
    keys = [space_key(pk) for pk in sorted(spaces | view.spaces)]
    documents = set(view.documents)
    if view.folders:
        in_folders = Document.objects.filter(folder_id__in=view.folders, deleted_at__isnull=True)
        documents |= set(in_folders.exclude(space_id__in=spaces | view.spaces).values_list("pk", flat=True))
    return keys + [document_key(pk) for pk in sorted(documents)]


def _live(document: Document) -> bool:
    folder = document.folder
    return document.deleted_at is None and (folder is None or folder.deleted_at is None)


def search_document(object_id: int) -> SearchDocument | None:
    """What search holds of one document; None when it left its space (or is gone)."""
    from . import selectors

    document = (
        Document.objects.select_related("folder", "current_version")
        .prefetch_related("topics")
        .filter(pk=object_id)
        .first()
    )
    if document is None or not _live(document) or document.current_version is None:
        return None
    version = document.current_version
    body = "\n".join(
        part
        for part in (
            document.description,
            document.authors,
            document.tags,
            selectors.extracted_text(document=document),
        )
        if part
    )
    language = None if document.language == Language.OTHER else document.language
    keys = [space_key(document.space_id), document_key(document.pk)]
    return SearchDocument(
        kind=KIND,
        object_id=document.pk,
        title=document.title,
        body=body,
        access=keys,
        language=language,
        date=version.uploaded_at.date(),
        space=str(document.space_id),
        category=document.category,
        topics=[t.topic for t in document.topics.all()],
    )


def document_ids() -> Iterator[int]:
    """Every document in force, for ``manage.py search_reindex``."""
    live = Document.objects.filter(deleted_at__isnull=True).exclude(folder__deleted_at__isnull=False)
    yield from live.values_list("pk", flat=True).iterator()


@system_operation
def schedule(document: Any) -> None:
    """Queue the (re)indexing of a document, inside the transaction of its change (the job
    runs only if the change commits, and reads the document as it is then)."""
    search.schedule_index(kind=KIND, object_id=document.pk if hasattr(document, "pk") else int(document))


@system_operation
def schedule_many(ids: Iterable[int]) -> None:
    for object_id in ids:
        search.schedule_index(kind=KIND, object_id=int(object_id))


def register() -> None:
    from ilonet.search import sources

    sources.register(KIND, load=search_document, ids=document_ids)
