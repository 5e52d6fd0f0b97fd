"""The record of processing activities (GDPR Art. 30, Regulation 2018/1725 Art. 31), generated
from the law as configured here: one entry per purpose of Art. 3(6)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .law import ALLOWED_PURPOSE, ARTICLE_OF_PURPOSE, Category, Purpose, TransferBasis


@dataclass(frozen=True)
class Activity:
    purpose: str
    purpose_label: str
    article: str
    categories: list[str]
    retention_days: int


RECIPIENTS = _(
    "Members of the networks of immigration liaison officers and competent authorities of the member "
    "states, including law enforcement, only the fields strictly necessary (Art. 3(6)(d), Art. 10(4))."
)
DATA_SUBJECTS = _(
    "Third-country nationals (Art. 3(6)); passengers of return flights and other transport (Art. 10(3)(b))."
)
SECURITY = _(
    "Every personal field and file encrypted with AES-256-GCM under a key of its own data subject, "
    "wrapped by the platform keyring; name search by keyed digests; every read in the access log; "
    "access by assigned purpose; erasure by destroying the subject's key."
)
TRANSFERS = _(
    "To third countries and international organisations under chapter V of the GDPR (Art. 10(5)): adequacy "
    "decision, appropriate safeguards, or a derogation of Art. 49, in practice Art. 49(1)(d) for return "
    "(recitals 24 and 25)."
)


def activities() -> list[Activity]:
    return [
        Activity(
            purpose=str(purpose),
            purpose_label=str(purpose.label),
            article=ARTICLE_OF_PURPOSE[purpose],
            categories=[str(Category(c).label) for c, p in ALLOWED_PURPOSE.items() if p == purpose],
            retention_days=int(settings.PERSONAL_DATA_RETENTION_DAYS[purpose]),
        )
        for purpose in Purpose
    ]


def as_json() -> dict:
    return {
        "controller_duties": "GDPR Art. 30; Regulation (EU) 2018/1725 Art. 31",
        "legal_basis": "Regulation (EU) 2019/1240 Art. 10(2), Art. 3(6)",
        "data_subjects": str(DATA_SUBJECTS),
        "recipients": str(RECIPIENTS),
        "transfers": str(TRANSFERS),
        "transfer_bases": [str(label) for label in TransferBasis.labels],
        "security": str(SECURITY),
        "activities": [a.__dict__ for a in activities()],
    }
