"""Every event, name digest and worklist entry names a case of its own member state, and a case
named by them is never deleted or given another id. On PostgreSQL the rule is held once per
statement by triggers (``dbsql.CASE_REFERENCES_POSTGRES``, migration 0009) instead of a foreign
key's query per row; SQLite keeps its foreign keys. The bulk import's look-ups of held ids probe
an index per id whatever the table's statistics say (``batch.KNOWN_SQL``,
``persons.CANDIDATES_SQL``)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from ilonet.returns import dbsql
from ilonet.returns.interchange import batch as batch_module
from ilonet.returns.interchange import persons
from ilonet.returns.models import CaseEvent, NameDigest, ReturnCase, WorklistEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("every_member_state")]

CHILDREN = {
    "returns_caseevent": lambda case_id, state: CaseEvent(
        case_id=case_id, member_state=state, seq=99, kind="case_closed", occurred_on=date(2025, 3, 1)
    ),
    "returns_namedigest": lambda case_id, state: NameDigest(
        case_id=case_id, member_state=state, digest="d" * 40
    ),
    "returns_worklistentry": lambda case_id, state: WorklistEntry(
        case_id=case_id,
        member_state=state,
        rule="no_return_decision",
        since=date(2025, 1, 1),
        due_on=date(2025, 2, 1),
    ),
}


def _refused(make) -> None:
    """``make`` writes rows that name no case (of their member state): refused when the statement
    ends (PostgreSQL) or when the transaction's foreign keys are checked (SQLite)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()
        connection.check_constraints()


@pytest.mark.parametrize("table", sorted(CHILDREN))
def test_a_row_naming_no_case_is_refused(table, open_case):
    case = open_case()
    make = CHILDREN[table]
    _refused(lambda: type(make(0, "NL")).objects.bulk_create([make(case.pk + 10_000, "NL")]))
    assert not type(make(0, "NL")).objects.filter(case_id=case.pk + 10_000).exists()


@pytest.mark.parametrize("table", sorted(CHILDREN))
def test_a_row_naming_a_case_of_another_member_state_is_refused(table, open_case):
    """PostgreSQL only (SQLite's foreign key knows no member state): a Dutch case's row marked
    German is refused, even under the system scope that may write both."""
    if connection.vendor != "postgresql":  # SQLite's foreign key knows the case only
        assert "c.member_state = n.member_state" in " ".join(dbsql.CASE_REFERENCES_POSTGRES)
        return
    case = open_case()
    make = CHILDREN[table]
    _refused(lambda: type(make(0, "NL")).objects.bulk_create([make(case.pk, "DE")]))


def test_one_statement_of_many_rows_is_refused_whole_when_one_names_no_case(open_case):
    case = open_case()
    rows = [NameDigest(case_id=case.pk, member_state="NL", digest=f"{i:040d}") for i in range(50)]
    rows.append(NameDigest(case_id=case.pk + 10_000, member_state="NL", digest="f" * 40))
    _refused(lambda: NameDigest.objects.bulk_create(rows))
    assert not NameDigest.objects.filter(digest__startswith="0000").exists()


def test_rows_naming_their_cases_are_written(open_case):
    case = open_case()
    NameDigest.objects.bulk_create([NameDigest(case_id=case.pk, member_state="NL", digest="e" * 40)])
    connection.check_constraints()
    assert NameDigest.objects.filter(case=case, digest="e" * 40).exists()


def test_a_case_named_by_its_rows_is_neither_deleted_nor_moved(open_case):
    """A foreign key's NO ACTION, by the database (the ORM's PROTECT is not asked: raw SQL)."""
    case = open_case()
    assert CaseEvent.objects.filter(case=case).exists()
    for sql in (
        "DELETE FROM returns_returncase WHERE id = %s",
        "UPDATE returns_returncase SET id = id + 100000 WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [case.pk])
            connection.check_constraints()
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE returns_returncase SET member_state = 'DE' WHERE id = %s", [case.pk])
    assert ReturnCase.objects.filter(pk=case.pk, member_state="NL").exists()


def test_a_case_no_row_names_may_be_deleted_and_an_unchanged_save_passes(open_case):
    case = open_case()
    case.save()  # every column written again, its id and member state unchanged
    bare = ReturnCase.objects.get(pk=case.pk)
    bare.pk, bare.reference, bare.person_ref = None, "NL-BARE", "rcbare"
    bare.save()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM returns_returncase WHERE id = %s", [bare.pk])
    assert not ReturnCase.objects.filter(pk=bare.pk).exists()


def test_the_triggers_replace_the_foreign_keys_on_postgresql_only():
    with connection.cursor() as cursor:
        for table in dbsql.CASE_CHILDREN:
            keys = [
                info
                for info in connection.introspection.get_constraints(cursor, table).values()
                if info["foreign_key"] == (dbsql.CASES, "id")
            ]
            assert len(keys) == (0 if connection.vendor == "postgresql" else 1), table


def _plan(sql: str, params: list) -> str:
    """The plan of ``sql`` with sequential scans ruled out: this test's tables are a few rows, and
    a scan of a few rows per id is what the planner rightly picks for them; the question is the
    shape (one probe per id, by the index) at a size where a scan is no option."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        return json.dumps(cursor.fetchone()[0])


def test_held_ids_are_looked_up_by_one_index_probe_each(open_case):
    """The tables' statistics here are as old as a first national import's (none): the plans
    still probe the unique index once per id, never read the member state's rows whole."""
    open_case()
    ids = [f"X{i}" for i in range(5000)]
    digests = {f"{i:040x}" for i in range(5000)}
    if connection.vendor != "postgresql":  # the same look-ups by the ORM, over the same indexes
        events = CaseEvent.objects.filter(member_state="NL", external_id__in=ids).explain()
        names = NameDigest.objects.filter(member_state="NL", digest__in=digests).explain()
        assert "returns_event_external_id_once" in events and "returns_digest_lookup" in names
        return
    for sql, params, index in (
        (batch_module.KNOWN_SQL, ["case_opened", ",".join(ids), "NL"], "returns_event_external_id_once"),
        (persons.CANDIDATES_SQL, [",".join(sorted(digests)), "NL"], "returns_digest_lookup"),
    ):
        plan = _plan(sql, params)
        assert '"Nested Loop"' in plan and '"Function Name": "unnest"' in plan, plan[:400]
        assert index in plan and "= wanted." in plan, plan[:600]  # probed by each wanted id
        assert "returns_event_kind" not in plan, plan[:400]


def test_held_ids_are_probed_by_their_unique_index_when_the_statistics_know_no_row_of_the_state(open_case):
    """The statistics know many rows, none of the member state looked up (a national import's
    later batches, while the statistics are older than its first rows). Measured at 1,000,000
    cases: planned for the state's literal code, estimated at one row, the look-up read every
    event of the state through the index on (member state, kind, date) once per id, 11 to 15 s
    a batch and growing. The state goes in as a parameter the planner does not see, so both
    indexes' estimates are the average state's, and only the unique one is a probe per id."""
    case = open_case()
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case_id=case.pk,
            member_state="NL",
            seq=seq,
            kind="counselling_session",
            occurred_on=date(2025, 3, 1),
            fields={},
            external_id=f"NL-E{seq}",
        )
        for seq in range(2, 3002)
    )
    NameDigest.objects.bulk_create(
        NameDigest(case_id=case.pk, member_state="NL", digest=f"{i:040x}") for i in range(3000)
    )
    with connection.cursor() as cursor:  # both tables' statistics stated here, never left to autovacuum:
        # a few rows analysed by it in an earlier test made a scan the cheaper plan (CI, once)
        cursor.execute("ANALYZE returns_caseevent")  # SQLite: its own statistics, sqlite_stat1
        cursor.execute("ANALYZE returns_namedigest")
    ids = ",".join(f"X{i}" for i in range(500))
    if connection.vendor != "postgresql":  # the same look-up by the ORM, over the same index
        plan = CaseEvent.objects.filter(member_state="BE", external_id__in=ids.split(",")).explain()
        assert "returns_event_external_id_once" in plan, plan
        return
    for state in ("BE", "NL"):  # known to the statistics by none of its rows, and by 3,000
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + batch_module.KNOWN_SQL, ["case_opened", ids, state])
            plan = json.dumps(cursor.fetchone()[0])
        assert "returns_event_external_id_once" in plan and "= wanted." in plan, plan[:600]
        assert "returns_event_kind" not in plan and "Seq Scan" not in plan, plan[:600]
        assert f"'{state}'" not in plan, plan[:600]  # planned for any state, not for this one's estimate
        with connection.cursor() as cursor:  # the name digests' look-up, the same way
            cursor.execute("EXPLAIN (FORMAT JSON) " + persons.CANDIDATES_SQL, [f"{1:040x}", state])
            plan = json.dumps(cursor.fetchone()[0])
        assert "returns_digest_lookup" in plan and f"'{state}'" not in plan, plan[:600]
