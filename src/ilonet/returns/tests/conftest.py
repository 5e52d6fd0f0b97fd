import pytest
from django.test import Client

from ilonet.accounts.roles import Role
from ilonet.accounts.testing import record_second_factor
from ilonet.returns import rls
from ilonet.returns.services import cases as case_services


def peek(read):
    """A test's own look at the tables, under the system scope (on PostgreSQL row-level security
    shows nothing without a scope)."""
    with rls.system_scope():
        return read()


PERSON = {
    "names": [
        {"family": "Benali", "given": "Karim", "script": "latin"},
        {"family": "بنعلي", "given": "كريم", "script": "arabic"},
    ],
    "birth_date": "1990-04-01",
    "birth_place": "Casablanca",
    "nationalities": ["MA"],
    "documents": [
        {"type": "passport", "number": "X1234567", "issuing_country": "MA", "valid_until": "2030-01-31"}
    ],
}


@pytest.fixture(autouse=True)
def key_dir(settings, tmp_path):
    """Each test its own key store (the person's data keys)."""
    settings.PERSONAL_DATA_KEY_DIR = tmp_path / "keys"
    return settings.PERSONAL_DATA_KEY_DIR


@pytest.fixture
def every_member_state():
    """Every member state's rows readable (PostgreSQL: row-level security's system scope), for the
    import and export tests that read what a run wrote across states; the import and export open
    their own member state's scope inside it. Named, not autouse: the isolation tests must not
    run under it."""
    with rls.system_scope():
        yield


@pytest.fixture
def officer(make_user):
    return make_user("return_officer", organisation="nl", first_name="Anna", last_name="de Vries")


@pytest.fixture
def second_officer(make_user):
    return make_user("return_officer", organisation="nl", first_name="Bram", last_name="Jansen")


@pytest.fixture
def german_officer(make_user):
    return make_user("return_officer", organisation="de")


@pytest.fixture
def open_case(officer):
    def make(case_type="enforced", third_country="MA", person=None, **more):
        return case_services.open_case(
            actor=officer, case_type=case_type, third_country=third_country, person=person or PERSON, **more
        )

    return make


def client_for(user, language: str = "en") -> Client:
    """A signed-in client of ``user`` with a recent second factor, asking in ``language``."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    record_second_factor(client, user)
    return client


@pytest.fixture
def colleague(make_user):
    return make_user(Role.RETURN_OFFICER, organisation="nl")


@pytest.fixture
def belgian(make_user):
    return make_user(Role.RETURN_OFFICER, organisation="be")
