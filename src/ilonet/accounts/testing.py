"""Test helpers for API tokens: issue or revoke one as its owner would, from a browser session
whose second factor was just given (the step-up of ``Action.MANAGE_API_TOKENS``)."""

import time
from contextlib import contextmanager

from ilonet import policy

from . import services
from .models import ApiToken, User


@contextmanager
def _fresh_second_factor(user: User):
    policy.note_second_factor(user, time.time())
    try:
        yield
    finally:
        policy.note_second_factor(user, None)


def issue_api_token(*, actor: User, **fields) -> tuple[ApiToken, str]:
    with _fresh_second_factor(actor):
        return services.issue_api_token(actor=actor, **fields)


def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    with _fresh_second_factor(actor):
        services.revoke_api_token(actor=actor, token=token)


def record_second_factor(client, user: User, *, seconds_ago: float = 0) -> None:
    """Write into a test client's session what allauth records when the user gives a TOTP code
    (the session then looks like a real login with its second factor ``seconds_ago``)."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.account.internal.userkit import user_id_to_str

    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time() - seconds_ago, "email": user.email},
        {"method": "mfa", "at": time.time() - seconds_ago, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()
