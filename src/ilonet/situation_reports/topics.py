"""The topics of the information liaison officers collect (Art. 3(4)), one per letter, and the
two dimensions they keep in mind throughout (Art. 3(2)): vulnerable persons and gender.

The labels follow the regulation's wording closely (Dutch text of Regulation (EU) 2019/1240);
each topic knows the sentence of Art. 3(4) it stands for and whether the Art. 3(2) dimensions
are asked for in its section (where the regulation or the subject makes them relevant).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    """Art. 3(4)(a) to Art. 3(4)(l): the value is the letter."""

    BORDER_MANAGEMENT = "a", _("European integrated border management at the external borders")
    FLOWS = "b", _("Migration flows from or through the third country, their composition and destination")
    ROUTES = "c", _("Routes used to reach the territory of the member states")
    CRIMINAL_NETWORKS = "d", _("Smuggling and trafficking networks: existence, activities and modus operandi")
    INCIDENTS = "e", _("Incidents and events that may cause new developments in migration flows")
    DOCUMENT_FRAUD = "f", _("Methods of counterfeiting or falsifying identity and travel documents")
    PREVENTION = "g", _("Assistance to third-country authorities in preventing irregular flows")
    PRE_DEPARTURE = "h", _("Pre-departure measures for migrants, supporting integration on legal arrival")
    RETURN = "i", _("Return, readmission and reintegration")
    PROTECTION = "j", _("Effective access to protection, including for vulnerable persons")
    LEGAL_MIGRATION = "k", _("Legal migration channels, resettlement and other protection instruments")
    CAPACITY = "l", _("Third-country capacity, policies and law, reception and detention conditions")


@dataclass(frozen=True)
class TopicInfo:
    code: str
    article: str
    short: Promise
    dimensions: bool  # ask for the Art. 3(2) dimensions in this section


SHORT = {
    "a": _("Border management"),
    "b": _("Migration flows"),
    "c": _("Routes"),
    "d": _("Smuggling and trafficking"),
    "e": _("Incidents"),
    "f": _("Document fraud"),
    "g": _("Assistance to third countries"),
    "h": _("Pre-departure measures"),
    "i": _("Return and readmission"),
    "j": _("Access to protection"),
    "k": _("Legal migration channels"),
    "l": _("Capacity and detention conditions"),
}
# Art. 3(2): vulnerable persons and the gender dimension of migration flows, asked where they
# bear on the topic: the people in the flows, on the routes, in the hands of networks, returned,
# protected, admitted or detained.
WITH_DIMENSIONS = frozenset("bcdeijkl")

TOPICS: tuple[TopicInfo, ...] = tuple(
    TopicInfo(code, f"Art. 3(4)({code})", SHORT[code], code in WITH_DIMENSIONS) for code in Topic.values
)
BY_CODE = {info.code: info for info in TOPICS}


def article(code: str) -> str:
    return BY_CODE[code].article


def short_label(code: str) -> str:
    return str(BY_CODE[code].short)
