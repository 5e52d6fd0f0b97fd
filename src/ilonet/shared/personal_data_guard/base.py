"""What every detector returns: a :class:`Match` inside one chunk's text (offsets, the
normalised value and a detail such as the country), before it becomes a masked, fingerprinted
:class:`~ilonet.shared.personal_data_guard.detect.Finding`."""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("email", "phone", "mrz", "iban", "national_id", "date_of_birth", "personal_link")


@dataclass(frozen=True)
class Match:
    kind: str
    start: int
    end: int
    value: str  # normalised (E.164, compact IBAN, ISO date, lower-case address); never stored
    detail: str = ""


def before(text: str, start: int, width: int) -> str:
    """The ``width`` characters before ``start``: where a label stands."""
    return text[max(0, start - width) : start]


# Digits standing alone: not inside a longer number, a word, or a decimal.
def standalone(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w])(?<!\d[.,]){pattern}(?![\w])(?![.,]\d)")
