"""The networks' summaries kept by a process (``ilonet.networks.kept``) are those a fresh
computation gives, whatever writes the rows they are computed from: the database moves their
generation by triggers (migration ``networks/0003_summary_generation``), so no service has to
remember to.

The first test discovers what to check: it runs the computation, reads from its SQL every table
and column a summary is computed from, and writes each of them by raw SQL (no service, no
signal), asserting that every write moves the generation. A new column read by a summary, a
table read that has no trigger, or a migration that rebuilds a table on SQLite and drops its
triggers fails it."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ilonet.accounts.models import User
from ilonet.deployments.models import Deployment, DeploymentStatus
from ilonet.directory.models import Organisation, OrganisationKind
from ilonet.networks import kept, selectors, services
from ilonet.networks.models import FacilitatorAgreement, NetworkCountry
from ilonet.networks.tests.test_summaries import seeded_networks

pytestmark = pytest.mark.django_db

GENERATION_TABLE = "networks_summarygeneration"


class _RolledBack(Exception):
    pass


def _fresh(ids):
    codes = selectors.country_codes_by_network(ids)
    return selectors._computed_summaries(ids, codes)


def _listed(ids):
    return selectors.network_summaries_by_id(ids, selectors.country_codes_by_network(ids))


def _sources(ids) -> tuple[dict[str, set[str]], set[str]]:
    """Table -> the columns a summary's computation reads (every path: the cheaper one and the
    reference of every tier), and the tables it reads rows from (FROM) rather than reaching them
    through a join."""
    with CaptureQueriesContext(connection) as queries:
        codes = selectors.country_codes_by_network(ids)
        selectors._computed_summaries(ids, codes)
        selectors._network_summaries_of_every_tier(ids, codes, selectors.latest_agreements(ids))
    columns: dict[str, set[str]] = {}
    driving: set[str] = set()
    for query in queries.captured_queries:
        sql = query["sql"]
        for table in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', sql):
            columns.setdefault(table, set())
        driving.update(re.findall(r'FROM\s+"(\w+)"', sql))
        for table, column in re.findall(r'"(\w+)"\."(\w+)"', sql):
            columns.setdefault(table, set()).add(column)
    return columns, driving


def _moves(sql: str, params=()) -> bool:
    """Whether this write moves the generation (run in a savepoint, then rolled back)."""
    before = kept.generation()
    moved = None
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                assert cursor.rowcount != 0, sql  # the write touched rows
            moved = kept.generation() != before
            raise _RolledBack
    except _RolledBack:
        pass
    return bool(moved)


def _text_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return {
        column.name
        for column in description
        if connection.introspection.get_field_type(column.type_code, column) in ("CharField", "TextField")
    }


def test_every_table_and_column_a_summary_reads_moves_the_generation(make_user):
    ids = [n.pk for n in seeded_networks(make_user, seed=4)]
    columns, driving = _sources(ids)
    assert GENERATION_TABLE not in columns
    # What the computation is known to read today: the discovery found it (a regex that found
    # nothing would make the checks below vacuous).
    assert {
        "deployments_deployment",
        "networks_network",
        "networks_networkcountry",
        "networks_facilitatoragreement",
    } <= driving
    assert {"first_name", "last_name", "email"} <= columns["accounts_user"]
    assert {"kind", "name_nl"} <= columns["directory_organisation"]
    refused = []
    for table, read in sorted(columns.items()):
        with connection.cursor() as cursor:
            pk = connection.introspection.get_primary_key_column(cursor, table)
        texts = _text_columns(table)
        newest = f'"{pk}" = (SELECT MAX("{pk}") FROM "{table}")'
        for column in sorted(read - {pk}):
            # The newest row: a changed value where the column holds text (one character, so it
            # fits any length); the same value otherwise (a write that a trigger comparing old
            # with new would not see: such a table's trigger must count every write).
            change = (
                f"CASE WHEN \"{column}\" = 'x' THEN 'y' ELSE 'x' END" if column in texts else f'"{column}"'
            )
            if not _moves(f'UPDATE "{table}" SET "{column}" = {change} WHERE {newest}'):
                refused.append(f"update of {table}.{column}")
        if table in driving:
            # A row that appears or leaves: the newest row deleted, and put back.
            copy = f"kept_copy_{table}"
            with connection.cursor() as cursor:
                cursor.execute(
                    f'CREATE TEMPORARY TABLE "{copy}" AS SELECT * FROM "{table}" WHERE "{pk}" = '
                    f'(SELECT MAX("{pk}") FROM "{table}")'
                )
            if not _moves(f'DELETE FROM "{table}" WHERE "{pk}" IN (SELECT "{pk}" FROM "{copy}")'):
                refused.append(f"delete from {table}")
            with connection.cursor() as cursor:
                cursor.execute(f'DELETE FROM "{table}" WHERE "{pk}" IN (SELECT "{pk}" FROM "{copy}")')
            if not _moves(f'INSERT INTO "{table}" SELECT * FROM "{copy}"'):
                refused.append(f"insert into {table}")
            with connection.cursor() as cursor:
                cursor.execute(f'INSERT INTO "{table}" SELECT * FROM "{copy}"')
                cursor.execute(f'DROP TABLE "{copy}"')
    assert not refused, f"writes that leave a kept summary stale: {refused}"


def test_a_kept_summary_follows_every_kind_of_change(make_user):
    """Bulk updates (no service, no signal) of each input of Art. 5(1) and Art. 5(2): a list
    read after each gives what a fresh computation gives."""
    networks = seeded_networks(make_user, seed=5)
    ids = [n.pk for n in networks]
    kept.forget()
    assert _listed(ids) == _fresh(ids)
    changes = [
        lambda: Deployment.objects.filter(
            pk=Deployment.objects.filter(status=DeploymentStatus.ACTIVE)
            .order_by("start_date")
            .values("pk")[:1]
        ).update(status=DeploymentStatus.ENDED),
        lambda: User.objects.filter(
            pk__in=Deployment.objects.filter(status=DeploymentStatus.ACTIVE).values("officer_id")
        ).update(first_name="Renamed"),
        lambda: Organisation.objects.filter(code="frontex").update(kind=OrganisationKind.EU_INSTITUTION),
        lambda: Organisation.objects.filter(code="com").update(acronym="EC-renamed"),
        lambda: NetworkCountry.objects.filter(
            pk=NetworkCountry.objects.filter(network_id=ids[0]).values("pk")[:1]
        ).update(country="BF"),
        lambda: FacilitatorAgreement.objects.all().delete(),
    ]
    before = _listed(ids)
    for number, change in enumerate(changes):
        change()
        listed = _listed(ids)
        assert listed == _fresh(ids), f"change {number}"
        assert listed != before, f"change {number} changed no summary: the check proves nothing"
        before = listed


def test_a_change_rolled_back_is_never_served(make_user):
    """A transaction that changed the rows reads (and keeps) summaries of its own uncommitted
    generation; after its rollback and another change, the list gives the fresh summaries."""
    networks = seeded_networks(make_user, seed=6)
    ids = [n.pk for n in networks]
    active = Deployment.objects.filter(status=DeploymentStatus.ACTIVE).order_by("start_date")
    try:
        with transaction.atomic():
            active.filter(pk=active.values("pk")[:1]).update(status=DeploymentStatus.ENDED)
            _listed(ids)
            raise _RolledBack
    except _RolledBack:
        pass
    User.objects.filter(pk__in=active.values("officer_id")).update(last_name="Other")
    assert _listed(ids) == _fresh(ids)


def test_kept_summaries_are_per_language(make_user):
    """An authority's name is read in the reader's language: the Dutch list does not get the
    English names kept for an English one."""
    networks = seeded_networks(make_user, seed=7)
    ids = [n.pk for n in networks]
    Organisation.objects.update(acronym="")
    Organisation.objects.update(name_nl="Nederlandse naam")
    kept.forget()
    with translation.override("en"):
        english = _listed(ids)
    with translation.override("nl"):
        dutch = _listed(ids)
        assert dutch == _fresh(ids)
    assert dutch != english


def test_a_list_of_kept_summaries_reads_one_row_per_slot_and_no_member(make_user):
    networks = seeded_networks(make_user, seed=8)
    ids = [n.pk for n in networks]
    codes = selectors.country_codes_by_network(ids)
    kept.forget()
    with CaptureQueriesContext(connection) as first:
        selectors.network_summaries_by_id(ids, codes)
    with CaptureQueriesContext(connection) as second:
        again = selectors.network_summaries_by_id(ids, codes)
    assert again == _fresh(ids)
    assert len(first) > 1
    assert [q["sql"] for q in second.captured_queries] == [kept._GENERATION]


def test_readers_of_both_languages_keep_each_others_summaries(make_user):
    """An English list after a Dutch one (and back) computes nothing again: a summary is kept
    per network and language, not replaced by the other language's."""
    networks = seeded_networks(make_user, seed=10)
    ids = [n.pk for n in networks]
    codes = selectors.country_codes_by_network(ids)
    kept.forget()
    for language in ("en", "nl"):
        with translation.override(language):
            selectors.network_summaries_by_id(ids, codes)
    for language in ("en", "nl"):
        with translation.override(language):
            with CaptureQueriesContext(connection) as again:
                listed = selectors.network_summaries_by_id(ids, codes)
            assert listed == _fresh(ids)
        assert [q["sql"] for q in again.captured_queries] == [kept._GENERATION]


def test_a_new_network_is_computed_beside_the_kept_ones(make_user):
    networks = seeded_networks(make_user, seed=9)
    ids = [n.pk for n in networks]
    _listed(ids)
    secretariat = User.objects.filter(role_assignments__role="secretariat").first()
    created = services.create_network(actor=secretariat, name="Late network", kind="local", countries=["MA"])
    ids.append(created.pk)
    assert _listed(ids) == _fresh(ids)
