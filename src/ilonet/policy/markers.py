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
