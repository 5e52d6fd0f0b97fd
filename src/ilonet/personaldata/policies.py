"""Who may process the personal data of Art. 10.

- Records are processed by liaison officers and deploying authorities (Art. 10(2)), each only
  for the records of their own controller (member state or EU body) and only for the purposes
  of Art. 3(6) assigned to them: the purpose limitation is checked at read time too.
- The deploying authority assigns the purposes (it acts for the controller); it cannot assign
  them to itself.
- A share opens to its named recipient only the fields chosen, until it ends or is withdrawn
  (Art. 10(4)).
- The data protection officer (GDPR Art. 37, Regulation 2018/1725 Art. 43) oversees: the access
  log, what is due for erasure, on hold, shared and transferred, and the access report.
"""

from typing import Any

import rules
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.policy.predicates import has_any_role, has_role

from .access import controller_id, purposes_of
from .models import PurposeAssignment, Record, Share, Transfer

A = policy.Action

processor = has_role(Role.ILO, Role.DEPLOYING_AUTHORITY)
deploying_authority = has_role(Role.DEPLOYING_AUTHORITY)
data_protection_officer = has_role(Role.DATA_PROTECTION_OFFICER)


def _record_of(obj: Any) -> Record | None:
    if isinstance(obj, Record):
        return obj
    if isinstance(obj, Share):
        return obj.record
    return None


@rules.predicate
def works_on_the_record(user: Any, obj: Any = None) -> bool:
    """The record belongs to the user's controller and its purpose is one of theirs."""
    record = _record_of(obj)
    if obj is None:
        return True
    if record is None:
        return False
    return record.controller_id == controller_id(user) and record.purpose in purposes_of(user)


@rules.predicate
def of_own_controller(user: Any, obj: Any = None) -> bool:
    record = _record_of(obj)
    if obj is None:
        return True
    return record is not None and record.controller_id == controller_id(user)


@rules.predicate
def is_the_open_share_recipient(user: Any, obj: Any = None) -> bool:
    if obj is None:
        return True
    return (
        isinstance(obj, Share)
        and obj.recipient_id == user.pk
        and obj.withdrawn_at is None
        and obj.expires_at > timezone.now()
    )


PURPOSE_REFUSAL = _(
    "Personal data of Art. 10 is processed by liaison officers and deploying authorities, each only "
    "for the purposes of Art. 3(6) assigned to them (Art. 10(2), Art. 10(3))."
)

policy.register_rule(
    A.VIEW_PERSONAL_RECORDS,
    processor & works_on_the_record,
    basis="ILOs and deploying authorities, for their controller's records of a purpose assigned to them "
    "(Art. 10(2), Art. 10(3)).",
    refusal=PURPOSE_REFUSAL,
)
policy.register_rule(
    A.MANAGE_PERSONAL_RECORDS,
    processor & works_on_the_record,
    basis="ILOs and deploying authorities, for a purpose assigned to them (Art. 10(2), Art. 10(3)).",
    refusal=PURPOSE_REFUSAL,
)
policy.register_rule(
    A.SEARCH_PERSONAL_RECORDS,
    processor,
    basis="ILOs and deploying authorities, among the records of their purposes (Art. 10(2)).",
    refusal=PURPOSE_REFUSAL,
)
policy.register_rule(
    A.ASSIGN_PURPOSES,
    deploying_authority,
    basis="The deploying authority, for the users of its own controller (Art. 10(2), Art. 3(6)).",
)
policy.register_rule(
    A.SHARE_PERSONAL_RECORDS,
    processor & works_on_the_record,
    basis="Who works on the record: only the fields strictly necessary (Art. 10(4), Art. 3(6)(d)).",
    refusal=PURPOSE_REFUSAL,
)
policy.register_rule(
    A.VIEW_SHARED_RECORDS,
    has_any_role & is_the_open_share_recipient,
    basis="The named recipient of a share, while it is open (Art. 10(4)).",
    refusal=_("A share is open only to its named recipient, until it ends or is withdrawn (Art. 10(4))."),
)
policy.register_rule(
    A.TRANSFER_PERSONAL_DATA,
    processor & works_on_the_record,
    basis="Who works on the record, under chapter V of the GDPR (Art. 10(5)).",
    refusal=PURPOSE_REFUSAL,
)
policy.register_rule(
    A.VIEW_TRANSFER_REGISTER,
    deploying_authority | data_protection_officer,
    basis="The deploying authority and the data protection officer (Art. 10(5), GDPR Art. 30).",
)
policy.register_rule(
    A.MANAGE_LEGAL_HOLDS,
    deploying_authority & of_own_controller,
    basis="The deploying authority, for its controller's records (Art. 10(2)).",
)
policy.register_rule(
    A.OVERSEE_PERSONAL_DATA,
    data_protection_officer & of_own_controller,
    basis="The data protection officer (GDPR Art. 39, Regulation 2018/1725 Art. 45).",
    refusal=_("The access log and the oversight of personal data are for the data protection officer."),
)


@policy.register_scope(Record, A.VIEW_PERSONAL_RECORDS)
def _records_worked_on(user, qs):
    return qs.filter(controller_id=controller_id(user), purpose__in=purposes_of(user))


@policy.register_scope(Record, A.OVERSEE_PERSONAL_DATA)
def _records_overseen(user, qs):
    return qs.filter(controller_id=controller_id(user))


@policy.register_scope(Record, A.MANAGE_LEGAL_HOLDS)
def _records_held(user, qs):
    return qs.filter(controller_id=controller_id(user))


@policy.register_scope(Share, A.VIEW_SHARED_RECORDS)
def _shares_received(user, qs):
    return qs.filter(recipient=user, withdrawn_at__isnull=True, expires_at__gt=timezone.now())


@policy.register_scope(Share, A.OVERSEE_PERSONAL_DATA)
def _shares_overseen(user, qs):
    return qs.filter(record__controller_id=controller_id(user))


@policy.register_scope(Share, A.SHARE_PERSONAL_RECORDS)
def _shares_made(user, qs):
    return qs.filter(record__controller_id=controller_id(user), record__purpose__in=purposes_of(user))


@policy.register_scope(Transfer, A.VIEW_TRANSFER_REGISTER)
def _transfers_registered(user, qs):
    return qs.filter(controller_id=controller_id(user))


@policy.register_scope(PurposeAssignment, A.ASSIGN_PURPOSES)
def _assignments(user, qs):
    return qs.filter(controller_id=controller_id(user))


@policy.register_scope(AuditEvent, A.OVERSEE_PERSONAL_DATA)
def _access_log(user, qs):
    """The access log: the events of this app about the controller's records."""
    return qs.filter(action__startswith="personaldata.", details__controller=controller_id(user))
