"""The law of the personal data liaison officers process (Art. 10, Art. 3(6)), as data.

Purposes are the tasks of Art. 3(6); categories those of Art. 10(3). Which category may be
processed for which purpose follows the words of Art. 10(3):

- (a) biometric or biographic data to confirm identity and nationality "with a view to return":
  the task of Art. 3(6)(a);
- (b) passenger lists for return flights and other transport to third countries: return again,
  Art. 3(6)(a);
- (c) the same data "with a view to legal migration": Art. 3(6)(c);
- (d) the same data of persons in need of international protection "with a view to
  resettlement": Art. 3(6)(b);
- (e) data to identify persons and to prevent and combat migrant smuggling and trafficking,
  with the modus operandi of criminal networks, means of transport, intermediaries and financial
  flows: "solely for the purpose of" the exchange of Art. 3(6)(d) (Art. 10(3) last paragraph).

Every other pair is refused with the reason (``pair_refusal``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    RETURN = "return", _("Identity and nationality for return and reintegration (Art. 3(6)(a))")
    RESETTLEMENT = (
        "resettlement",
        _("Identity of persons in need of protection for resettlement (Art. 3(6)(b))"),
    )
    LEGAL_MIGRATION = "legal_migration", _("Identity for legal admission (Art. 3(6)(c))")
    EXCHANGE = "exchange", _("Exchange against illegal immigration, smuggling and trafficking (Art. 3(6)(d))")


class Category(models.TextChoices):
    RETURN_IDENTITY = "a", _("Biometric or biographic data for return (Art. 10(3)(a))")
    PASSENGER_LIST = "b", _("Passenger lists for return flights and other transport (Art. 10(3)(b))")
    LEGAL_MIGRATION_IDENTITY = "c", _("Biometric or biographic data for legal migration (Art. 10(3)(c))")
    RESETTLEMENT_IDENTITY = "d", _("Biometric or biographic data for resettlement (Art. 10(3)(d))")
    SMUGGLING = "e", _("Data against smuggling and trafficking (Art. 10(3)(e))")


# category -> the one purpose of Art. 3(6) its words allow (see the module's docstring)
ALLOWED_PURPOSE: dict[str, str] = {
    Category.RETURN_IDENTITY: Purpose.RETURN,
    Category.PASSENGER_LIST: Purpose.RETURN,
    Category.LEGAL_MIGRATION_IDENTITY: Purpose.LEGAL_MIGRATION,
    Category.RESETTLEMENT_IDENTITY: Purpose.RESETTLEMENT,
    Category.SMUGGLING: Purpose.EXCHANGE,
}

ARTICLE_OF_PURPOSE = {
    Purpose.RETURN: "Art. 3(6)(a)",
    Purpose.RESETTLEMENT: "Art. 3(6)(b)",
    Purpose.LEGAL_MIGRATION: "Art. 3(6)(c)",
    Purpose.EXCHANGE: "Art. 3(6)(d)",
}


def pair_refusal(purpose: str, category: str) -> str | None:
    """None when ``category`` may be processed for ``purpose``; the reason otherwise."""
    if purpose not in Purpose.values or category not in Category.values:
        return gettext("Choose a purpose of Art. 3(6) and a category of Art. 10(3).")
    allowed = ALLOWED_PURPOSE[category]
    if purpose == allowed:
        return None
    if category == Category.SMUGGLING:
        return gettext(
            "Data of Art. 10(3)(e) may be processed solely for the exchange of information of "
            "Art. 3(6)(d) (Art. 10(3) last paragraph)."
        )
    return gettext(
        "Data of the category “%(category)s” may be processed only for the purpose “%(allowed)s” "
        "(Art. 10(2), Art. 10(3))."
    ) % {"category": Category(category).label, "allowed": Purpose(allowed).label}


# The personal fields of a record: what a share or a transfer names, field by field.
class Field(models.TextChoices):
    NAMES = "names", _("Names")
    BIRTH_DATE = "birth_date", _("Date of birth")
    BIRTH_PLACE = "birth_place", _("Place of birth")
    NATIONALITY = "nationality", _("Nationality")
    DOCUMENTS = "documents", _("Identity and nationality documents")
    FACIAL_IMAGE = "facial_image", _("Facial image")
    FINGERPRINTS = "fingerprints", _("Fingerprints")
    PASSENGERS = "passengers", _("Passenger list")
    MODUS_OPERANDI = "modus_operandi", _("Modus operandi of criminal networks")
    TRANSPORT = "transport", _("Means of transport")
    INTERMEDIARIES = "intermediaries", _("Intermediaries")
    FINANCIAL_FLOWS = "financial_flows", _("Financial flows")


BIOMETRIC_FIELDS = (Field.FACIAL_IMAGE, Field.FINGERPRINTS)
# Art. 10(3)(e) only: the content about criminal networks.
SMUGGLING_FIELDS = (Field.MODUS_OPERANDI, Field.TRANSPORT, Field.INTERMEDIARIES, Field.FINANCIAL_FLOWS)


class TransferBasis(models.TextChoices):
    """chapter V of the GDPR, as Art. 10(5) asks; recitals 24 and 25 name Art. 49(1)(d) for return."""

    ADEQUACY = "adequacy", _("Adequacy decision (GDPR Art. 45)")
    SAFEGUARDS = "safeguards", _("Appropriate safeguards (GDPR Art. 46)")
    CONSENT = "49_1_a", _("Derogation: explicit consent (GDPR Art. 49(1)(a))")
    PUBLIC_INTEREST = "49_1_d", _("Derogation: important reasons of public interest (GDPR Art. 49(1)(d))")
    LEGAL_CLAIMS = "49_1_e", _("Derogation: legal claims (GDPR Art. 49(1)(e))")
    VITAL_INTERESTS = "49_1_f", _("Derogation: vital interests (GDPR Art. 49(1)(f))")


# Countries with an adequacy decision of the Commission under GDPR Art. 45 (the United States for
# organisations of the EU-US Data Privacy Framework only: an authority of return is not one).
ADEQUATE_COUNTRIES = frozenset(
    {"AD", "AR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ", "UY"}
)


def retention_days(purpose: str) -> int:
    """How long a record of this purpose is kept before review or erasure (Art. 10(2)), from
    ``PERSONAL_DATA_RETENTION_DAYS``."""
    return int(settings.PERSONAL_DATA_RETENTION_DAYS[purpose])
