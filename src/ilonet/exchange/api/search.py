"""Full-text search over the documents the caller may open (issue 11 item 6)."""

from ninja import Field, Query, Schema
from ninja.errors import ValidationError
from pydantic import model_validator

from ilonet.api.schemas import StrictDate

from .. import selectors
from ..forms import MAX_SEARCH_PAGE
from ..models import Category, Topic
from .common import A, router
from .schemas import SearchOut

SEARCH_LANGUAGE = ("en", "nl", "fr", "de")


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200)
    space_id: int | None = Field(None, ge=1)
    topic: Topic | None = None
    category: Category | None = None
    language: str | None = Field(None, pattern="^(en|nl|fr|de)$")
    date_from: StrictDate | None = None
    date_to: StrictDate | None = None
    page: int = Field(1, ge=1, le=MAX_SEARCH_PAGE)
    per_page: int = Field(20, ge=1, le=50)

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_to is before date_from.")
        return self


@router.get("/search", action=A.VIEW_EXCHANGE, response=SearchOut)
def search_documents(request, filters: Query[SearchQuery]):
    """Ranked hits among the documents the caller may open now (nothing else is found, counted or
    quoted), with snippets (HTML-escaped, matching words in ``<mark>``). At most 1,000 hits are
    counted (``count_capped``) and ranked."""
    if not filters.q.strip():
        raise ValidationError([{"loc": ("query", "q"), "msg": "Give the words to look for."}])
    result, documents = selectors.search_documents(
        user=request.user,
        query=filters.q,
        space=filters.space_id,
        topic=filters.topic or "",
        category=filters.category or "",
        language=filters.language or "",
        date_from=filters.date_from,
        date_to=filters.date_to,
        page=filters.page,
        per_page=filters.per_page,
    )
    hits = [
        {
            "id": hit.object_id,
            "title": str(hit.title),
            "snippet": str(hit.snippet),
            "space_id": documents[hit.object_id].space_id,
            "folder_id": documents[hit.object_id].folder_id,
            "language": hit.language,
            "date": hit.date,
            "category": hit.category,
            "topics": list(hit.topics),
            "score": hit.score,
        }
        for hit in result.hits
        if hit.object_id in documents
    ]
    return {
        "count": result.count,
        "count_capped": result.count_capped,
        "page": result.page,
        "per_page": result.per_page,
        "results": hits,
    }
