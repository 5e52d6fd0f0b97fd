"""The one hook through which ILOnet tells people that something happened.

Jobs and services call ``notify(...)`` when an event is recorded that someone must hear about:
a reminder to the chair (Art. 7(7), Art. 8(1), Art. 8(2)(d)), a deployment that ended at its
planned end (Art. 4(1)), a written procedure that closed (Art. 7(8)). The delivery (e-mail, a
list of notifications on the site) is the work of a *notifier*, registered at start-up by the
app that delivers (``register_notifier(fn)``, from its ``AppConfig.ready``). Until one is
registered, ``notify`` only logs: the events themselves are recorded by their domain either way.

**The contract**, for callers:

- Call ``notify`` inside the transaction that records the event, once per recorded event (the
  domain records the event idempotently, e.g. a reminder row with a unique key, and calls
  ``notify`` only when it wrote that row).
- ``kind``: a stable dotted name, ``<domain>.<event>`` (``board.reminder``,
  ``deployment.ended``); ``key``: a stable, unique key of this event (the same event always
  has the same key), from which a notifier derives the idempotency keys of its deliveries.
- ``obj``: the object the event is about (a model instance), or None.
- ``audience_action``: a ``policy.Action``; only people for whom
  ``policy.can(user, audience_action, obj)`` holds may be told (no notification leaks what
  its recipient could not open).
- ``recipients``: an ``Audience``: who should be told, by role (anywhere, or for given
  organisations) and by user id; the notifier resolves it to users.
- ``context``: JSON-serialisable facts for the message (ids, dates, codes, the article cited);
  no personal data beyond what the audience may already read.
- ``link``: the site path of the page that opens ``obj`` (the page ``audience_action`` opens).
- ``site_only``: listed in the notification centre, never mailed, at once or in a digest (a
  document marked sensitive, Art. 9(1)).

The notifier is ``ilonet.notifications.services.deliver_notice`` (registered by the
notifications app at start-up): the one place where the policy filter on recipients is applied.

For notifiers (``fn(notice: Notice) -> None``):

- It runs inside the caller's transaction. Write only to the database (notification rows,
  and delivery jobs through ``ilonet.jobs.queue.enqueue`` with a key derived from
  ``notice.key``): they commit with the event or not at all, and each is delivered once. Never
  send mail or call the network from the notifier itself.
- It must not raise for a recipient it cannot reach; it may raise for a programming error,
  which rolls the event back (and fails the job, which is retried).
- Exactly one notifier is registered (a second registration replaces the first; tests may
  register their own and restore the previous one with the returned value).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger("ilonet.notify")


@dataclass(frozen=True)
class Audience:
    """Who should be told: holders of ``roles`` (anywhere), holders of a role for an
    organisation (``roles_in``: (role, organisation id) pairs), and ``user_ids``."""

    roles: tuple[str, ...] = ()
    roles_in: tuple[tuple[str, int], ...] = ()
    user_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Notice:
    kind: str
    key: str
    obj: Any
    audience_action: Any
    recipients: Audience
    context: dict[str, Any] = field(default_factory=dict)
    link: str = ""
    site_only: bool = False


Notifier = Callable[[Notice], None]


def _log_only(notice: Notice) -> None:
    logger.info(
        "Notification %s (%s) recorded; no notifier registered to deliver it.", notice.kind, notice.key
    )


_notifier: list[Notifier] = [_log_only]


def register_notifier(fn: Notifier) -> Notifier:
    """Make ``fn`` the notifier; returns the previous one."""
    previous = _notifier[0]
    _notifier[0] = fn
    return previous


def notify(
    kind: str,
    *,
    key: str,
    obj: Any = None,
    audience_action: Any,
    recipients: Audience,
    context: dict[str, Any] | None = None,
    link: str = "",
    site_only: bool = False,
) -> None:
    """Hand a recorded event to the notifier (see the module's docstring for the contract)."""
    _notifier[0](
        Notice(kind=kind, key=key, obj=obj, audience_action=audience_action, recipients=recipients,
               context=dict(context or {}), link=link, site_only=site_only)
    )  # fmt: skip
