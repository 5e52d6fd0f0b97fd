"""Keeping the index in step with the owning apps' objects. Run by the system (the indexing
job, the reindex command) or by an owning app's service after it has authorised the change:
none of these asks the policy, and none is reachable by a user directly."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from ilonet.jobs import queue
from ilonet.policy.markers import system_operation

from . import sources
from .backends import backend
from .documents import SearchDocument, clean_body, clean_title
from .languages import detect, normalise
from .models import Entry, Grant

INDEX_JOB = "ilonet.search.jobs.index_object"
UNIQUE_FIELDS = ["kind", "object_id"]
UPDATED_FIELDS = ["language", "title", "body", "date", "space", "category", "topics", "indexed_at", "access"]


@system_operation
def index_document(document: SearchDocument) -> Entry:
    """Write (or rewrite) the entry of one object, its access keys and its full-text part, in
    one transaction. The language is detected from the text when the document gives none."""
    document.check()
    title, body = clean_title(document.title), clean_body(document.body)
    language = normalise(document.language) if document.language else detect(f"{title}\n{body}")
    topics = "".join(f"|{topic}" for topic in sorted(set(document.topics)))
    keys = sorted(set(document.access))
    entry = Entry(
        kind=document.kind, object_id=document.object_id, language=language, title=title, body=body,
        date=document.date, space=document.space, category=document.category,
        topics=f"{topics}|" if topics else "", indexed_at=timezone.now(), access=" ".join(keys),
    )  # fmt: skip
    # Three statements in one transaction, whether the entry is new or rewritten: the entry
    # written or overwritten in place (INSERT ... ON CONFLICT DO UPDATE, which gives its id),
    # the keys it no longer has deleted, the new ones added. ``update_or_create`` and reading
    # the held keys took eleven round trips to the database (savepoints, SELECT FOR UPDATE),
    # which on a loaded machine were most of the time of indexing a document.
    with transaction.atomic():
        (entry,) = Entry.objects.bulk_create(
            [entry], update_conflicts=True, unique_fields=UNIQUE_FIELDS, update_fields=UPDATED_FIELDS
        )
        Grant.objects.filter(entry_id=entry.pk).exclude(key__in=keys).delete()
        Grant.objects.bulk_create([Grant(entry_id=entry.pk, key=key) for key in keys], ignore_conflicts=True)
        backend().write(entry)
    return entry


@system_operation
def remove(*, kind: str, object_id: int) -> bool:
    """Take one object out of the index; whether it was in it."""
    with transaction.atomic():
        ids = list(Entry.objects.filter(kind=kind, object_id=object_id).values_list("pk", flat=True))
        if not ids:
            return False
        backend().delete(ids)
        Entry.objects.filter(pk__in=ids).delete()
    return True


@system_operation
def index(*, kind: str, object_id: int) -> bool:
    """Index one object as its owning app describes it now (``sources``); an object that is
    gone, or no longer searchable, is removed. Whether it is in the index afterwards."""
    document = sources.get(kind).load(object_id)
    if document is None:
        remove(kind=kind, object_id=object_id)
        return False
    if (document.kind, document.object_id) != (kind, object_id):
        raise ValueError(f"The source of {kind!r} described another object.")
    index_document(document)
    return True


@system_operation
def schedule_index(*, kind: str, object_id: int, version: str | None = None) -> None:
    """Queue the (re)indexing of one object; call it inside the transaction of the change.
    The job reads the object when it runs, so it indexes the latest state. ``version`` (for
    instance the object's version number) makes repeated calls for one state enqueue once."""
    sources.get(kind)  # an unknown kind is the caller's bug: fail now, not in the worker
    key = f"search.index:{kind}:{object_id}:{version or uuid.uuid4().hex}"
    queue.enqueue(INDEX_JOB, key=key[:200], kind=kind, object_id=object_id)


@system_operation
def schedule_remove(*, kind: str, object_id: int) -> None:
    """Queue the removal of one object (the job finds the object gone and removes its entry)."""
    schedule_index(kind=kind, object_id=object_id)


@system_operation
def reindex(*, kind: str | None = None) -> dict[str, Any]:
    """Rebuild the index from the registered sources (one kind, or all): every object is
    indexed again and entries of objects that are gone are removed. Running it twice gives the
    same index."""
    counts: dict[str, Any] = {}
    for source in [sources.get(kind)] if kind else sources.registered():
        ids = set(source.ids())
        indexed = sum(1 for object_id in sorted(ids) if index(kind=source.kind, object_id=object_id))
        held = Entry.objects.filter(kind=source.kind).values_list("object_id", flat=True)
        stale = [object_id for object_id in held.iterator() if object_id not in ids]
        for object_id in stale:
            remove(kind=source.kind, object_id=object_id)
        counts[source.kind] = {"indexed": indexed, "removed": len(stale)}
    return counts
