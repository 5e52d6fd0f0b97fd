"""Where searchable objects come from. Search imports no domain app: each owning app registers
its kinds here (in its ``AppConfig.ready``), with a function that describes one object (or says
it is gone) and one that lists them all (for ``manage.py search_reindex``)::

    from ilonet.search import sources

    sources.register("exchange.document", load=search_document, ids=all_document_ids)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .documents import SearchDocument


@dataclass(frozen=True)
class Source:
    kind: str
    load: Callable[[int], SearchDocument | None]  # None: the object is gone, or not searchable
    ids: Callable[[], Iterable[int]]


_sources: dict[str, Source] = {}


class UnknownKind(LookupError):
    pass


def register(
    kind: str,
    *,
    load: Callable[[int], SearchDocument | None],
    ids: Callable[[], Iterable[int]],
) -> Source:
    source = Source(kind=kind, load=load, ids=ids)
    _sources[kind] = source
    return source


def unregister(kind: str) -> None:
    _sources.pop(kind, None)


def get(kind: str) -> Source:
    try:
        return _sources[kind]
    except KeyError:
        raise UnknownKind(f"No search source is registered for {kind!r}.") from None


def registered() -> list[Source]:
    return [_sources[kind] for kind in sorted(_sources)]
