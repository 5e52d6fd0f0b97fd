"""Who must hear, in the same transaction, that deployments changed.

Network membership is derived from active deployments (Art. 5(1)); when a deployment starts,
moves or ends, the networks app reviews the facilitator of the networks concerned and notifies
the steering board of a change (Art. 5(3)). The networks app depends on this app, not the other
way round, so it registers its review function here at start-up (``NetworksConfig.ready``).
A hook is called inside the transaction of the change: if it fails, the change is undone.
"""

from collections.abc import Callable, Iterable
from typing import Any, Protocol


class DeploymentChangeHook(Protocol):
    def __call__(self, *, actor: Any, countries: Iterable[str]) -> None: ...


_hooks: list[Callable[..., None]] = []


def register(hook: DeploymentChangeHook) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


def deployments_changed(*, actor: Any, countries: Iterable[str]) -> None:
    """Tell every registered hook that active deployments in ``countries`` may have changed."""
    codes = sorted({code for code in countries if code})
    if not codes:
        return
    for hook in list(_hooks):
        hook(actor=actor, countries=codes)
