"""What the pages share: the form page, the member states an officer acts for, the quarter."""

from __future__ import annotations

from typing import Any

from django.shortcuts import render
from django.utils import timezone

from ..policies import officer_states
from ..selectors import quarter_of


def form_page(request, form, title: str, back: str, *, intro: str = ""):
    return render(
        request,
        "cooperation/form_page.html",
        {"form": form, "title": title, "back": back, "intro": intro},
        status=422 if form.errors else 200,
    )


def states(user: Any) -> list[str]:
    return sorted(officer_states(user))


def chosen_quarter(text: str | None) -> tuple[int, int]:
    if text and len(text) == 7 and text[4:6] == "-Q" and text[:4].isdigit() and text[6] in "1234":
        return int(text[:4]), int(text[6])
    return quarter_of(timezone.localdate())
