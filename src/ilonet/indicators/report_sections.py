"""Sections that apps above the indicators add to the PDF progress report (RS, closing
paragraph: progress is reported to the high-level network): the indicators app cannot import
them (layers), so they register here at start-up, each with its template and a function giving
the template's context for a quarter. Aggregates only: a section never shows a case or a person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[[int, int], dict[str, Any]]


_SECTIONS: dict[str, Section] = {}


def register(name: str, *, template: str, context: Callable[[int, int], dict[str, Any]]) -> None:
    """Add (or replace, by ``name``) a section of the progress report."""
    _SECTIONS[name] = Section(template, context)


def for_quarter(year: int, quarter: int) -> list[dict[str, Any]]:
    """The registered sections, in name order, each as its template and its context."""
    return [
        {"template": section.template, **section.context(year, quarter)}
        for _name, section in sorted(_SECTIONS.items())
    ]
