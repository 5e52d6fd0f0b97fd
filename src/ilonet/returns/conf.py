"""Settings of return cases, with their defaults (override them in the Django settings).

- ``RETURNS_WORKLIST_DELAYS``: days after which a stalled case enters the worklist, per rule
  (``models.WorklistRule``); a negative delay means before the date (a detention review is listed
  7 days before it falls due). Merged over ``DEFAULT_DELAYS``.
- ``RETURNS_DETENTION_REVIEW_DAYS``: the interval of detention re-assessments when the order or
  the last review names no date (30).
- ``RETURNS_RETENTION_DAYS``: how long a closed case's personal data is kept before its key is
  destroyed (crypto-shredding) (1825, five years).
- ``RETURNS_IMPORT_PREPARER``: where a bulk import reads, checks and seals its next batch while
  the one before is written: ``"thread"`` (a thread of the importing process, the default) or
  ``"process"`` (a forked process of its own: no interpreter lock shared with the writer, but
  each batch crosses a pipe pickled, which costs CPU on both sides; measured not to pay on two
  cores shared with the database, docs/benchmarks.md). Where processes cannot be forked, a thread.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

DEFAULT_DELAYS: dict[str, int] = {
    "no_return_decision": 14,  # RS 2(a): a return decision follows the end of legal stay at once
    "readmission_unanswered": 60,
    "departure_period_expired": 0,  # RS 2(a): hand-over at once
    "detention_review_due": -7,
    "travel_document_pending": 30,
    "needs_attention": 0,
    "on_hold": 0,
}


# The three values below are read once and kept (a bulk import asks for them per case: each
# read of the settings cost a few microseconds), and read again when a setting changes
# (``setting_changed``: the tests' ``override_settings``).


@lru_cache(maxsize=1)
def _delays() -> tuple[tuple[str, int], ...]:
    return tuple({**DEFAULT_DELAYS, **getattr(settings, "RETURNS_WORKLIST_DELAYS", {})}.items())


def delays() -> dict[str, int]:
    return dict(_delays())


@lru_cache(maxsize=1)
def review_days() -> int:
    return int(getattr(settings, "RETURNS_DETENTION_REVIEW_DAYS", 30))


@lru_cache(maxsize=1)
def retention_days() -> int:
    return int(getattr(settings, "RETURNS_RETENTION_DAYS", 1825))


@receiver(setting_changed)
def _forget(*, setting: str, **_kwargs: object) -> None:
    if setting.startswith("RETURNS_"):
        for cached in (_delays, review_days, retention_days):
            cached.cache_clear()


def import_preparer() -> str:
    value = getattr(settings, "RETURNS_IMPORT_PREPARER", "thread")
    if value not in ("thread", "process"):
        raise ValueError(f"RETURNS_IMPORT_PREPARER: 'thread' or 'process', not {value!r}")
    return value
