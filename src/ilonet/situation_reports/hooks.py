"""Who must hear, in the same transaction, that a situation report was submitted.

The exchange app (above this one) tells the followers of the report's topics of Art. 3(4); it
registers its function here at start-up (``ExchangeConfig.ready``). A hook is called inside the
transaction of the submission: if it fails, the report is not submitted.
"""

from collections.abc import Callable
from typing import Any, Protocol


class ReportSubmittedHook(Protocol):
    def __call__(self, *, actor: Any, report: Any) -> None: ...


_hooks: list[Callable[..., None]] = []


def register(hook: ReportSubmittedHook) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


def report_submitted(*, actor: Any, report: Any) -> None:
    """Tell every registered hook that ``report`` was just submitted."""
    for hook in list(_hooks):
        hook(actor=actor, report=report)
