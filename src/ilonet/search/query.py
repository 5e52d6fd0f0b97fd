"""A user's query, parsed once into words, and the words each language's index holds for them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .languages import POSTGRES_CONFIG, SIMPLE, STEMMED, STOPWORDS, fold
from .stemming import stem

WORD = re.compile(r"[^\W_]+")
MAX_QUERY = 500
MAX_TERMS = 12
MAX_TERM = 64
PREFIX_STEMMING = frozenset({"nl"})  # stemmers that may change the start of a word


def words(text: str) -> list[str]:
    return WORD.findall(text)


@lru_cache(maxsize=200_000)
def _indexed(word: str, language: str) -> str:
    return fold(stem(word.lower(), language))


def index_text(text: str, language: str) -> str:
    """The words of ``text`` as the SQLite index holds them: stemmed in the document's
    language, lower case, without diacritics."""
    return " ".join(_indexed(word, language) for word in WORD.findall(text))


@dataclass(frozen=True)
class Query:
    terms: tuple[str, ...]  # lower-cased words, at most MAX_TERMS

    @classmethod
    def parse(cls, text: str) -> Query:
        found = [word.lower()[:MAX_TERM] for word in words((text or "")[:MAX_QUERY])]
        kept = [word for word in found if word not in STOPWORDS] or found
        unique = list(dict.fromkeys(kept))
        return cls(terms=tuple(unique[:MAX_TERMS]))

    def __bool__(self) -> bool:
        return bool(self.terms)

    def forms(self, term: str) -> set[str]:
        """Every form under which ``term`` may be indexed: its stem in each language, and the
        word itself (the simple fallback)."""
        return {fold(stem(term, language)) for language in STEMMED} | {fold(term)}

    @cached_property
    def fts5(self) -> str:
        """An FTS5 query: each term in any of its forms, all terms required."""
        groups = (" OR ".join(f'"{form}"' for form in sorted(self.forms(term))) for term in self.terms)
        return " AND ".join(f"({group})" for group in groups)

    def tsquery_forms(self) -> tuple[str, list[str]]:
        """SQL (a select list) and parameters giving, per term, an array of its PostgreSQL
        tsquery under every configuration (as text; ``""`` where a configuration drops the word
        as a stop word). ``tsquery_text`` combines them."""
        columns, params = [], []
        configs = [POSTGRES_CONFIG[code] for code in (*STEMMED, SIMPLE)]
        forms = ", ".join(f"plainto_tsquery('{config}'::regconfig, %s)::text" for config in configs)
        for term in self.terms:
            columns.append(f"ARRAY[{forms}]")
            params.extend([term] * len(configs))
        return ", ".join(columns), params

    def matcher(self, language: str) -> Matcher:
        """A test of one word of a document in ``language``: is it one the query asked for?"""
        return Matcher(self.terms, language)


def tsquery_text(forms: list[list[str]]) -> str:
    """One tsquery (as text, for ``::tsquery``) from ``Query.tsquery_forms``: each term in any of
    its forms (``|``), all terms required (``&``); a term no configuration keeps is left out, and
    ``""`` when none is kept. Each distinct form appears once: the same match set as every form
    of every configuration joined, but PostgreSQL estimates how many rows a query matches by
    multiplying its parts as if independent, so a word repeated five times (a word stemmed alike
    by every configuration) was taken for five times as common, and the planner walked the
    table instead of reading the word's index (``ts_rank`` counts each distinct word once, so
    the scores are the same)."""
    groups = []
    for term_forms in forms:
        kept = list(dict.fromkeys(form for form in term_forms if form))
        if kept:
            groups.append(" | ".join(f"( {form} )" for form in kept) if len(kept) > 1 else kept[0])
    return " & ".join(f"( {group} )" for group in groups) if len(groups) > 1 else "".join(groups)


class Matcher:
    """Whether a word of a document in ``language`` is one the query asked for (called with
    the word), and ``words``: a pattern finding the words of a text worth asking about (each a
    whole word as ``WORD`` finds it; every word it leaves out would be answered no).

    The English, French and German stemmers keep the start of a word and change at most the
    stem's last letter ("cry" -> "cri"), so a word whose start (folded) is not the start of any
    asked stem cannot match: ``words`` finds only the words beginning with such a start (in
    either case) or with a letter outside ASCII in their first three (which folding may turn
    into one), and the snippets never stem, fold or even call for the others. The Dutch stemmer
    also drops prefixes ("gelopen" -> "lop"): every Dutch word is asked about."""

    def __init__(self, terms: tuple[str, ...], language: str):
        self.language = language
        self.stems = {fold(stem(term, language)) for term in terms}
        self.plain = {fold(term) for term in terms}
        self.words = WORD
        self._seen: dict[str, bool] = {}
        if language not in PREFIX_STEMMING:
            starts = {s[: max(1, min(3, len(s) - 1))] for s in self.stems | self.plain if s}
            self._lengths = sorted({len(p) for p in starts})
            self._starts = starts
            alternatives = "|".join(re.escape(p) for p in sorted(starts, key=len, reverse=True))
            self.words = re.compile(rf"(?<![^\W_])(?=(?i:{alternatives})|[^\W_]{{0,2}}[^\x00-\x7f])[^\W_]+")
        else:
            self._lengths, self._starts = [], set()

    def __call__(self, word: str) -> bool:
        known = self._seen.get(word)
        if known is None:
            if len(self._seen) >= 4096:
                self._seen.clear()
            known = self._seen[word] = self._decide(word)
        return known

    def _decide(self, word: str) -> bool:
        lowered = word.lower()
        folded = fold(lowered)
        if folded in self.plain:
            return True
        if self._lengths and not any(folded[:n] in self._starts for n in self._lengths):
            return False
        return fold(stem(lowered, self.language)) in self.stems
