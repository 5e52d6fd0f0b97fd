"""The client's address, the same for login throttling (django-axes, allauth's rate limits)
and the audit trail.

Behind ``ILONET_PROXY_COUNT`` reverse proxies, each proxy appends the address it saw to
X-Forwarded-For; the entry that many places from the right is the one our own nearest trusted
proxy saw, and cannot be forged by the client (entries further left can). Without proxies, the
socket address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    count = getattr(settings, "PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # not through our proxies: the socket address is the client
    return _valid(forwarded[-count]) or remote
