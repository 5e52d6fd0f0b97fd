"""Stemming per document language and language detection (no database)."""

import pytest

from ilonet.search.languages import detect, normalise
from ilonet.search.query import Query
from ilonet.search.stemming import stem


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("nl", ["terugkeerbesluiten", "terugkeerbesluit"]),
        ("nl", ["smokkelroutes", "smokkelroute"]),
        ("nl", ["documenten", "document"]),
        ("nl", ["gemeenten", "gemeente"]),
        ("de", ["rückführungsentscheidungen", "rückführungsentscheidung"]),
        ("de", ["schleusern", "schleuser"]),
        ("de", ["berichte", "bericht"]),
        ("fr", ["décisions", "décision"]),
        ("fr", ["expulsées", "expulsé"]),
        ("fr", ["migratoires", "migratoire"]),
        ("en", ["returns", "returned", "returning", "return"]),
        ("en", ["countries", "country"]),
        ("en", ["smugglers", "smuggler"]),
    ],
)
def test_inflected_forms_share_one_stem_in_their_language(language, forms):
    assert len({stem(form, language) for form in forms}) == 1, [stem(form, language) for form in forms]


def test_words_of_another_language_are_kept_as_written():
    assert stem("decisiones", "") == "decisiones"
    assert stem("terugkeerbesluiten", "es") == "terugkeerbesluiten"


def test_different_words_keep_different_stems():
    assert stem("terugkeer", "nl") != stem("terugkeerbesluit", "nl")
    assert stem("return", "en") != stem("route", "en")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Het terugkeerbesluit wordt door de lidstaat genomen na een individuele beoordeling.", "nl"),
        ("Die Rückführungsentscheidung wird vom Mitgliedstaat nach einer Prüfung getroffen.", "de"),
        ("La décision de retour est prise par l'État membre après un examen individuel.", "fr"),
        ("The return decision is taken by the member state after an individual assessment.", "en"),
        ("La decisión de retorno se adopta por el Estado miembro tras una evaluación.", ""),
        ("", ""),
    ],
)
def test_the_language_is_detected_among_the_four_or_falls_back_to_simple(text, language):
    assert detect(text) == language


def test_given_languages_are_normalised():
    assert [normalise(code) for code in ("en-GB", "NL", "fr", "de_DE", "es", None)] == [
        "en", "nl", "fr", "de", "", "",
    ]  # fmt: skip


def test_a_query_drops_function_words_unless_it_has_nothing_else():
    assert Query.parse("besluit van de raad").terms == ("besluit", "raad")
    assert Query.parse("de").terms == ("de",)
    assert not Query.parse("  !? ")


def test_a_query_is_bounded_and_quotes_only_words():
    query = Query.parse('x" OR NEAR(a b) * ' + " ".join(f"w{i}" for i in range(100)))
    assert len(query.terms) == 12
    assert all(term.isalnum() for term in query.terms)
    assert query.fts5.count("(") == 12
