"""The words of the exchange: kinds of space, the Art. 9(2) categories, the sensitivity markings
of Art. 9(1) and the languages of documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ilonet.networks.models import Topic  # the topics of Art. 3(4), one vocabulary

__all__ = ["Category", "DeletionReason", "Language", "Marking", "SpaceKind", "Topic", "REFUSED_MARKINGS"]


class SpaceKind(models.TextChoices):
    BOARD = "board", _("Steering board")  # Art. 7, Art. 9(2)(e)
    NETWORK = "network", _("Local or regional network")  # Art. 5(1)
    WORKING_GROUP = "working_group", _("Working group")  # Art. 8(3)(a)


class Category(models.TextChoices):
    """What Art. 9(2) says the platform holds; (c) and (d), the two lists of personal data, are
    kept by the board and the registry, never as documents."""

    AGREED_PRODUCTS = "a", _("Documents, reports and analytical products agreed by the board (Art. 9(2)(a))")
    PROGRAMMES_AND_RESULTS = (
        "b",
        _("Work programmes, activity reports and results of activities (Art. 9(2)(b))"),
    )
    BOARD_ACTIVITIES = "e", _("Other documents on the board's activities and decisions (Art. 9(2)(e))")
    OTHER = "other", _("Other relevant information and statistics (Art. 9(1))")


class Marking(models.TextChoices):
    """Sensitivity markings the platform may hold (Art. 9(1)). Sensitive documents never go into
    bulk downloads or digests."""

    PUBLIC = "public", _("Public")
    NORMAL = "normal", _("Normal (for the network only)")
    LIMITED = "limited", _("Limited")
    SENSITIVE = "sensitive", _("Sensitive")


# Markings above what the platform may hold: refused with the reason (Art. 9(1)).
REFUSED_MARKINGS = {
    "eu_restricted": _("EU RESTRICTED or higher EU classified information"),
    "law_enforcement": _("Highly confidential operational law-enforcement information"),
}


class Language(models.TextChoices):
    EN = "en", _("English")
    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    DE = "de", _("German")
    ES = "es", _("Spanish")
    IT = "it", _("Italian")
    PL = "pl", _("Polish")
    PT = "pt", _("Portuguese")
    OTHER = "other", _("Other language")


class DeletionReason(models.TextChoices):
    DELETED = "deleted", _("Deleted")
    EXPIRED = "expired", _("Expired")
