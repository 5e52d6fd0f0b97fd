"""Who must hear, in the same transaction, that a network was created.

Each local or regional network gets its own document space on the information exchange platform
(Art. 5(1), Art. 9(1)). The exchange app depends on this app, not the other way round, so it
registers its function here at start-up (``ExchangeConfig.ready``). A hook is called inside the
transaction of the change: if it fails, the network is not created.
"""

from collections.abc import Callable
from typing import Any, Protocol


class NetworkCreatedHook(Protocol):
    def __call__(self, *, actor: Any, network: Any) -> None: ...


_hooks: list[Callable[..., None]] = []


def register(hook: NetworkCreatedHook) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


def network_created(*, actor: Any, network: Any) -> None:
    """Tell every registered hook that ``network`` was just created."""
    for hook in list(_hooks):
        hook(actor=actor, network=network)
