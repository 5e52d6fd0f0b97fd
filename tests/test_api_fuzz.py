"""Property-based testing of the whole API with schemathesis, from the generated OpenAPI
document: every operation, called as every role of ``ilonet.accounts.roles.Role`` (and
without a role), answers no server error and matches its schema, whatever the input; input that
violates the schema (schemathesis' negative examples) is never accepted
(``negative_data_rejection``); and no path accepts a method its document does not declare
(schemathesis' ``unsupported_method``, as an own test over the whole document: every path x
every undeclared method x every role).

``make test`` runs it derandomised: a fixed seed, the same few examples every run, so a pass
is not luck and a failure repeats. ``make fuzz`` runs a longer random campaign
(``ILONET_FUZZ_EXAMPLES`` examples per operation, seed ``ILONET_FUZZ_SEED``, printed); a failing
example is printed by schemathesis as a curl command and by hypothesis with its seed.
"""

import os
import random
import re
from datetime import timedelta

import hypothesis
import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, note, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ilonet.accounts.models import ApiToken, ApiTokenScope, RoleAssignment, User
from ilonet.accounts.roles import Role
from ilonet.deployments.tests.helpers import deploy, desk, officer
from ilonet.directory import demo as directory_demo
from ilonet.directory.models import Organisation
from ilonet.networks import services as network_services

CAMPAIGN_EXAMPLES = int(os.environ.get("ILONET_FUZZ_EXAMPLES", "0") or 0)
CAMPAIGN = CAMPAIGN_EXAMPLES > 0
SEED = int(os.environ.get("ILONET_FUZZ_SEED") or random.randrange(2**32)) if CAMPAIGN else None  # noqa: S311
if CAMPAIGN:
    print(f"\nILOnet fuzz campaign: seed {SEED}, {CAMPAIGN_EXAMPLES} examples per operation")  # noqa: T201

ROLES: list[str | None] = [*Role.values, None]  # None: an account without a role

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# The coverage phase derives dozens of boundary cases per operation: for the campaign only.
schema.config.phases.coverage.enabled = CAMPAIGN

FUZZ_SETTINGS = settings(
    max_examples=CAMPAIGN_EXAMPLES or 3,
    derandomize=not CAMPAIGN,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)


def _seeded(test):
    return hypothesis.seed(SEED)(test) if CAMPAIGN else test


@pytest.fixture
def tokens(make_user, same_connection) -> dict[str | None, str]:
    """A write token for one account per role (made in bulk: the fixture runs for every
    operation), with data for the lists to show: a deployment with a region and a joint
    representation, and a network."""
    directory_demo.ensure_authorities()
    desk_user = desk(make_user)
    deploy(desk_user, officer(make_user), region=["DZ"], represented=[("be", "")])
    secretariat = make_user(Role.SECRETARIAT, organisation="com")
    network_services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])
    users = {Role.SECRETARIAT.value: secretariat, Role.DEPLOYING_AUTHORITY.value: desk_user}
    com = Organisation.objects.get(code="com")
    others = [role for role in ROLES if role not in users]
    made = User.objects.bulk_create(
        [User(email=f"fuzz-{role or 'none'}@example.eu", organisation=com, password="!") for role in others]
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=role) for user, role in zip(made, others, strict=True) if role]
    )
    users.update(zip(others, made, strict=True))
    secrets = {role: ApiToken.new_secret() for role in users}
    ApiToken.objects.bulk_create(
        [
            ApiToken(
                user=user, name="fuzz", scope=ApiTokenScope.WRITE, digest=ApiToken.digest_of(secrets[role]),
                hint=secrets[role][:10], expires_at=timezone.now() + timedelta(days=1),
            )
            for role, user in users.items()
        ]
    )  # fmt: skip
    return secrets


def test_the_fuzzed_roles_are_every_role_of_the_platform():
    assert set(ROLES) - {None} == set(Role.values)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ_SETTINGS
@_seeded
def test_no_input_makes_any_operation_fail_for_any_role(case, tokens):
    for role in ROLES:
        note(f"role: {role or 'none'}")
        case.call_and_validate(
            headers={"Authorization": f"Bearer {tokens[role]}"},
            # every default check, negative_data_rejection among them; not positive_data_acceptance:
            # a valid request may still be refused (403 for a role,
            # 404 for an id the role may not see, 422 for a rule beyond the schema)
            excluded_checks=[positive_data_acceptance],
        )


def test_every_operation_documents_the_common_error_answers(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "404", "422"} <= set(operation["responses"]), (method, path)
    assert doc["components"]["schemas"]["ValidationErrors"]["required"] == ["errors"]


# --- undeclared methods ------------------------------------------------------------------------

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
REFUSED_BEFORE_DISPATCH = {401, 403, 404, 405}


def _undeclared(doc: dict) -> list[tuple[str, str]]:
    """(method, URL with every path parameter set to 1) for every method a path of the OpenAPI
    document does not declare; HEAD counts as declared where GET is (it is GET without a body)."""
    found = []
    for path, operations in doc["paths"].items():
        declared = {method.upper() for method in operations}
        if "GET" in declared:
            declared.add("HEAD")
        url = re.sub(r"\{[^}]*\}", "1", path)
        found += [(method, url) for method in METHODS if method not in declared]
    return found


def test_no_role_gets_an_undeclared_method_accepted(client, tokens):
    """schemathesis' ``unsupported_method`` check, for every path and every role: a method the
    document does not declare is answered 405 (or refused earlier), never carried out."""
    doc = client.get("/api/v1/openapi.json").json()
    undeclared = _undeclared(doc)
    assert len(undeclared) > 3 * len(doc["paths"])  # the discovery found the paths
    accepted = []
    for role in ROLES:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"}
        for method, url in undeclared:
            response = client.generic(method, url, b"{}", content_type="application/json", **auth)
            if response.status_code not in REFUSED_BEFORE_DISPATCH:
                accepted.append((role, method, url, response.status_code))
            elif response.status_code == 405:
                assert method not in response.get("Allow", ""), (method, url)
    assert accepted == []
