"""The summaries of networks (member count and facilitator, Art. 5(1) and Art. 5(2)) kept by
each process between the writes that can change them.

Every list of networks (page and API) shows each network's summary, computed from aggregates of
the deployments in its countries: about half of what such a list costs. Reads far outnumber the
writes that change a summary, so a process keeps each network's summary with the generation it
was computed at (the values of ``SummaryGeneration``, read in one query per list) and computes it
again only when the generation moved. The database itself moves the generation, by triggers on
every write to the rows a summary reads (migration ``networks/0003_summary_generation``): no
service has to remember to, and a bulk update, an import or raw SQL moves it too. What is kept is
the summary of one network in one language (an authority's name is read in the reader's), never a
page or anything of a user: the access rules run on every request as before.

Why a value read before the summary was computed is a safe key: the summary is computed after
the generation is read, so it is at least as new as that generation; a change committed in
between moves the generation, and the next list computes it again. A transaction that changed
the rows and reads the summaries sees its own generation, one never written before (a sequence on
PostgreSQL, a random 64-bit value on SQLite): if it rolls back, that generation is never seen
again."""

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import connection
from django.utils.translation import get_language

Summary = TypeVar("Summary")

_GENERATION = "SELECT value FROM networks_summarygeneration ORDER BY slot"

# (network id, Dutch?) -> ((generation, countries), summary): one entry per network and language,
# so that readers of both languages do not drop each other's.
_KEPT: dict[tuple[int, bool], tuple[tuple, object]] = {}


def generation() -> tuple[int, ...]:
    """The summaries' generation as this connection sees it (empty when its rows are gone, e.g.
    after a flush of every table: then nothing is kept until a trigger writes them again)."""
    with connection.cursor() as cursor:
        cursor.execute(_GENERATION)
        return tuple(value for (value,) in cursor.fetchall())


def summaries(
    ids: Sequence[int],
    countries: dict[int, list[str]],
    compute: Callable[[list[int], dict[int, list[str]]], dict[int, Summary]],
) -> dict[int, Summary]:
    """Network id -> summary for these networks: the kept ones still current, the others from
    ``compute(ids, countries)`` (and kept)."""
    current = generation()
    if not current:
        return compute(list(ids), countries)
    dutch = (get_language() or "en")[:2] == "nl"  # as deployments.selectors names authorities
    found: dict[int, Summary] = {}
    missing: list[int] = []
    for pk in ids:
        kept = _KEPT.get((pk, dutch))
        if kept is not None and kept[0] == (current, tuple(countries[pk])):
            found[pk] = kept[1]  # type: ignore[assignment]
        else:
            missing.append(pk)
    if missing:
        fresh = compute(missing, {pk: countries[pk] for pk in missing})
        for pk in missing:
            _KEPT[pk, dutch] = ((current, tuple(countries[pk])), fresh[pk])
        found.update(fresh)
    return found


def forget() -> None:
    """Drop every kept summary (tests that compare with a fresh computation)."""
    _KEPT.clear()
