"""Search returns, counts and quotes only what the caller may open (Art. 9(3), Art. 9(4)): the
caller passes the user's access keys or the ids the policy scope opens; nothing else leaks."""

import random

import pytest
from django.contrib.auth.models import Group

from ilonet.search.models import Entry
from ilonet.search.selectors import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret_and_open(add):
    add(
        1,
        title="Open note on readmission",
        body="Readmission agreements in force.",
        access=["space:1"],
        language="en",
    )
    add(2, title="Board only: readmission", body="Readmission talks, confidential codeword ZEPHYR.",
        access=["space:9", "doc:2"], language="en")  # fmt: skip


def test_a_hit_needs_one_of_the_callers_keys(secret_and_open):
    page = search("readmission", allowed=["space:1"])
    assert [hit.object_id for hit in page.hits] == [1]
    assert page.count == 1
    assert [hit.object_id for hit in search("readmission", allowed=["doc:2"]).hits] == [2]
    assert sorted(hit.object_id for hit in search("readmission", allowed=["space:1", "space:9"]).hits) == [
        1,
        2,
    ]


def test_a_word_only_in_a_closed_document_finds_nothing_and_counts_nothing(secret_and_open):
    page = search("zephyr", allowed=["space:1"])
    assert (page.hits, page.count, page.count_capped) == ([], 0, False)


def test_no_title_or_snippet_of_a_closed_document_appears(secret_and_open):
    page = search("readmission", allowed=["space:1"])
    shown = " ".join(f"{hit.title} {hit.snippet}" for hit in page.hits)
    assert "Board only" not in shown and "ZEPHYR" not in shown and "confidential" not in shown


def test_no_keys_open_nothing(secret_and_open):
    assert search("readmission", allowed=[]).count == 0
    assert search("readmission", allowed={}).count == 0
    with pytest.raises(TypeError):
        search("readmission", allowed="space:1")  # one string would be read as its letters


def test_allowed_may_be_the_ids_a_policy_scope_opens(add):
    opened = Group.objects.create(name="open")
    closed = Group.objects.create(name="closed")
    for group in (opened, closed):
        add(
            group.pk,
            kind="test.group",
            title=f"Group {group.name}",
            body="Return flows.",
            access=[],
            language="en",
        )
    allowed = {"test.group": Group.objects.filter(name="open").values("pk")}
    page = search("return", allowed=allowed)
    assert [hit.object_id for hit in page.hits] == [opened.pk] and page.count == 1
    assert search("return", allowed={"test.group": [closed.pk]}).hits[0].object_id == closed.pk
    assert search("return", allowed={"test.other": [opened.pk, closed.pk]}).count == 0


def test_random_grants_never_leak_through_hits_or_counts(add):
    rng = random.Random(20261202)  # noqa: S311 - seeded test data
    words = ["return", "readmission", "smuggling", "routes", "detention", "capacity"]
    keys = [f"space:{n}" for n in range(6)] + [f"doc:{n}" for n in range(6)]
    grants = {}
    texts = {}
    for object_id in range(1, 61):
        grants[object_id] = set(rng.sample(keys, rng.randint(0, 2)))
        texts[object_id] = " ".join(rng.choices(words, k=8))
        add(
            object_id,
            title=f"Note {object_id}",
            body=texts[object_id],
            access=sorted(grants[object_id]),
            language="en",
        )
    for _ in range(25):
        allowed = set(rng.sample(keys, rng.randint(0, 4)))
        word = rng.choice(words)
        expected = {n for n in grants if grants[n] & allowed and word in texts[n].split()}
        page = search(word, allowed=sorted(allowed), per_page=50)
        assert {hit.object_id for hit in page.hits} == expected
        assert page.count == len(expected)


def test_changed_keys_take_effect_at_the_next_indexing(add):
    add(1, title="Note", body="Return flows.", access=["space:1"], language="en")
    add(1, title="Note", body="Return flows.", access=["space:2"], language="en")
    assert search("return", allowed=["space:1"]).count == 0
    assert search("return", allowed=["space:2"]).count == 1
    assert Entry.objects.count() == 1


def test_keys_are_data_never_query_syntax(secret_and_open):
    for key in ['space:1" OR "x', "space:9) OR (x", "*", "NEAR(a b)", "'; DROP TABLE search_entry; --"]:
        assert search("readmission", allowed=[key]).count == 0
    assert search("readmission", allowed=["space:1"]).count == 1


def test_a_long_key_list_is_checked_the_same_way(secret_and_open):
    """Past ``INDEX_KEYS_MAX`` keys the index no longer filters by key; the grant check still does."""
    many = [f"space:{n}" for n in range(100, 160)]
    assert search("readmission", allowed=many).count == 0
    page = search("readmission", allowed=[*many, "space:1"])
    assert [hit.object_id for hit in page.hits] == [1] and page.count == 1
    assert search("zephyr", allowed=[*many, "space:1"]).count == 0


@pytest.fixture
def groups(add):
    """Three groups indexed under one key; the policy scope opens only "open" and "also"."""
    made = {}
    for name in ("open", "closed", "also"):
        group = made[name] = Group.objects.create(name=name)
        add(group.pk, kind="test.group", title=f"Group {name}", body=f"Return flows, codeword {name}.",
            access=["space:1"], language="en")  # fmt: skip
    return made


def scope():
    return {"test.group": Group.objects.exclude(name="closed").values("pk")}


def test_confirm_drops_a_keyed_match_the_scope_does_not_open(groups):
    page = search("return", allowed=["space:1"], confirm=scope(), per_page=50)
    assert {hit.object_id for hit in page.hits} == {groups["open"].pk, groups["also"].pk}
    assert (page.count, page.count_capped) == (2, False)
    assert "closed" not in " ".join(f"{hit.title} {hit.snippet}" for hit in page.hits)
    assert search("closed", allowed=["space:1"], confirm=scope()).count == 0
    # A kind the caller does not confirm opens nothing; keys still have to open the entry.
    assert search("return", allowed=["space:1"], confirm={"test.other": []}).count == 0
    assert search("return", allowed=["space:2"], confirm=scope()).count == 0


def test_a_full_window_that_lost_a_match_is_searched_again_through_the_scope(groups, monkeypatch):
    """With a window of two, the newest keyed match ("also") is open, the next ("closed") is
    not: the count of the keyed window would fall short, so the scope itself is searched."""
    from ilonet.search import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    page = search("return", allowed=["space:1"], confirm=scope())
    assert page.hits[0].object_id in {groups["open"].pk, groups["also"].pk}
    assert (page.count, page.count_capped) == (1, True)  # two open matches, capped at one
    page = search("return", allowed=["space:1"], confirm=scope(), page=2)
    assert all(hit.object_id != groups["closed"].pk for hit in page.hits)


def test_confirm_goes_with_access_keys(groups):
    with pytest.raises(TypeError):
        search("return", allowed=scope(), confirm=scope())


def test_keys_and_a_confirming_scope_find_exactly_what_both_open(add, monkeypatch):
    """Seeded: hits and counts equal the brute-force answer, also when the window is full."""
    from ilonet.search import selectors

    rng = random.Random(20261203)  # noqa: S311 - seeded test data
    words = ["return", "readmission", "smuggling"]
    groups, texts, grants = {}, {}, {}
    for n in range(40):
        group = Group.objects.create(name=f"g{n}")
        groups[group.pk] = group
        grants[group.pk] = f"space:{rng.randrange(4)}"
        texts[group.pk] = " ".join(rng.choices(words, k=5))
        add(group.pk, kind="test.group", title=f"Group {n}", body=texts[group.pk], access=[grants[group.pk]],
            language="en")  # fmt: skip
    monkeypatch.setattr(selectors, "COUNT_CAP", 6)
    for _ in range(20):
        keys = set(rng.sample([f"space:{n}" for n in range(4)], rng.randint(1, 3)))
        opened = set(rng.sample(sorted(groups), rng.randint(0, 40)))
        word = rng.choice(words)
        expected = {pk for pk in groups if grants[pk] in keys and pk in opened and word in texts[pk].split()}
        confirm = {"test.group": Group.objects.filter(pk__in=opened).values("pk")}
        seen = set()
        for page_number in (1, 2, 3, 4):
            page = search(word, allowed=sorted(keys), confirm=confirm, per_page=2, page=page_number)
            seen |= {hit.object_id for hit in page.hits}
        assert seen <= expected
        assert page.count == min(len(expected), 6) and page.count_capped == (len(expected) > 6)
        if len(expected) <= 6:
            assert seen == expected


def test_confirm_checks_each_kind_against_its_own_scope_by_its_objects_ids(add):
    """The window's entries are grouped by kind and each kind's objects looked up in that kind's
    scope: an object id the scope of one kind opens does not open another kind's entry with the
    same object id."""
    opened = Group.objects.create(name="opened")
    shut = Group.objects.create(name="shut")
    for group in (opened, shut):
        for kind in ("test.group", "test.note"):
            add(group.pk, kind=kind, title=f"{kind} {group.name}", body="Return flows.", access=["space:1"])
    confirm = {"test.group": Group.objects.filter(pk=opened.pk).values("pk"), "test.note": [shut.pk]}
    page = search("return", allowed=["space:1"], confirm=confirm, per_page=50)
    assert sorted((hit.kind, hit.object_id) for hit in page.hits) == [
        ("test.group", opened.pk),
        ("test.note", shut.pk),
    ]
    assert page.count == 2


def test_the_ids_of_a_window_narrow_a_scope_to_exactly_those_rows():
    """``_narrowed`` (the ids as one parameter: ``= ANY`` on PostgreSQL, ``json_each`` on
    SQLite) keeps the scope's own conditions and adds only the ids, repeated or unknown ones
    included; no ids, no rows."""
    from ilonet.search.selectors import _narrowed

    groups = [Group.objects.create(name=f"n{n}") for n in range(6)]
    scope = Group.objects.exclude(name="n2").values("pk")
    wanted = [groups[1].pk, groups[2].pk, groups[1].pk, groups[4].pk, 10**9]
    assert sorted(_narrowed(scope, wanted).values_list("pk", flat=True)) == [groups[1].pk, groups[4].pk]
    assert list(_narrowed(scope, [])) == []


def test_confirming_a_window_reads_no_entry_again(add):
    """The kinds and objects of a window come from the statement that ranks it (``Ranked``):
    confirming it reads the owner's scope only, one statement per kind, and no entry of the
    index a second time. The confirmed page is the one the scope allows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    groups = [Group.objects.create(name=f"g{n}") for n in range(4)]
    for group in groups:
        add(group.pk, kind="test.group", title=f"Group {group.name}", body="Return flows.")
    scope = Group.objects.exclude(name="g2").values("pk")

    def entry_statements(**confirm):
        with CaptureQueriesContext(connection) as queries:
            page = search("return", allowed=["space:1"], per_page=50, **confirm)
        return page, [q["sql"] for q in queries.captured_queries if "search_entry" in q["sql"]]

    plain, plain_statements = entry_statements()
    confirmed, confirmed_statements = entry_statements(confirm={"test.group": scope})
    assert len(confirmed_statements) == len(plain_statements)
    assert plain.count == 4
    assert sorted(hit.object_id for hit in confirmed.hits) == sorted(g.pk for g in groups if g.name != "g2")
    assert confirmed.count == 3
