"""The second wall: on PostgreSQL, row-level security by member state under the queryset scope
(RS 2(c)). A raw query that forgets the scope returns no other member state's rows, for the
application's own database role (not a superuser, no BYPASSRLS: the policies are FORCEd on the
tables' owner). On SQLite there is no row-level security: the queryset scope is the only wall,
and the test proves that one."""

import pytest
from django.db import DatabaseError, connection, transaction

from ilonet import policy
from ilonet.returns import dbsql, rls
from ilonet.returns.models import ReturnCase

pytestmark = pytest.mark.django_db

TABLES = dbsql.RLS_TABLES


def _count(table="returns_returncase", where=""):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT member_state, count(*) FROM {table} {where} GROUP BY member_state ORDER BY 1")  # noqa: S608
        return dict(cursor.fetchall())


@pytest.fixture
def two_states(open_case, german_officer):
    from ilonet.returns.services import cases

    from .conftest import PERSON

    dutch = open_case()
    german = cases.open_case(actor=german_officer, case_type="voluntary", third_country="TN", person=PERSON)
    return dutch, german


@pytest.fixture
def application_role():
    """The role the queries run as: the application's own when it is bound by the policies;
    under a superuser (some CI set-ups) a plain role made for the test, as the application's
    role must be (STACK.md)."""
    privileged = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
            privileged = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        if privileged and connection.vendor == "postgresql":
            cursor.execute("CREATE ROLE ilonet_rls_probe NOLOGIN NOSUPERUSER NOBYPASSRLS")
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE ON {', '.join(TABLES)} TO ilonet_rls_probe")
            cursor.execute("SET ROLE ilonet_rls_probe")
    yield
    if privileged:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def test_a_raw_query_that_forgets_the_scope_sees_no_other_member_states_rows(
    two_states, officer, application_role
):
    dutch, german = two_states
    if connection.vendor != "postgresql":
        # no row-level security on SQLite: the raw query sees both, and only the queryset scope holds
        assert _count() == {"DE": 1, "NL": 1}
        scoped = policy.scope(officer, policy.Action.VIEW_RETURN_CASES, ReturnCase.objects.all())
        assert list(scoped.values_list("member_state", flat=True)) == ["NL"]
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        role = cursor.fetchone()
    assert role == (False, False), "the test database's role must be bound by row-level security"
    for table in TABLES:
        assert _count(table) == {}, f"{table}: rows visible without a member-state scope"
    with rls.scope_for(officer):
        assert _count() == {"NL": 1}
        assert _count("returns_caseevent") == {"NL": 1}
        assert _count("returns_namedigest").keys() == {"NL"}
        assert list(ReturnCase.objects.values_list("member_state", flat=True)) == ["NL"]  # even the ORM
    with rls.member_state_scope(["DE"]):
        assert _count() == {"DE": 1}
    with rls.system_scope():
        assert _count() == {"DE": 1, "NL": 1}


def test_a_row_of_another_member_state_cannot_be_written_in_a_scope(two_states, officer, application_role):
    if connection.vendor != "postgresql":
        assert "FORCE ROW LEVEL SECURITY" in " ".join(dbsql.POSTGRES)
        return
    with (
        pytest.raises(DatabaseError, match="row-level security"),
        rls.scope_for(officer),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE returns_returncase SET member_state = 'DE'")


def test_scopes_nest_and_restore_the_outer_one(two_states, officer):
    if connection.vendor != "postgresql":
        assert rls.current() == ""
        return
    with transaction.atomic(), rls.scope_for(officer):
        with rls.system_scope():
            assert rls.current() == "*"
        assert rls.current() == "NL"


def test_every_table_of_a_case_is_under_the_policy():
    from django.apps import apps

    models = list(apps.get_app_config("returns").get_models())
    by_state = set(TABLES) | set(dbsql.LIVE_INTERCHANGE_RLS_TABLES)
    assert {m._meta.db_table for m in models} == by_state | {dbsql.ROW_ERRORS}
    for model in models:  # every table has its member state, or reaches it through its import run
        names = {f.name for f in model._meta.fields}
        assert "member_state" in names or (model._meta.db_table == dbsql.ROW_ERRORS and "run" in names)
    statements = dbsql.POSTGRES + dbsql.INTERCHANGE_POSTGRES
    for table in [*by_state, dbsql.ROW_ERRORS]:
        assert f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY" in statements
        assert any(s.startswith(f"CREATE POLICY {table}_by_") for s in statements)


@pytest.mark.django_db(transaction=True)
def test_a_scope_sets_its_value_once_and_a_nested_scope_of_the_same_value_sets_nothing():
    """The scope that opens the transaction sets the value and leaves it to the transaction's end
    (nothing read back, nothing restored); a nested scope of another value sets it and restores
    the outer one; a nested scope of the same value sets nothing; an inner scope that fails
    leaves the outer value (its savepoint's rollback). (No user: a transactional test runs after
    others have emptied the tables; ``scope_for(user)`` is ``member_state_scope`` of their states.)"""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured, rls.member_state_scope(["NL"]):
        with rls.member_state_scope(["nl"]):
            same = rls.current()
        with rls.system_scope():
            system = rls.current()
        with pytest.raises(ValueError), rls.member_state_scope(["DE"]):
            raise ValueError
        after = rls.current()
    statements = [q["sql"] for q in captured if "app.member_state" in q["sql"]]
    if connection.vendor != "postgresql":
        assert statements == [] and same == system == after == ""  # plain transactions on SQLite
        return
    assert (same, system, after) == ("NL", "*", "NL")
    assert [s.split("(")[0] for s in statements] == [
        "SELECT set_config",  # NL, opening the transaction
        "SELECT current_setting",  # the test's own look (same)
        "SELECT set_config",  # *
        "SELECT current_setting",  # the test's own look (system)
        "SELECT set_config",  # NL again
        "SELECT set_config",  # DE, rolled back with its savepoint
        "SELECT current_setting",  # the test's own look (after)
    ]
    with transaction.atomic():
        assert rls.current() == ""  # the setting ended with the scope's transaction
