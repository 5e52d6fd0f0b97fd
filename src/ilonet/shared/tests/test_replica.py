"""Reads from the replica (ilonet.shared.replica): the report pages read there when it is usable,
and answer from the primary when it is down; writes, access decisions and transactions stay on
the primary.

The tests add a ``replica`` alias to the connections for their duration: one to the test
database itself (a second connection, as a real replica would be), or one to a closed port.
They run outside the test transaction (``transaction=True``): inside a transaction on the
primary every read stays there, by design.
"""

import socket

import pytest
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ilonet.accounts.models import User
from ilonet.accounts.roles import Role
from ilonet.directory.models import Organisation
from ilonet.directory.services import ensure_reference_organisations
from ilonet.shared import replica

pytestmark = pytest.mark.django_db(transaction=True)

REPORT_PAGES = ["indicators:dashboard", "indicators:cases", "cooperation:overview"]
SITUATION_PAGES = ["situation_reports:overview", "situation_reports:coverage_map"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the socket is: nothing listens there


@pytest.fixture(autouse=True)
def reference(transactional_db):
    """Transactional tests start from a flushed database: load the reference organisations."""
    ensure_reference_organisations()


@pytest.fixture
def add_replica(monkeypatch):
    """add_replica(settings_dict): the alias ``replica`` for this test only. Django's test case
    refuses connections to aliases it was not told of; the one added here is let through."""
    patched = BaseDatabaseWrapper.ensure_connection
    cells = [cell.cell_contents for cell in patched.__closure__ or ()]
    real = next((c for c in cells if getattr(c, "__name__", "") == "ensure_connection"), patched)

    def ensure_connection(self, *args, **kwargs):
        return (real if self.alias == replica.REPLICA else patched)(self, *args, **kwargs)

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", ensure_connection)

    def add(settings_dict: dict) -> None:
        configured = connections.configure_settings(
            {"default": connections.settings["default"], replica.REPLICA: settings_dict}
        )
        connections.settings[replica.REPLICA] = configured[replica.REPLICA]
        replica.forget_state()

    yield add
    if replica.REPLICA in connections.settings:
        connections[replica.REPLICA].close()
        del connections[replica.REPLICA]
        del connections.settings[replica.REPLICA]
    replica.forget_state()


@pytest.fixture
def same_database_replica(add_replica):
    """A second connection to the test database, standing in for a replica in sync."""
    add_replica(dict(connections["default"].settings_dict, TEST={}))


@pytest.fixture
def closed_port_replica(add_replica):
    """A PostgreSQL replica on a port where nothing listens."""
    add_replica({
        "ENGINE": "django.db.backends.postgresql", "NAME": "ilonet", "USER": "ilonet",
        "PASSWORD": "ilonet", "HOST": "127.0.0.1", "PORT": str(_closed_port()),
        "OPTIONS": {"connect_timeout": 2}, "TEST": {},
    })  # fmt: skip


def _coordinator_client(make_user, login):
    return login(make_user(Role.RETURN_COORDINATOR, organisation="com"))


def _board_client(make_user, login):
    return login(make_user(Role.CHAIR, organisation="com"))


def test_without_a_replica_nothing_is_routed_and_every_read_is_on_the_primary(make_user, login):
    assert replica.REPLICA not in connections.settings
    with replica.replica_reads() as usable:
        assert usable is False
        assert router.db_for_read(Organisation) == "default"
    assert replica.replica_state() == (replica.ABSENT, None)
    assert _coordinator_client(make_user, login).get(reverse("indicators:dashboard")).status_code == 200


@pytest.mark.parametrize("name", REPORT_PAGES)
def test_report_pages_read_from_the_replica_when_it_is_usable(same_database_replica, make_user, login, name):
    client = _coordinator_client(make_user, login)
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert len(on_replica.captured_queries) > 1  # the lag check, then the page's reads
    # who may do what is read from the primary, never from a replica that may lag
    assert not [q for q in on_replica.captured_queries if "accounts_roleassignment" in q["sql"]]


@pytest.mark.parametrize("name", SITUATION_PAGES)
def test_situation_report_overviews_read_from_the_replica(same_database_replica, make_user, login, name):
    client = _board_client(make_user, login)
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert len(on_replica.captured_queries) > 1


def test_pages_not_wrapped_never_read_from_the_replica(same_database_replica, make_user, login):
    client = _coordinator_client(make_user, login)
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
        assert client.get(reverse("indicators:obstacles")).status_code == 200
    assert on_replica.captured_queries == []


def test_writes_transactions_and_access_models_stay_on_the_primary(same_database_replica):
    with replica.replica_reads() as usable:
        assert usable is True
        assert router.db_for_read(Organisation) == "replica"
        assert router.db_for_write(Organisation) == "default"
        assert router.db_for_read(User) == "default"
        with transaction.atomic():
            assert router.db_for_read(Organisation) == "default"
    assert router.db_for_read(Organisation) == "default"
    assert router.allow_migrate("replica", "directory") is False


@pytest.mark.parametrize("name", REPORT_PAGES)
def test_report_pages_answer_from_the_primary_when_the_replica_port_is_closed(
    closed_port_replica, make_user, login, name
):
    client = _coordinator_client(make_user, login)
    assert client.get(reverse(name)).status_code == 200
    assert replica.replica_state()[0] == replica.DOWN


def test_a_replica_failing_during_the_page_is_marked_down_and_the_page_built_on_the_primary(
    closed_port_replica, make_user, login, monkeypatch
):
    client = _coordinator_client(make_user, login)
    monkeypatch.setattr(replica, "_check", lambda: (replica.OK, 0.0))  # judged usable, then fails
    assert client.get(reverse("indicators:dashboard")).status_code == 200
    assert replica.replica_state()[0] == replica.DOWN


def test_a_replica_lagging_more_than_allowed_is_not_read(same_database_replica, monkeypatch, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 5.0

    class Lagging:
        vendor = "postgresql"

        def cursor(self):
            return self

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            assert "pg_last_xact_replay_timestamp" in sql

        def fetchone(self):
            return (42.0,)

        def close(self):
            pass

    monkeypatch.setitem(connections._connections.__dict__, replica.REPLICA, Lagging())
    with replica.replica_reads() as usable:
        assert usable is False
        assert router.db_for_read(Organisation) == "default"
    assert replica.replica_state() == (replica.LAGGING, 42.0)
