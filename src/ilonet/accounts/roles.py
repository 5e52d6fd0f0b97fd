"""The roles of the platform, from the brief's table (Reg. 2019/1240 and the return strategy)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ILO = "ilo", _("Immigration liaison officer")  # Art. 2(1), Art. 2(2)
    DEPLOYING_AUTHORITY = "deploying_authority", _("Deploying-authority officer")  # Art. 1(2), 4
    FACILITATOR = "facilitator", _("Network facilitator")  # Art. 5(2)
    BOARD_MEMBER = "board_member", _("Steering board member")  # Art. 7(2)
    BOARD_ALTERNATE = "board_alternate", _("Steering board alternate")  # Art. 7(2)
    NON_VOTING_MEMBER = "non_voting_member", _("Non-voting board member")  # Art. 7(3)
    CHAIR = "chair", _("Steering board chair")  # Art. 7(6)
    SECRETARIAT = "secretariat", _("Steering board secretariat")  # Art. 7(6)
    OBSERVER = "observer", _("Observer")  # Art. 7(4)
    EP_READER = "ep_reader", _("European Parliament reader")  # Art. 9(4)
    RETURN_OFFICER = "return_officer", _("Member-state return officer")  # RS 2(c)
    RETURN_COORDINATOR = "return_coordinator", _("EU return coordinator")  # RS 1
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    # GDPR Art. 37, Regulation 2018/1725 Art. 43: oversees the personal data of Art. 10
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")


# Roles whose holders are "steering board members" in the sense of Art. 9(3).
BOARD_ROLES: frozenset[str] = frozenset(
    {Role.BOARD_MEMBER, Role.BOARD_ALTERNATE, Role.NON_VOTING_MEMBER, Role.CHAIR}
)

# Art. 9(3): the contact list and the list of board members (the only personal data on the
# platform, Art. 9(2)(c) and Art. 9(2)(d)) are for ILOs, steering board members and duly
# authorised staff: read here as the secretariat and the deploying authorities. Platform
# administrators manage accounts, not the network: they are not among them (least privilege).
ART_9_3_READERS: frozenset[str] = frozenset({
    Role.ILO, Role.FACILITATOR, Role.BOARD_MEMBER, Role.BOARD_ALTERNATE, Role.NON_VOTING_MEMBER,
    Role.CHAIR, Role.SECRETARIAT, Role.DEPLOYING_AUTHORITY,
})  # fmt: skip

# Roles that open personal data: granted by one administrator and confirmed by another. The data
# protection officer reads the access log and the records of Art. 10 for its oversight.
PERSONAL_DATA_ROLES: frozenset[str] = ART_9_3_READERS | {Role.DATA_PROTECTION_OFFICER}
