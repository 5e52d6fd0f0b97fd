"""Property-based testing of the foundation's API (directory, accounts, audit) with
schemathesis, from the generated OpenAPI document: whatever the input, no endpoint answers
with a server error, and every response matches the schema. The board, deployments and
networks APIs have their own fuzz tests beside their code, with data to reach deeper."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from ilonet.accounts import testing as account_tokens

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    path_regex="^/api/v1/(directory|accounts|audit)/"
)


@pytest.fixture
def admin_token(make_user, same_connection):
    admin = make_user("platform_admin", organisation="com")
    _token, secret = account_tokens.issue_api_token(actor=admin, name="fuzz", scope="write")
    return secret


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_foundation_api_fail(case, admin_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_token}"},
        excluded_checks=[negative_data_rejection, positive_data_acceptance],
    )


def test_every_operation_documents_the_common_error_answers(client):
    doc = client.get("/api/v1/openapi.json").json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "404", "422"} <= set(operation["responses"]), (method, path)
    assert doc["components"]["schemas"]["ValidationErrors"]["required"] == ["errors"]
