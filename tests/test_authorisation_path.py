"""One audited authorisation path: a refused call leaves exactly one ``permission.denied``
audit event, on SQLite and PostgreSQL.

These tests find what they check by themselves (no hand-kept list): every public function of
every ``services`` module of every ILOnet app, and every operation of the REST API. A new
service function or endpoint is covered the day it is written, and fails here if it does not
authorise (before its transaction) or does not declare its action.
"""

import importlib
import inspect
import json
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from types import ModuleType

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from ninja.errors import ConfigError

from ilonet import policy
from ilonet.accounts import testing as account_testing
from ilonet.accounts.models import RoleAssignment
from ilonet.accounts.roles import Role
from ilonet.api.auth import SignedIn, TokenAuth
from ilonet.api.routing import OPENAPI_ACTION_KEY, PolicyRouter
from ilonet.audit.models import AuditEvent
from ilonet.policy.markers import is_system_operation
from ilonet.site.api import api

pytestmark = pytest.mark.django_db

DENIED = "permission.denied"

# Lead: remove "ilonet.audit" once the recorder's public functions (record, record_many, record_change,
# record_denial: the policy writes its denials through them) carry @system_operation.
SERVICE_APPS_NOT_YET_CHECKED = {"ilonet.audit"}
# Every router is a PolicyRouter now (board was the last); a prefix listed here would be skipped.
API_PREFIXES_NOT_YET_CHECKED: set[str] = set()


# --- discovery ---------------------------------------------------------------------------------


def _services_modules() -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if not config.name.startswith("ilonet."):
            continue
        name = f"{config.name}.services"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        yield module
        if hasattr(module, "__path__"):  # a services/ package: every module in it
            for info in pkgutil.walk_packages(module.__path__, f"{name}."):
                yield importlib.import_module(info.name)


def _public_service_functions() -> list[tuple[str, Callable]]:
    found = []
    for module in _services_modules():
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            found.append((f"{module.__name__}.{name}", fn))
    return found


def _app_of(qualified_name: str) -> str:
    return ".".join(qualified_name.split(".")[:2])


SERVICE_FUNCTIONS = _public_service_functions()
CHECKED_SERVICE_FUNCTIONS = [
    (name, fn) for name, fn in SERVICE_FUNCTIONS if _app_of(name) not in SERVICE_APPS_NOT_YET_CHECKED
]
AUTHORISING_SERVICE_FUNCTIONS = [
    (name, fn) for name, fn in CHECKED_SERVICE_FUNCTIONS if not is_system_operation(fn)
]


def _api_operations() -> list[tuple[str, str, object]]:
    """(method, URL with every path parameter set to 1, operation) for every API operation."""
    api.urls  # noqa: B018  (binds the routers)
    found = []
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            url = "/api/v1" + re.sub(r"\{[^}]*\}", "1", f"{bound.prefix}{path}")
            for operation in view.operations:
                for method in operation.methods:
                    found.append((bound.prefix, method, url, operation))
    return found


def _action_of(operation) -> policy.Action | tuple | SignedIn | None:
    actions = {getattr(callback, "action", None) for callback in operation.auth_callbacks}
    return actions.pop() if len(actions) == 1 else None


API_OPERATIONS = _api_operations()
CHECKED_OPERATIONS = [
    (method, url, operation)
    for prefix, method, url, operation in API_OPERATIONS
    if prefix not in API_PREFIXES_NOT_YET_CHECKED
]
GATED_OPERATIONS = [op for op in CHECKED_OPERATIONS if isinstance(_action_of(op[2]), policy.Action | tuple)]
WRITING_OPERATIONS = [op for op in GATED_OPERATIONS if op[0] != "GET"]


def _alternatives(action) -> tuple:
    return action if isinstance(action, tuple) else (action,)


def _refused_as(action) -> str:
    """The action a refusal is recorded under: the last of a tuple of alternatives."""
    return str(_alternatives(action)[-1])


def _ids(items) -> list[str]:
    return [
        item[0] if isinstance(item[0], str) and "." in item[0] else f"{item[0]} {item[1]}" for item in items
    ]


# --- helpers -----------------------------------------------------------------------------------


class Sentinel:
    """A harmless stand-in for every argument but the actor: any attribute is another sentinel,
    so a service that authorises first never gets to use it."""

    pk = None
    id = None

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return Sentinel()

    def __iter__(self):
        return iter(())

    def __str__(self) -> str:
        return "sentinel"


def _denials() -> int:
    return AuditEvent.objects.filter(action=DENIED).count()


def _sentinel_arguments(fn: Callable) -> dict[str, object]:
    return {
        name: Sentinel()
        for name, parameter in inspect.signature(fn).parameters.items()
        if name != "actor"
        and parameter.default is inspect.Parameter.empty
        and parameter.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    }


def _send(client, method: str, url: str, **extra):
    if method == "GET":
        return client.get(url, **extra)
    return client.generic(method, url, json.dumps({}), content_type="application/json", **extra)


# --- services ----------------------------------------------------------------------------------


def test_the_discovery_finds_the_services_of_every_app():
    apps_found = {_app_of(name) for name, _fn in SERVICE_FUNCTIONS}
    assert {"ilonet.accounts", "ilonet.deployments", "ilonet.directory", "ilonet.networks"} <= apps_found
    assert len(AUTHORISING_SERVICE_FUNCTIONS) >= 20


@pytest.mark.parametrize(("name", "fn"), CHECKED_SERVICE_FUNCTIONS, ids=_ids(CHECKED_SERVICE_FUNCTIONS))
def test_every_public_service_function_takes_an_actor_or_is_a_marked_system_operation(name, fn):
    assert "actor" in inspect.signature(fn).parameters or is_system_operation(fn), (
        f"{name}: a public service function takes actor= and authorises it; a job, hook or "
        "recorder is marked @system_operation; a read belongs in selectors"
    )


@pytest.mark.parametrize(
    ("name", "fn"), AUTHORISING_SERVICE_FUNCTIONS, ids=_ids(AUTHORISING_SERVICE_FUNCTIONS)
)
def test_every_service_refuses_a_user_without_roles_with_exactly_one_audited_denial(make_user, name, fn):
    actor = make_user(None)
    before = _denials()
    with pytest.raises(PermissionDenied):
        fn(actor=actor, **_sentinel_arguments(fn))
    assert _denials() - before == 1, f"{name}: authorise (audited) before the transaction, once"
    assert AuditEvent.objects.filter(action=DENIED).latest("seq").actor_id == actor.pk


# --- API ---------------------------------------------------------------------------------------


def test_the_discovery_finds_the_operations_of_every_router():
    prefixes = {prefix for prefix, *_rest in API_OPERATIONS}
    assert {"/accounts", "/audit", "/deployments", "/directory", "/networks", "/board"} <= prefixes


@pytest.mark.parametrize(("method", "url", "operation"), CHECKED_OPERATIONS, ids=_ids(CHECKED_OPERATIONS))
def test_every_api_operation_declares_its_action(method, url, operation):
    assert operation.auth_callbacks, f"{method} {url}: no authentication"
    assert _action_of(operation) is not None, (
        f"{method} {url}: declare the policy action (a PolicyRouter operation with action=)"
    )


@pytest.mark.parametrize(("method", "url", "operation"), GATED_OPERATIONS, ids=_ids(GATED_OPERATIONS))
def test_every_api_operation_refuses_a_user_without_roles_once_audited(
    make_user, login, method, url, operation
):
    user = make_user(None)
    client = login(user)
    before = _denials()
    response = _send(client, method, url)
    assert response.status_code == 403, f"{method} {url}: {response.status_code} {response.content[:200]}"
    assert _denials() - before == 1
    event = AuditEvent.objects.filter(action=DENIED).latest("seq")
    assert (event.actor_id, event.details["permission"]) == (user.pk, _refused_as(_action_of(operation)))


def test_operations_open_to_every_signed_in_user_are_reads_of_their_own_account(make_user, login):
    open_to_all = [(m, u) for m, u, op in CHECKED_OPERATIONS if isinstance(_action_of(op), SignedIn)]
    assert open_to_all == [("GET", "/api/v1/accounts/me")]
    assert login(make_user(None)).get("/api/v1/accounts/me").status_code == 200


@pytest.fixture
def read_only_token_of_a_user_with_every_office(make_user):
    """A user who may do every writing action with a write token (checked below)."""
    user = make_user(Role.PLATFORM_ADMIN)
    for role in (
        Role.CHAIR,
        Role.SECRETARIAT,
        Role.DEPLOYING_AUTHORITY,
        Role.ILO,
        Role.RETURN_COORDINATOR,
        # returns.* and cooperation.offer/request: a return officer of NL, the user's organisation
        Role.RETURN_OFFICER,
        Role.BOARD_MEMBER,  # board.vote needs a voting role
        Role.RETURN_OFFICER,  # indicators.submit_aggregates: a member state submits its own
    ):
        RoleAssignment.objects.create(user=user, role=role)
    _token, secret = account_testing.issue_api_token(actor=user, name="read", scope="read")
    policy.forget_roles(user)
    # The step-up actions (token changes) are allowed to this user only in a fresh session.
    policy.note_second_factor(user, time.time())
    return user, secret


@pytest.mark.parametrize(("method", "url", "operation"), WRITING_OPERATIONS, ids=_ids(WRITING_OPERATIONS))
def test_a_read_only_token_is_refused_every_writing_operation_once_audited(
    client, read_only_token_of_a_user_with_every_office, method, url, operation
):
    user, secret = read_only_token_of_a_user_with_every_office
    action = _action_of(operation)
    assert any(policy.can(user, one) for one in _alternatives(action)), (
        f"{action}: allowed with a write token"
    )
    before = _denials()
    response = _send(client, method, url, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403, f"{method} {url}: {response.status_code}"
    assert _denials() - before == 1
    assert AuditEvent.objects.filter(action=DENIED).latest("seq").details["permission"] == _refused_as(action)


# --- the router itself -------------------------------------------------------------------------


def test_an_operation_cannot_be_declared_without_a_policy_action():
    router = PolicyRouter()
    with pytest.raises(TypeError):
        router.get("/x")
    with pytest.raises(ConfigError):
        router.post("/x", action="board.view")
    with pytest.raises(ConfigError):
        router.get("/x", action=policy.Action.VIEW_BOARD, auth=None)


def test_alternative_actions_pass_on_any_and_are_refused_once(make_user, rf):
    either = (policy.Action.VIEW_BOARD, policy.Action.VIEW_DECISIONS)
    observer = make_user(Role.OBSERVER)  # may view the board, not its decisions
    before = _denials()
    assert TokenAuth(action=either).authenticate(rf.get("/"), "no-such-token") is None
    from ilonet.api.auth import _gate

    assert _gate(observer, either) is observer
    with pytest.raises(PermissionDenied):
        _gate(make_user(None), either)
    assert _denials() - before == 1
    assert (
        AuditEvent.objects.filter(action=DENIED).latest("seq").details["permission"] == "board.view_decisions"
    )


def test_the_openapi_document_names_each_operations_action(client, make_user, login):
    doc = login(make_user(None)).get("/api/v1/openapi.json").json()
    assert doc["paths"]["/api/v1/audit/events"]["get"][OPENAPI_ACTION_KEY] == "audit.view"
    assert doc["paths"]["/api/v1/accounts/me"]["get"][OPENAPI_ACTION_KEY] == "signed-in"
