"""Stemming per language, for the SQLite backend (PostgreSQL stems with its own Snowball
configurations) and for the highlighting of snippets on both.

With the ``snowballstemmer`` package installed, its Snowball stemmers are used (the same
algorithms as PostgreSQL's ``english``, ``dutch``, ``french`` and ``german`` configurations).
Without it, light suffix-stripping stemmers written here stand in (after J. Savoy's light
stemmers, as in Lucene's ``GermanLightStemmer`` and ``FrenchMinimalStemmer``, and a reduced
Snowball Dutch and Porter English): they conflate the inflections a search needs (plural,
"-en", "-s", "-e", "-ing", "-heid", participles) and leave compounds whole. Changing the
stemmer changes the index: run ``manage.py search_reindex`` after installing or removing it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .languages import STEMMED

try:  # pragma: no cover - depends on the environment
    import snowballstemmer
except ImportError:  # pragma: no cover
    snowballstemmer = None

SNOWBALL_NAMES = {"en": "english", "nl": "dutch", "fr": "french", "de": "german"}
STEMMER = "snowball" if snowballstemmer is not None else "light"

_VOWELS = "aeiouyèéêëàâäîïôöûüù"


def _english(word: str) -> str:
    if len(word) <= 3:
        return word
    for suffix, replacement in (
        ("ational", "ate"), ("ization", "ize"), ("iveness", "ive"), ("fulness", "ful"),
        ("ousness", "ous"), ("ations", "ate"), ("ation", "ate"), ("ments", ""), ("ment", ""),
        ("nesses", ""), ("ness", ""), ("ities", ""), ("ity", ""), ("ings", ""), ("ing", ""),
        ("ies", "y"), ("ied", "y"), ("edly", ""), ("ed", ""), ("ly", ""), ("sses", "ss"),
        ("es", "e"), ("s", ""),
    ):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word[-2] in "su":  # "process", "status"
                return word
            if suffix == "es" and word[-3] not in "sxz" and not word.endswith(("ches", "shes")):
                word = word[:-1]  # "decides" -> "decide"
            else:
                word = word[: len(word) - len(suffix)] + replacement
            undouble = suffix in ("ing", "ings", "ed", "edly") and len(word) > 3
            if undouble and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "stopped" -> "stop"
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # "decide", "decided" -> "decid"
    return word


def _undouble(word: str) -> str:
    return word[:-1] if len(word) > 2 and word[-1] == word[-2] and word[-1] in "kdtfgpbsnml" else word


def _dutch(word: str) -> str:
    word = word.replace("ë", "e").replace("ï", "i").replace("é", "e").replace("è", "e")
    if len(word) <= 3:
        return word
    if word.endswith("heden"):
        word = word[:-5] + "heid"
    elif word.endswith(("ene", "en")) and len(word) > 4:
        cut = -2 if word.endswith("en") else -3
        if word[cut - 1] not in _VOWELS:
            word = _undouble(word[:cut])
    elif word.endswith(("se", "s")) and len(word) > 4:
        cut = -2 if word.endswith("se") else -1
        if word[cut - 1] not in _VOWELS + "j" or (cut == -1 and word[-2] == "e" and len(word) > 5):
            word = word[:cut]  # "routes" -> "route", then "-e" below
    if word.endswith("e") and len(word) > 4 and word[-2] not in _VOWELS:
        word = _undouble(word[:-1])
    for suffix in ("heid", "lijk", "baar", "bar", "ing", "end"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix == "ing" and word.endswith("ig"):
                word = word[:-2] if len(word) > 4 else word
            word = _undouble(word)
            break
    # "lopen" -> "lop", "loop" -> "lop": a doubled vowel between consonants is undoubled.
    match = re.search(r"([^aeiouy])(aa|ee|oo|uu)([^aeiouy])$", word)
    if match and len(word) > 3:
        word = word[: match.start(2)] + match.group(2)[0] + match.group(3)
    return word


def _german(word: str) -> str:
    word = word.replace("ä", "a").replace("ö", "o").replace("ü", "u").replace("ß", "ss")
    n = len(word)
    if n > 5 and word.endswith("ern"):
        word = word[:-3]
    elif n > 4 and word.endswith(("em", "en", "er", "es")):
        word = word[:-2]
    elif n > 3 and (word.endswith("e") or (word.endswith("s") and word[-2] in "bdfghklmnrt")):
        word = word[:-1]
    n = len(word)
    if n > 5 and word.endswith("est"):
        word = word[:-3]
    elif (n > 4 and word.endswith(("er", "en"))) or (
        n > 5 and word.endswith("st") and word[-3] in "bdfghklmnt"
    ):
        word = word[:-2]
    return word


def _french(word: str) -> str:
    for suffix in ("issements", "issement", "ements", "ement", "ations", "ation", "ités", "ité",
                   "euses", "euse", "ives", "ive", "eux"):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if len(word) < 6:
        return word
    if word.endswith("x"):
        return word[:-2] + "l" if word.endswith("aux") else word[:-1]
    for ending in ("s", "r", "e", "é"):
        if word.endswith(ending):
            word = word[:-1]
    if len(word) > 2 and word[-1] == word[-2] and word[-1].isalpha():
        word = word[:-1]
    return word


_LIGHT: dict[str, Callable[[str], str]] = {"en": _english, "nl": _dutch, "fr": _french, "de": _german}


@lru_cache(maxsize=4)
def _snowball(language: str):  # pragma: no cover - only with snowballstemmer installed
    return snowballstemmer.stemmer(SNOWBALL_NAMES[language])


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The stem of one lower-cased word in ``language`` (``en``, ``nl``, ``fr``, ``de``); in any
    other language (the ``simple`` fallback) the word itself."""
    if language not in STEMMED or not word.isalpha():
        return word
    if snowballstemmer is not None:  # pragma: no cover
        return _snowball(language).stemWord(word)
    return _LIGHT[language](word)
