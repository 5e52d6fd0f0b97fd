"""Shared test fixtures: people with roles, signed in with a real second factor."""

import itertools
import os
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from ilonet.accounts.models import RoleAssignment, User
from ilonet.accounts.testing import record_second_factor
from ilonet.directory.models import Organisation
from ilonet.shared.testing import TEST_PASSWORD, TOTP_SECRET

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Let the test database be flushed between transactional tests: a row in
    audit_maintenance lifts the append-only triggers (tests that prove them remove it)."""
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('test suite flushes')")


@pytest.fixture(autouse=True)
def _own_key_store(settings, tmp_path):
    """Every test gets key stores of its own (the data keys of ``ilonet.shared.envelope``)."""
    settings.PERSONAL_DATA_KEY_DIR = tmp_path / "keys"


@pytest.fixture(autouse=True)
def _own_audit_checkpoints(settings, tmp_path):
    """Every test gets a checkpoint file of its own: a checkpoint signed over another test's
    chain (the database is flushed between tests, the file is not) reads as a rewritten chain."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Dutch leaves Dutch active in the thread; every test starts in English."""
    from django.utils import translation

    yield
    translation.activate("en")


@pytest.fixture
def same_connection():
    """For in-process WSGI calls (schemathesis): as Django's test Client does, keep requests
    from closing the test's database connection (on PostgreSQL its transaction would be lost)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def make_user(db):
    """make_user(role=None, organisation="nl", scope=None, mfa=True, **fields) -> User."""

    def factory(role=None, *, organisation="nl", scope=None, mfa=True, **fields) -> User:
        org = Organisation.objects.get(code=organisation)
        email = fields.pop("email", f"user{next(_counter)}@example.eu")
        user = User.objects.create_user(email, TEST_PASSWORD, organisation=org, **fields)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if role is not None:
            scope_org = Organisation.objects.get(code=scope) if scope else None
            RoleAssignment.objects.create(user=user, role=role, organisation=scope_org)
        if mfa:
            TOTP.activate(user, TOTP_SECRET)
        return user

    return factory


@pytest.fixture
def login(client):
    """login(user) -> a test client signed in as user (session with second factor done)."""

    def sign_in(user):
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        record_second_factor(client, user)  # as allauth records the TOTP step of a login
        return client

    return sign_in


@pytest.fixture
def admin_user(make_user):
    return make_user("platform_admin", organisation="com", email="admin@example.eu")


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@pytest.fixture
def notices():
    """The notices handed to the notification hook (``ilonet.jobs.notify``) during the test."""
    from ilonet.jobs import notify

    seen: list = []
    previous = notify.register_notifier(seen.append)
    yield seen
    notify.register_notifier(previous)


# The security battery (`make security`, docs/security.md): the tests written for it carry
# `pytestmark = pytest.mark.security`; these files, written before, are marked here. The marker
# selects, it excludes nothing: `make test` runs them all.
SECURITY_TEST_FILES = frozenset(
    {
        "tests/test_access_matrix.py",
        "tests/test_url_access_matrix.py",
        "src/ilonet/audit/tests/test_tampering_campaign.py",
        "src/ilonet/exchange/tests/test_malicious_uploads.py",
        "tests/test_api_fuzz.py",
        "tests/test_authorisation_path.py",
        "tests/test_deploy_check.py",
        "tests/test_view_permissions.py",
        "src/ilonet/accounts/tests/test_login.py",
        "src/ilonet/accounts/tests/test_login_behind_proxy.py",
        "src/ilonet/accounts/tests/test_token_step_up.py",
        "src/ilonet/api/tests/test_api_robustness.py",
        "src/ilonet/audit/tests/test_chain.py",
        "src/ilonet/audit/tests/test_keyed_chain.py",
        "src/ilonet/deployments/tests/test_contact_details_sealed.py",
        "src/ilonet/personaldata/tests/test_access_log.py",
        "src/ilonet/personaldata/tests/test_erasure_and_encryption.py",
        "src/ilonet/returns/tests/test_row_level_security.py",
        "src/ilonet/shared/tests/test_crypto.py",
        "src/ilonet/shared/tests/test_exports.py",
        "src/ilonet/shared/uploads/tests/test_inspect.py",
        "src/ilonet/shared/uploads/tests/test_scan.py",
        "src/ilonet/site/tests/test_cache_control.py",
    }
)


def pytest_collection_modifyitems(config, items):
    """Marks the security battery's older files; deselects the end-to-end run of the production
    topology (tests/test_prod_local.py, minutes on two cores) unless asked for: `make
    prod-local-test` (pytest -m prod_local)."""
    root = Path(str(config.rootpath))
    for item in items:
        try:
            name = Path(str(item.path)).relative_to(root).as_posix()
        except ValueError:
            continue
        if name in SECURITY_TEST_FILES:
            item.add_marker(pytest.mark.security)
    if "prod_local" in (config.option.markexpr or ""):
        return
    apart = {"prod_local"}
    # The fault tests (tests/faults) start their own PostgreSQL cluster and servers, whatever the
    # suite's database: `make test` runs them once, in its SQLite run; CI's PostgreSQL run of the
    # same suite would only repeat them (minutes) against the same cluster.
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if on_postgres and not re.search(r"(?<!not )\bfaults\b", config.option.markexpr or ""):
        apart.add("faults")  # unless asked for by name (`make faults`: -m "faults or faults_long")
    chosen = [item for item in items if not any(item.get_closest_marker(m) for m in apart)]
    if len(chosen) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen
