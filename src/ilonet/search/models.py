"""The search index: one ``Entry`` per searchable object of an owning app, with the access
keys (``Grant``) that open it. The full-text part lives beside it, per database: an FTS5 table
``search_fts`` on SQLite, a generated ``tsvector`` column ``document`` with a GIN index on
PostgreSQL (migrations/0002)."""

from __future__ import annotations

from django.db import models


class Entry(models.Model):
    """One searchable object, as its owning app described it (``SearchDocument``)."""

    kind = models.CharField(max_length=40)  # "exchange.document", "reports.situation_report"
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=2, blank=True)  # en, nl, fr, de; "" = simple
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    # Filter fields, opaque to search: the owner decides what they hold.
    space = models.CharField(max_length=64, blank=True)
    category = models.CharField(max_length=64, blank=True)
    topics = models.CharField(max_length=200, blank=True)  # "|a|c|f|"
    # The access keys of ``grants``, space-separated and sorted: also in the full-text part
    # (an FTS5 column on SQLite, a GIN expression index on PostgreSQL), so that a search
    # intersects the words and the caller's keys inside the index.
    access = models.TextField(blank=True)
    indexed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_one_per_object"),
        ]
        indexes = [
            models.Index(fields=["space", "date"], name="search_entry_space_date"),
            models.Index(fields=["date"], name="search_entry_date"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class Grant(models.Model):
    """An access key that opens the entry ("space:12", "folder:4", "doc:9", "parliament:space:3"):
    a search by ``allowed=`` keys returns an entry only if one of its keys is among them."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="grants")
    key = models.CharField(max_length=80)

    class Meta:
        # The unique index (entry, key) serves the search's check "one of the entry's keys is
        # among the caller's"; an index led by the key would make the database probe every
        # key of a long list for every candidate.
        constraints = [models.UniqueConstraint(fields=["entry", "key"], name="search_grant_once")]

    def __str__(self) -> str:
        return self.key
