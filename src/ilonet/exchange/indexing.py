"""Exchange documents in the shared search index (``ilonet.search``, issue 11 item 6).

The index holds what a document says (title, description, authors, tags and the text of its
current version, the guard's extraction) and its filter values (space, Art. 3(4) topics,
Art. 9(2) category, language, date of the current version). It never decides who finds it:
every search passes the user's ``readable_documents`` scope as ``allowed`` (a subquery in the
same SQL as the match), so an officer who lost access, a withdrawn Parliament opening or a
sensitive document the Parliament's reader was not given one by one counts at once, whatever
the index holds. A document that left its space (deleted, expired, in a deleted folder) is
taken out of the index by the job its change queues.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ilonet.policy.markers import system_operation
from ilonet.search import services as search
from ilonet.search.documents import SearchDocument

from .models import Document, Language

KIND = "exchange.document"


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
    keys = [f"exchange.space:{document.space_id}", f"exchange.document:{document.pk}"]
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
