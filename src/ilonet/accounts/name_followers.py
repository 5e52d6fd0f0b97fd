"""Copies of a person's name and e-mail address kept by apps above this one (the list of board
members, Art. 9(2)(c), sealed per person). Each registers a function at start-up
(``AppConfig.ready``) that ``services.update_user`` calls, in its transaction, when the account's
name or e-mail address changed, with ``actor`` and ``user``: a copy never shows an old one.
This app imports none of them (the layers of pyproject.toml)."""

from __future__ import annotations

from collections.abc import Callable

NAME_FOLLOWERS: list[Callable[..., None]] = []


def follow_name_changes(follower: Callable[..., None]) -> None:
    if follower not in NAME_FOLLOWERS:
        NAME_FOLLOWERS.append(follower)
