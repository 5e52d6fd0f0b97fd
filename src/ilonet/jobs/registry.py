"""Jobs declared in code.

Each ILOnet app declares its jobs in a ``jobs`` module (imported at start-up by
``JobsConfig.ready``)::

    from ilonet.jobs.registry import job
    from ilonet.jobs.schedules import Every

    @job(schedule=Every(minutes=1), label=_("Close written procedures at their deadline"))
    def close_written_procedures(**_scheduled) -> dict:
        ...

A job is a plain function of keyword arguments that can be stored as JSON. By default it runs
in one database transaction together with the record that it succeeded (``atomic=True``), so
a worker killed half-way leaves nothing behind and the re-run does the whole job once; a job
that must span several transactions (``atomic=False``) must be idempotent by itself. A job
that raises is retried ``max_attempts`` times in all, with exponential backoff (``backoff``
seconds, doubled per attempt, at most ``backoff_cap``), then marked dead with its error.
``timeout`` bounds one attempt: a job still marked running after it is taken for lost (its
worker died) and run again.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from .schedules import Schedule


@dataclass(frozen=True)
class JobDefinition:
    func: Callable[..., Any]
    name: str
    label: Any  # a (lazy) translated title for the operations page
    max_attempts: int = 5
    backoff: float = 30.0
    backoff_cap: float = 3600.0
    timeout: float = 600.0
    atomic: bool = True
    schedule: Schedule | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __call__(self, **kwargs: Any) -> Any:
        """Run the job's function now, in this process (tests, management commands)."""
        return self.func(**kwargs)

    def enqueue(self, *, key: str | None = None, **kwargs: Any):  # -> tuple[Job, bool]
        """Put the job on the queue (see ``queue.enqueue``)."""
        from .queue import enqueue

        return enqueue(self, key=key, **kwargs)


_registry: dict[str, JobDefinition] = {}


def job(
    func: Callable[..., Any] | None = None,
    *,
    label: Any = None,
    max_attempts: int = 5,
    backoff: float = 30.0,
    backoff_cap: float = 3600.0,
    timeout: float = 600.0,
    atomic: bool = True,
    schedule: Schedule | None = None,
) -> Any:
    """Declare a job (decorator). Its name is the function's dotted path."""

    def register(fn: Callable[..., Any]) -> JobDefinition:
        if max_attempts < 1 or timeout <= 0 or backoff < 0:
            raise ValueError("A job needs max_attempts >= 1, timeout > 0 and backoff >= 0.")
        name = f"{fn.__module__}.{fn.__qualname__}"
        definition = JobDefinition(
            func=fn,
            name=name,
            label=label or (fn.__doc__ or name).strip().splitlines()[0],
            max_attempts=max_attempts,
            backoff=backoff,
            backoff_cap=backoff_cap,
            timeout=timeout,
            atomic=atomic,
            schedule=schedule,
        )
        _registry[name] = definition
        return definition

    return register(func) if func is not None else register


def get(name: str) -> JobDefinition | None:
    """The job called ``name``; its module is imported if it was not yet (a worker that runs a
    job declared outside the autodiscovered ``jobs`` modules, such as the test probes)."""
    if name not in _registry and "." in name:
        module = name.rsplit(".", 1)[0]
        try:
            importlib.import_module(module)
        except ImportError:
            return None
    return _registry.get(name)


def all_jobs() -> list[JobDefinition]:
    return sorted(_registry.values(), key=lambda d: d.name)


def periodic_jobs() -> list[JobDefinition]:
    return [d for d in all_jobs() if d.schedule is not None]


def autodiscover() -> None:
    """Import the ``jobs`` module of every ILOnet app, and the jobs app's own periodic jobs."""
    from . import periodic  # noqa: F401  (registers the heartbeat, housekeeping and audit jobs)

    for config in apps.get_app_configs():
        if config.name.startswith("ilonet.") and module_has_submodule(config.module, "jobs"):
            importlib.import_module(f"{config.name}.jobs")
