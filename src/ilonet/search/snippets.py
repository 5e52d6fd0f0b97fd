"""Highlighted, escaped text for the hits: the title and a passage of the body around the first
word the query asked for, with each matching word in ``<mark>``. Everything else is escaped, so a
title such as ``<script>`` is shown as text."""

from __future__ import annotations

from collections.abc import Callable
from re import Pattern

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import WORD

SCAN = 100_000  # characters of the body searched for a passage
WIDTH = 240
BEFORE = 80


def _words(matches: Callable[[str], bool]) -> Pattern[str]:
    """The words of a text worth asking ``matches`` about (``Matcher.words``; every word for a
    plain function)."""
    return getattr(matches, "words", WORD)


def highlight(text: str, matches: Callable[[str], bool]) -> SafeString:
    out: list[str] = []
    at = 0
    for found in _words(matches).finditer(text):
        if matches(found.group()):
            out.append(escape(text[at : found.start()]))
            out.append(f"<mark>{escape(found.group())}</mark>")
            at = found.end()
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - built from escaped parts only


def passage(body: str, matches: Callable[[str], bool]) -> SafeString:
    """About ``WIDTH`` characters of ``body``, cut at spaces, around its first match (or its
    start when no word matches), highlighted."""
    start = 0
    for found in _words(matches).finditer(body, 0, min(len(body), SCAN)):
        if matches(found.group()):
            start = max(0, found.start() - BEFORE)
            break
    if start:
        space = body.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    end = min(len(body), start + WIDTH)
    if end < len(body):
        space = body.rfind(" ", start, end)
        end = space if space > start + WIDTH // 2 else end
    text = " ".join(body[start:end].split())
    lead = "… " if start > 0 else ""
    tail = " …" if end < len(body) else ""
    return mark_safe(lead + highlight(text, matches) + tail)  # noqa: S308 - escaped parts
