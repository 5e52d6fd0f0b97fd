"""Who reads and writes what on the information exchange platform (Art. 9).

- Art. 9(1): officers, steering board members and facilitators upload and exchange documents in
  the spaces they work in (``access``); nothing above the markings the platform may hold.
- Art. 9(3): a finding of the personal-data guard is overridden only by a user the board
  authorised, by its decision.
- Art. 9(4): the European Parliament's reader sees only what the board opened by its decision;
  the chair and secretariat record those decisions (Art. 7(6)).
"""

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.policy.predicates import has_role

from . import access
from .models import Document, DocumentVersion, Folder, ParliamentOpening, Space

A = policy.Action


def _space_id(obj: Any) -> int | None:
    if isinstance(obj, Space):
        return obj.pk
    if isinstance(obj, Folder | Document):
        return obj.space_id
    if isinstance(obj, DocumentVersion):
        return obj.document.space_id
    return None


@rules.predicate
def reads_exchange(user: Any, obj: Any = None) -> bool:
    """Art. 9(1), Art. 9(4): members of a space read it; the European Parliament's reader reads
    what the board opened to it."""
    if obj is None:
        return bool(policy.role_names(user) & (access.EXCHANGE_ROLES | {Role.EP_READER}))
    if isinstance(obj, Space):
        return obj.pk in access.working_spaces(user) or obj.pk in access.parliament_view(user).spaces
    if isinstance(obj, Folder):
        return Folder.objects.filter(access.readable_folders_q(user), pk=obj.pk).exists()
    if isinstance(obj, DocumentVersion):
        obj = obj.document
    if isinstance(obj, Document):
        return access.document_is_readable(user, obj)
    return False


@rules.predicate
def contributes(user: Any, obj: Any = None) -> bool:
    """Art. 9(1): the members of a space upload documents and new versions to it."""
    if obj is None:
        return bool(policy.role_names(user) & access.EXCHANGE_ROLES)
    space_id = _space_id(obj)
    return space_id is not None and space_id in access.working_spaces(user)


@rules.predicate
def manages(user: Any, obj: Any = None) -> bool:
    """Art. 9(1): a space's managers organise it: folders, move, delete, restore, expiry, and
    breaking a check-out. Without an object: any role that can manage some space (the space
    decides)."""
    if obj is None:
        return bool(policy.role_names(user) & access.EXCHANGE_ROLES)
    space_id = _space_id(obj)
    return space_id is not None and space_id in access.managed_spaces(user)


@rules.predicate
def authorised_to_override(user: Any, obj: Any = None) -> bool:
    """Art. 9(3): a user the board authorised by its decision overrides a finding they judge
    false, in a space they contribute to. Without an object: the roles that add documents (the
    board's authorisation is checked with the document or space)."""
    if obj is None:
        return bool(policy.role_names(user) & access.EXCHANGE_ROLES)
    return access.may_override(user) and contributes(user, obj)


@rules.predicate
def may_follow(user: Any, obj: Any = None) -> bool:
    """Art. 9(1): a reader of a space or folder follows it; a reader of the exchange follows a
    topic of Art. 3(4) (a topic's letter as the object). What they are then told is filtered
    again by what they may open."""
    if isinstance(obj, Space | Folder):
        return reads_exchange(user, obj)
    if obj is None or isinstance(obj, str):
        return reads_exchange(user, None)
    return False


board_office = has_role(*access.BOARD_OFFICE)
has_role(*access.EXCHANGE_ROLES, Role.EP_READER)  # recorded for the role-name check

policy.register_rule(
    A.VIEW_EXCHANGE,
    reads_exchange,
    refusal=_(
        "The information exchange platform is for liaison officers, steering board members and "
        "facilitators (Art. 9(1)); the European Parliament sees the parts the steering board "
        "opened to it (Art. 9(4))."
    ),
)
policy.register_rule(
    A.CONTRIBUTE_TO_EXCHANGE,
    contributes,
    refusal=_("Only the members of a space add documents to it (Art. 9(1))."),
)
policy.register_rule(
    A.MANAGE_SPACE,
    manages,
    refusal=_("Only the managers of this space organise it (Art. 9(1))."),
)
policy.register_rule(A.MANAGE_SPACES, board_office, basis="Art. 7(6), Art. 8(3)(a).")
policy.register_rule(
    A.OPEN_TO_PARLIAMENT,
    board_office,
    basis="Art. 9(4).",
    refusal=_(
        "The chair and the secretariat record what the steering board opened to the European "
        "Parliament (Art. 9(4))."
    ),
)
policy.register_rule(A.AUTHORISE_GUARD_OVERRIDES, board_office, basis="Art. 9(3).")
policy.register_rule(
    A.FOLLOW_EXCHANGE,
    may_follow,
    refusal=_("Only the readers of a space or folder follow it (Art. 9(1))."),
)
policy.register_rule(
    A.OVERRIDE_GUARD,
    authorised_to_override,
    refusal=_("Only a user the steering board authorised may override the personal-data check (Art. 9(3))."),
)


@policy.register_scope(Space, A.VIEW_EXCHANGE)
def _spaces(user, qs):
    return qs.filter(access.readable_spaces_q(user))


@policy.register_scope(Folder, A.VIEW_EXCHANGE)
def _folders(user, qs):
    return qs.filter(access.readable_folders_q(user))


@policy.register_scope(Document, A.VIEW_EXCHANGE)
def _documents(user, qs):
    return qs.filter(access.readable_documents_q(user))


@policy.register_scope(DocumentVersion, A.VIEW_EXCHANGE)
def _versions(user, qs):
    return qs.filter(document__in=Document.objects.filter(access.readable_documents_q(user)))


@policy.register_scope(Space, A.MANAGE_SPACE)
def _managed(user, qs):
    return qs.filter(pk__in=access.managed_spaces(user))


@policy.register_scope(Space, A.CONTRIBUTE_TO_EXCHANGE)
def _contributed(user, qs):
    return qs.filter(pk__in=access.working_spaces(user))


@policy.register_scope(ParliamentOpening, A.VIEW_EXCHANGE)
def _openings(user, qs):
    """The board's office and the Parliament's reader see the openings in force (Art. 9(4))."""
    if policy.role_names(user) & access.BOARD_OFFICE:
        return qs
    if access.is_parliament_reader(user):
        return qs.filter(withdrawn_at__isnull=True)
    return qs.none()
