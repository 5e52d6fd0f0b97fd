"""Markers for the discovery tests of the one audited authorisation path
(``tests/test_authorisation_path.py``)."""

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)

SYSTEM_OPERATION_ATTR = "ilonet_system_operation"


def system_operation(fn: F) -> F:
    """Mark a public service function that asks the policy nothing itself: it is run by the
    system (a scheduler, a migration, authentication), or as a step of an operation that has
    already been authorised (a hook, the record of a read). Every other public service function
    takes ``actor`` and calls ``policy.authorize`` before its transaction."""
    setattr(fn, SYSTEM_OPERATION_ATTR, True)
    return fn


def is_system_operation(fn: Callable) -> bool:
    return bool(getattr(fn, SYSTEM_OPERATION_ATTR, False))


PAGE_ACCESS_ATTR = "ilonet_page_access"
PUBLIC, EVERY_SIGNED_IN_USER = "public", "every signed-in user"


def public_page(view: F) -> F:
    """Mark a page anyone may open, signed in or not (information pages, health check)."""
    setattr(view, PAGE_ACCESS_ATTR, PUBLIC)
    return view


def page_for_every_signed_in_user(view: F) -> F:
    """Mark a page every signed-in user may open, with or without a role: their own account
    (home, profile, their own tokens). Every other page of ILOnet asks the policy first."""
    setattr(view, PAGE_ACCESS_ATTR, EVERY_SIGNED_IN_USER)
    return view


def page_access(view: Callable) -> str | None:
    return getattr(view, PAGE_ACCESS_ATTR, None)


MACHINE = "machine endpoint"


def machine_endpoint(view: F) -> F:
    """Mark an endpoint for machines, not people (the Prometheus scraper): it is opened by a
    bearer token from a setting compared in constant time, never by a session or a role, and is
    refused (401, or 404 when no token is configured) to everyone else."""
    setattr(view, PAGE_ACCESS_ATTR, MACHINE)
    return view
