"""The languages search knows: stemmed ones (English, Dutch, French, German, each with its
PostgreSQL text-search configuration) and the ``simple`` fallback (words kept as written) for
every other language. A document's language is detected when its owner does not give it."""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache

STEMMED = ("en", "nl", "fr", "de")
SIMPLE = ""
POSTGRES_CONFIG = {"en": "english", "nl": "dutch", "fr": "french", "de": "german", SIMPLE: "simple"}
DETECT_CHARS = 5000
MIN_CONFIDENCE = 0.5

# The commonest function words: dropped from a query with other words in it (a search for "de"
# alone still runs), so that "besluit van de raad" asks for "besluit" and "raad".
STOPWORDS = frozenset(
    """a an and are as at be by for from has have in is it of on or that the this to was were
    will with de het een en van in op te dat die voor met zijn niet aan er als bij ook om dan
    of door naar over uit la le les un une des du et est dans pour par sur au aux ce qui que
    ne pas se sont der die das und ist im den dem ein eine zu mit von sich nicht auf für
    es als auch an aus bei oder wie""".split()  # noqa: SIM905
)

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def normalise(language: str | None) -> str:
    """``en``/``nl``/``fr``/``de`` (also ``en-GB``, ``NL``), or the simple fallback ``""``."""
    code = (language or "").strip().lower()[:2]
    return code if code in STEMMED else SIMPLE


def detect(text: str) -> str:
    """The language of ``text`` among those search stems, or ``""`` (simple) when it is
    another language or too uncertain to tell."""
    sample = text[:DETECT_CHARS].strip()
    if not sample:
        return SIMPLE
    with _lock:  # the identifier is not thread-safe
        code, confidence = _identifier().classify(sample)
    return code if code in STEMMED and confidence >= MIN_CONFIDENCE else SIMPLE


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower case without diacritics (how SQLite's ``unicode61 remove_diacritics 2`` and the
    snippets compare words)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
