"""The search page of the exchange (issue 11 item 6): ranked hits among the documents the user may
open, with highlighted snippets (escaped by the search block), filters and bounded pages."""

from django.shortcuts import render

from .. import selectors
from ..forms import MAX_SEARCH_PAGE, SearchForm
from .common import exchange_view

PER_PAGE = 20


@exchange_view
def search(request):
    user = request.user
    form = SearchForm(request.GET or None, spaces=selectors.spaces_for(user=user))
    context: dict = {"form": form, "result": None, "rows": [], "max_page": MAX_SEARCH_PAGE}
    status = 200
    if request.GET and not form.is_valid():
        status = 400  # the form shows what is wrong
    elif form.is_bound and form.cleaned_data.get("q", "").strip():
        data = form.cleaned_data
        result, documents = selectors.search_documents(
            user=user,
            query=data["q"],
            space=data["space"],
            topic=data["topic"],
            category=data["category"],
            language=data["language"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            page=data["page"] or 1,
            per_page=PER_PAGE,
        )
        context["result"] = result
        context["rows"] = [
            (hit, documents[hit.object_id]) for hit in result.hits if hit.object_id in documents
        ]
    return render(request, "exchange/search.html", context, status=status)
