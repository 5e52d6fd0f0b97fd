"""API authentication: a personal bearer token, or the browser session (with CSRF)."""

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from ilonet.accounts import selectors as account_selectors
from ilonet.accounts import services as account_services
from ilonet.accounts.middleware import has_second_factor
from ilonet.policy import TOKEN_SCOPE_ATTR


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ilo_…``. The token's scope (read/write) limits the policy."""

    def authenticate(self, request: HttpRequest, token: str):
        found = account_selectors.user_by_token(token)
        if found is None:
            return None
        user, api_token = found
        setattr(user, TOKEN_SCOPE_ATTR, api_token.scope)
        request.user = user
        account_services.touch_api_token(api_token)
        return user


class SecondFactorSessionAuth(SessionAuth):
    """The browser session, only once the account has a second factor."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is not None and has_second_factor(user):
            return user
        return None
