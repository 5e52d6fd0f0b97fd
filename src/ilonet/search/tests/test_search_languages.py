"""Stemming per document language, through the index of the database in use (FTS5 on SQLite,
the per-language configurations on PostgreSQL): a word finds its inflected forms."""

import pytest

from ilonet.search.models import Entry
from ilonet.search.selectors import search

pytestmark = pytest.mark.django_db

ALL = ["space:1"]


def found(query, **filters):
    return [hit.object_id for hit in search(query, allowed=ALL, **filters).hits]


@pytest.mark.parametrize(
    ("language", "body", "query"),
    [
        ("nl", "De lidstaat vaardigt terugkeerbesluiten uit na een beoordeling.", "terugkeerbesluit"),
        ("nl", "Het terugkeerbesluit wordt genomen door de lidstaat.", "terugkeerbesluiten"),
        (
            "de",
            "Die Mitgliedstaaten erlassen Rückführungsentscheidungen nach Prüfung.",
            "Rückführungsentscheidung",
        ),
        ("de", "Berichte über Schleusern an der Grenze.", "Schleuser"),
        ("fr", "Les États membres prennent des décisions de retour motivées.", "décision"),
        ("fr", "Les personnes expulsées vers le pays tiers.", "expulsé"),
        ("en", "Member states issued return decisions after assessment.", "decision returned"),
        ("en", "Smugglers use new routes across the countries of transit.", "smuggler country"),
    ],
)
def test_a_word_finds_its_inflected_forms_in_the_documents_language(add, language, body, query):
    add(1, title="Note", body=body, language=language)
    add(2, title="Other", body="Nothing of the kind here, only weather and football.", language="en")
    assert found(query) == [1]


def test_the_language_is_detected_when_the_owner_gives_none(add):
    add(
        1,
        title="Terugkeer",
        body="De lidstaat vaardigt terugkeerbesluiten uit na een individuele beoordeling.",
    )
    add(
        2,
        title="Rückkehr",
        body="Die Mitgliedstaaten erlassen Rückführungsentscheidungen nach einer Prüfung.",
    )
    add(
        3,
        title="Retour",
        body="Les États membres prennent des décisions de retour après un examen individuel.",
    )
    assert dict(Entry.objects.values_list("object_id", "language")) == {1: "nl", 2: "de", 3: "fr"}
    assert found("terugkeerbesluit") == [1]
    assert found("Rückführungsentscheidung") == [2]
    assert found("décision") == [3]


def test_another_language_is_searched_as_written(add):
    add(1, title="Retorno", body="Las decisiones de retorno se adoptan tras una evaluación.", language="es")
    assert Entry.objects.get().language == ""
    assert found("decisiones") == [1]
    assert found("decisión") == []  # no Spanish stemmer: another word


def test_every_query_word_is_required(add):
    add(1, title="A", body="Return decisions and readmission agreements.", language="en")
    add(2, title="B", body="Return decisions only.", language="en")
    assert found("return readmission") == [1]
    assert sorted(found("return")) == [1, 2]


def test_diacritics_do_not_matter_in_a_stemmed_language_without_them(add):
    add(1, title="Rückkehr", body="Rückführungsentscheidungen der Mitgliedstaaten.", language="de")
    assert found("ruckfuhrungsentscheidung") == [1]
