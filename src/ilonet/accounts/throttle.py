"""A limit on guessing invitation links: after ``FAILURE_LIMIT`` links that open nothing from
one client address within ``WINDOW_SECONDS``, that address gets no invitation page at all, not
even for a good link, until the window has passed. The secret has 256 bits, so this limits
noise and scanning more than it protects the secret; the count lives in the shared cache (the
database cache, the same for every worker)."""

from django.core.cache import cache
from django.http import HttpRequest

from ilonet.shared.clientip import client_ip

FAILURE_LIMIT = 20
WINDOW_SECONDS = 15 * 60


def _key(request: HttpRequest) -> str:
    return f"ilonet:invitation-failures:{client_ip(request) or 'unknown'}"


def is_blocked(request: HttpRequest) -> bool:
    return int(cache.get(_key(request), 0)) >= FAILURE_LIMIT


def note_failure(request: HttpRequest) -> None:
    key = _key(request)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS)
