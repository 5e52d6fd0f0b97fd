"""The PostgreSQL query: every form of every term under every configuration, each form once (a
repeated form changes neither the matches nor ``ts_rank``, but made the planner take a word for
five times as common as it is, and walk the whole table)."""

from ilonet.search.query import Query, tsquery_text


def test_each_form_of_a_term_appears_once():
    assert tsquery_text([["'besluit'", "'besluit'", "'besluit'", "'besluit'", "'besluit'"]]) == "'besluit'"
    assert tsquery_text([["'decis'", "'decis'", "'decision'", "'decis'", "'decision'"]]) == (
        "( 'decis' ) | ( 'decision' )"
    )


def test_terms_are_all_required_and_a_term_every_configuration_drops_is_left_out():
    forms = [["'return'", "'return'"], ["", ""], ["'decis'", "'decision'"]]
    assert tsquery_text(forms) == "( 'return' ) & ( ( 'decis' ) | ( 'decision' ) )"
    assert tsquery_text([["", ""]]) == ""


def test_a_form_of_several_words_keeps_its_own_parentheses():
    assert tsquery_text([["'e' & 'mail'", "'email'"]]) == "( 'e' & 'mail' ) | ( 'email' )"


def test_the_forms_are_asked_of_each_configuration_for_each_term():
    sql, params = Query.parse("return decisions").tsquery_forms()
    assert sql.count("ARRAY[") == 2 and sql.count("plainto_tsquery(") == 10
    assert params == ["return"] * 5 + ["decisions"] * 5


def test_a_querys_share_of_the_entries_is_its_rarest_terms_forms_added(monkeypatch):
    from ilonet.search.backends import postgres

    shares = {"return": 0.3, "decis": 0.1, "decision": 0.05, "e": 0.5, "mail": 0.2}
    monkeypatch.setattr(postgres, "_word_frequencies", lambda: shares)
    assert postgres.match_fraction([["'return'", "'return'"]]) == 0.3
    assert round(postgres.match_fraction([["'decis'", "'decision'", ""]]), 6) == 0.15
    assert round(postgres.match_fraction([["'return'"], ["'decis'", "'decision'"]]), 6) == 0.15
    assert postgres.match_fraction([["'e' & 'mail'"]]) == 0.2  # both words of the form: the rarer
    assert postgres.match_fraction([["'unheard'"]]) == 0.0  # not among the common words: rare
    assert postgres.match_fraction([["", ""], ["'return'"]]) == 0.3  # a dropped term limits nothing
