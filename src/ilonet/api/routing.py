"""Routers whose every operation declares the policy action it needs.

``PolicyRouter.get/post/put/patch/delete/api_operation`` require ``action=``: a
``policy.Action``, a tuple of actions any one of which suffices, or ``SIGNED_IN`` for the few
operations on the caller's own account. The
action goes into the operation's authenticators, so django-ninja checks it right after it has
authenticated the caller and before it parses or validates the request: a refused call is a
403 with exactly one audited ``permission.denied`` event, never a 422 or an empty list.
Object-level checks stay in the endpoint or service. The action is shown in the OpenAPI
document as ``x-ilonet-action``.
"""

from typing import Any

from ninja import Router
from ninja.errors import ConfigError

from ilonet import policy

from .auth import SIGNED_IN, Gate, SecondFactorSessionAuth, SignedIn, TokenAuth

__all__ = ["SIGNED_IN", "PolicyRouter", "gated_authenticators"]

OPENAPI_ACTION_KEY = "x-ilonet-action"


def _is_action(action: object) -> bool:
    if isinstance(action, tuple):
        return bool(action) and all(isinstance(one, policy.Action) for one in action)
    return isinstance(action, policy.Action | SignedIn)


def gated_authenticators(action: Gate) -> list:
    """The API's authenticators, each asking the policy for ``action`` once it knows the user."""
    return [TokenAuth(action=action), SecondFactorSessionAuth(action=action)]


class PolicyRouter(Router):
    def api_operation(self, methods: list[str], path: str, *, action: Gate, **kwargs: Any):  # type: ignore[override]  # action= is required
        if not _is_action(action):
            raise ConfigError(f"{methods} {path}: action= must be policy.Action(s) or SIGNED_IN")
        if "auth" in kwargs:
            raise ConfigError(f"{methods} {path}: the action decides the authenticators, not auth=")
        shown = " | ".join(map(str, action)) if isinstance(action, tuple) else str(action)
        extra = {**(kwargs.pop("openapi_extra", None) or {}), OPENAPI_ACTION_KEY: shown}
        return super().api_operation(
            methods, path, auth=gated_authenticators(action), openapi_extra=extra, **kwargs
        )

    def get(self, path: str, *, action: Gate, **kwargs: Any):  # type: ignore[override]  # action= is required
        return self.api_operation(["GET"], path, action=action, **kwargs)

    def post(self, path: str, *, action: Gate, **kwargs: Any):  # type: ignore[override]  # action= is required
        return self.api_operation(["POST"], path, action=action, **kwargs)

    def put(self, path: str, *, action: Gate, **kwargs: Any):  # type: ignore[override]  # action= is required
        return self.api_operation(["PUT"], path, action=action, **kwargs)

    def patch(self, path: str, *, action: Gate, **kwargs: Any):  # type: ignore[override]  # action= is required
        return self.api_operation(["PATCH"], path, action=action, **kwargs)

    def delete(self, path: str, *, action: Gate, **kwargs: Any):  # type: ignore[override]  # action= is required
        return self.api_operation(["DELETE"], path, action=action, **kwargs)
