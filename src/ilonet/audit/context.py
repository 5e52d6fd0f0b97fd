"""Where the current request came from, for audit events written deeper down."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""


_NO_REQUEST = RequestContext()  # frozen, so sharing it as the default is safe
current: ContextVar[RequestContext] = ContextVar("ilonet_request", default=_NO_REQUEST)  # noqa: B039
