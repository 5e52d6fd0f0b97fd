"""Full-text search, a shared building block below the domain apps (docs/search.md).

- ``selectors.search(query, allowed=..., ...)``: ranked hits with escaped, highlighted
  snippets, from only what the caller may open.
- ``services.index_document`` / ``index`` / ``remove`` / ``schedule_index`` /
  ``schedule_remove``: keep the index in step with the owning app's objects (by a background
  job, ``jobs.index_object``); ``manage.py search_reindex`` rebuilds it.
- ``sources.register(kind, load=..., ids=...)``: how an owning app tells search where its
  searchable objects come from (search imports no domain app).

One interface, two backends chosen by the database vendor: SQLite FTS5 (``backends/sqlite``)
and PostgreSQL full-text search (``backends/postgres``).
"""
