"""Ranked hits, filters, highlighted and escaped snippets, bounded pages and counts."""

from datetime import date

import pytest

from ilonet.search import selectors
from ilonet.search.selectors import InvalidSearch, search

pytestmark = pytest.mark.django_db

ALL = ["space:1", "space:2"]


def ids(page):
    return [hit.object_id for hit in page.hits]


def test_a_match_in_the_title_ranks_above_a_match_in_the_body(add):
    add(1, title="Weekly note", body="Among many other things, readmission is mentioned.", language="en")
    add(2, title="Readmission agreements", body="An overview of the agreements in force.", language="en")
    assert ids(search("readmission", allowed=ALL)) == [2, 1]


def test_more_occurrences_rank_higher(add):
    add(1, title="Note", body="Smuggling once. " + "Weather and harbours. " * 20, language="en")
    add(2, title="Note", body="Smuggling networks, smuggling routes, smuggling methods. " * 3, language="en")
    assert ids(search("smuggling", allowed=ALL)) == [2, 1]


def test_filters_narrow_by_space_topic_category_language_kind_and_date(add):
    body = "Document fraud methods seen at the border."
    add(
        1,
        title="A",
        body=body,
        language="en",
        space="1",
        topics=["e", "f"],
        category="a",
        date=date(2026, 1, 5),
    )
    add(2, title="B", body=body, language="en", space="2", topics=["f"], category="b", date=date(2026, 3, 5))
    add(3, title="C", body=body, language="en", space="2", topics=["g"], category="b", date=date(2026, 6, 5),
        kind="test.report")  # fmt: skip
    add(4, title="D", body="Documentfraude aan de grens: methoden.", language="nl", space="1")
    query = "fraud"
    assert sorted(ids(search(query, allowed=ALL, space="2"))) == [2, 3]
    assert sorted(ids(search(query, allowed=ALL, topic="f"))) == [1, 2]
    assert ids(search(query, allowed=ALL, topic="e")) == [1]
    assert ids(search(query, allowed=ALL, category="a")) == [1]
    assert ids(search(query, allowed=ALL, kinds=["test.report"])) == [3]
    assert sorted(ids(search(query, allowed=ALL, date_from=date(2026, 2, 1)))) == [2, 3]
    assert ids(search(query, allowed=ALL, date_from=date(2026, 2, 1), date_to=date(2026, 4, 1))) == [2]
    assert sorted(ids(search(query, allowed=ALL, language="en"))) == [1, 2, 3]
    assert ids(search("documentfraude", allowed=ALL, language="nl")) == [4]


def test_a_topic_filter_matches_whole_topics_only(add):
    add(1, title="A", body="Detention conditions.", language="en", topics=["l"])
    add(2, title="B", body="Detention conditions.", language="en", topics=["la"])
    assert ids(search("detention", allowed=ALL, topic="l")) == [1]


@pytest.mark.parametrize("bad", [{"space": "1|2"}, {"topic": "\x00"}, {"category": []}, {"space": "x" * 65}])
def test_an_invalid_filter_is_refused(add, bad):
    with pytest.raises(InvalidSearch):
        search("x", allowed=ALL, **bad)


def test_dates_in_the_wrong_order_are_refused(add):
    with pytest.raises(InvalidSearch):
        search("x", allowed=ALL, date_from=date(2026, 2, 1), date_to=date(2026, 1, 1))


def test_snippets_mark_the_query_words_and_escape_everything_else(add):
    body = "Intro. " * 60 + "The <b>return</b> of nationals & decisions taken. " + "Outro. " * 60
    add(1, title="<script>alert(1)</script> Return decisions", language="en", body=body)
    hit = search("decision", allowed=ALL).hits[0]
    assert "<script>" not in hit.title
    assert hit.title == "&lt;script&gt;alert(1)&lt;/script&gt; Return <mark>decisions</mark>"
    assert "<b>" not in hit.snippet and "&lt;b&gt;return&lt;/b&gt;" in hit.snippet
    assert "&amp; <mark>decisions</mark> taken" in hit.snippet
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert len(hit.snippet) < 400


def test_a_snippet_marks_every_inflected_form(add):
    add(1, title="Besluiten", body="Het terugkeerbesluit en twee terugkeerbesluiten.", language="nl")
    hit = search("terugkeerbesluiten", allowed=ALL).hits[0]
    assert hit.snippet == "Het <mark>terugkeerbesluit</mark> en twee <mark>terugkeerbesluiten</mark>."


def test_an_empty_query_finds_nothing(add):
    add(1, title="A", body="Anything.", language="en")
    assert search("  ", allowed=ALL).hits == []
    assert search("?!", allowed=ALL).count == 0


def test_pages_are_bounded_and_the_count_is_capped(add, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 12)
    for object_id in range(1, 16):
        add(
            object_id,
            title=f"Note {object_id}",
            body="Migration flows.",
            language="en",
            date=date(2026, 1, object_id),
        )
    first = search("migration", allowed=ALL, per_page=5)
    assert (first.count, first.count_capped, len(first.hits), first.has_next) == (12, True, 5, True)
    assert ids(first) == [15, 14, 13, 12, 11]  # equal scores: newest first
    third = search("migration", allowed=ALL, per_page=5, page=3)
    assert len(third.hits) == 2 and not third.has_next  # no hit past the cap
    far = search("migration", allowed=ALL, per_page=5, page=10_000)
    assert far.page == 3
    assert search("migration", allowed=ALL, per_page=500).per_page == selectors.MAX_PER_PAGE


def test_a_count_below_the_cap_is_exact(add):
    for object_id in range(1, 4):
        add(object_id, title="Note", body="Migration flows.", language="en")
    page = search("migration", allowed=ALL)
    assert (page.count, page.count_capped, page.has_next) == (3, False, False)


WORDS = {
    "en": "cry cries crying cried happy happiness happier return returns returned decision decisions "
    "smuggler smugglers smuggling route routes readmission detention agreed agreement is as by y "
    "yearly analyses analysis flies fly ties tie",
    "nl": "terugkeer terugkeerbesluit terugkeerbesluiten bakken bakte bak smokkelroute smokkelroutes "
    "besluiten besluit overname overnames lopen liep gelopen brieven brief huizen huis ijs",
    "fr": "retour retours décision décisions passeurs passeur réseaux réseau migratoires migratoire "
    "expulsées expulsé réadmission yeux oeil aïeul finissaient finir",
    "de": "Rückkehr Rückführungsentscheidung Rückführungsentscheidungen Schleuser Schleusern Berichte "
    "Bericht Straße Strassen Häuser Haus Übergabe übergeben Ärzte Arzt",
}


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de", ""])
def test_the_highlighters_shortcut_marks_exactly_the_words_stemming_would(language):
    """The snippets skip stemming words whose start no asked stem shares; on inflected words of
    the four languages this marks the same words as stemming every one of them."""
    from ilonet.search.languages import fold
    from ilonet.search.query import WORD, Query
    from ilonet.search.stemming import stem

    words = [w for text in WORDS.values() for w in text.split()]
    for term in words:
        query = Query.parse(term)
        fast = query.matcher(language)
        stems = {fold(stem(t, language)) for t in query.terms}
        plain = {fold(t) for t in query.terms}

        def exact(word, stems=stems, plain=plain):
            return fold(word.lower()) in plain or fold(stem(word.lower(), language)) in stems

        for word in words:
            assert fast(word) == exact(word), (term, word)
        # The words the snippets ask about (``fast.words``) leave out none that matches, in
        # any case, before or after other characters.
        text = " ".join(f"({w}), {w.upper()}-{w.capitalize()}_x {w}'s" for w in words)
        asked = [w for w in fast.words.findall(text) if fast(w)]
        assert asked == [w for w in WORD.findall(text) if exact(w)], term
