"""Property-based testing of the board's API as the chair (who may call every endpoint):
whatever the input, no endpoint answers with a server error, and responses match the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from ilonet.accounts import testing as account_tokens

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    path_regex="^/api/v1/board/"
)


@pytest.fixture
def chair_token(board, same_connection):
    _token, secret = account_tokens.issue_api_token(actor=board.chair, name="fuzz", scope="write")
    return secret


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
def test_no_input_makes_the_board_api_fail(case, chair_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {chair_token}"},
        excluded_checks=[negative_data_rejection, positive_data_acceptance],
    )
