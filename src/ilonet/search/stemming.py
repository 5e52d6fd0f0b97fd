"""Stemming per language with the Snowball stemmers (``snowballstemmer``, the algorithms of
PostgreSQL's ``english``, ``dutch``, ``french`` and ``german`` configurations), for the SQLite
backend's index and queries and for the highlighting of snippets on both backends. Words of any
other language (the ``simple`` fallback) are kept as written. Changing the stemmer (a new
``snowballstemmer`` release) changes the SQLite index: run ``manage.py search_reindex``."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import snowballstemmer

from .languages import STEMMED

SNOWBALL_NAMES = {"en": "english", "nl": "dutch", "fr": "french", "de": "german"}


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(SNOWBALL_NAMES[language])


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The stem of one lower-cased word in ``language`` (``en``, ``nl``, ``fr``, ``de``); in any
    other language the word itself."""
    if language not in STEMMED or not word.isalpha():
        return word
    return _stemmer(language).stemWord(word)
