"""Following a space, a folder or a topic of Art. 3(4) (Art. 9(1)): a user's own choice of what
to be told about. Not audited: it records no exchange of information, only who wants to hear."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ilonet import policy

from ..models import Folder, Follow, Space, Topic

A = policy.Action


def _subject(space: Space | None, folder: Folder | None, topic: str) -> dict[str, Any]:
    topic = (topic or "").strip()
    given = [x for x in (space, folder, topic) if x]
    if len(given) != 1:
        raise ValidationError(_("Choose one space, folder or topic to follow."))
    if topic and topic not in Topic.values:
        raise ValidationError({"topic": _("There is no such topic of Art. 3(4).")})
    if space is not None:
        return {"space": space}
    if folder is not None:
        return {"folder": folder}
    return {"topic": topic}


def follow(
    *, actor: Any, space: Space | None = None, folder: Folder | None = None, topic: str = ""
) -> Follow:
    """Follow one space, folder or topic (again: nothing changes)."""
    policy.authorize(actor, A.FOLLOW_EXCHANGE)
    subject = _subject(space, folder, topic)
    if space is not None or folder is not None:
        policy.authorize(actor, A.FOLLOW_EXCHANGE, space or folder)
    try:
        with transaction.atomic():
            return Follow.objects.get_or_create(user=actor, **subject)[0]
    except IntegrityError:  # a second click at the same moment
        return Follow.objects.get(user=actor, **subject)


def unfollow(
    *, actor: Any, space: Space | None = None, folder: Folder | None = None, topic: str = ""
) -> bool:
    """Stop following; whether the actor followed it."""
    policy.authorize(actor, A.FOLLOW_EXCHANGE)
    subject = _subject(space, folder, topic)
    return Follow.objects.filter(user=actor, **subject).delete()[0] > 0


def unfollow_by_id(*, actor: Any, follow_id: int) -> None:
    """Stop following by the row's id (the actor's own; another's is not found)."""
    policy.authorize(actor, A.FOLLOW_EXCHANGE)
    deleted = Follow.objects.filter(user=actor, pk=follow_id).delete()[0]
    if not deleted:
        raise Follow.DoesNotExist
