import pytest

from ilonet.search import services, sources
from ilonet.search.documents import SearchDocument


class Store:
    """An owning app for the tests: objects described as search documents, in memory."""

    kind = "test.note"

    def __init__(self):
        self.objects: dict[int, SearchDocument] = {}

    def add(self, object_id: int, **fields) -> SearchDocument:
        fields.setdefault("access", ("space:1",))
        document = SearchDocument(kind=self.kind, object_id=object_id, **fields)
        self.objects[object_id] = document
        return document


@pytest.fixture
def store():
    store = Store()
    sources.register(store.kind, load=store.objects.get, ids=lambda: list(store.objects))
    yield store
    sources.unregister(store.kind)


@pytest.fixture
def add():
    """Index a document at once (as the job would): ``add(1, title=..., body=...)``."""

    def add(object_id: int, *, kind: str = "test.note", **fields):
        fields.setdefault("access", ("space:1",))
        return services.index_document(SearchDocument(kind=kind, object_id=object_id, **fields))

    return add
