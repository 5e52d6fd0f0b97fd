"""Who reads, writes and manages which space (Art. 9(1), Art. 9(3), Art. 9(4)), as sets of ids
computed once per request (``policy.request_cache``). The rules in ``policies.py`` and every
queryset scope read these sets, so pages, ZIPs, counts, search and the API agree.

- the steering board's space: the board (members, alternates, non-voting members, the chair)
  and its secretariat (Art. 7(6)); managed by the chair and the secretariat;
- a network's space: the officers deployed in the network's countries now (Art. 5(1)) and its
  facilitator (Art. 5(2)); managed by the facilitator;
- a working group's space (Art. 8(3)(a)): its members; managed by its managers and by the chair
  and secretariat;
- the European Parliament's reader: only what the board opened by a recorded decision
  (Art. 9(4)), never a sensitive document unless the board opened that very document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from ilonet import policy
from ilonet.accounts.roles import BOARD_ROLES, Role
from ilonet.networks import selectors as networks
from ilonet.shared.idlists import ids_in

from .models import Folder, Marking, OverrideAuthorisation, ParliamentOpening, Space, SpaceKind, SpaceMember

BOARD_OFFICE: frozenset[str] = frozenset({Role.CHAIR, Role.SECRETARIAT})
BOARD_SPACE_ROLES: frozenset[str] = BOARD_ROLES | {Role.SECRETARIAT}
NETWORK_ROLES: frozenset[str] = frozenset({Role.ILO, Role.FACILITATOR})
# Who works on the platform (Art. 9(1)): officers, the board, facilitators, the secretariat.
EXCHANGE_ROLES: frozenset[str] = BOARD_SPACE_ROLES | NETWORK_ROLES


def _facilitated_network_ids(user: Any) -> set[int]:
    ids = set()
    for role, _org, ref in policy.roles_of(user):
        if role == Role.FACILITATOR and ref.startswith("network:"):
            try:
                ids.add(int(ref.split(":", 1)[1]))
            except ValueError:
                continue
    return ids


def _member_spaces_q(user: Any, held: set[str]) -> Q:
    query = Q(pk__in=SpaceMember.objects.filter(user_id=user.pk).values("space_id"))
    if held & BOARD_SPACE_ROLES:
        query |= Q(kind=SpaceKind.BOARD)
    if held & NETWORK_ROLES:
        network_ids = set(networks.network_ids_of_officer(officer=user))
        network_ids |= _facilitated_network_ids(user)
        query |= Q(network_id__in=network_ids)
    return query


def _compute_member_spaces(user: Any) -> frozenset[int]:
    query = _member_spaces_q(user, policy.role_names(user))
    return frozenset(Space.objects.filter(query).values_list("pk", flat=True))


def _compute_managed_spaces(user: Any) -> frozenset[int]:
    held = policy.role_names(user)
    query = Q(pk__in=SpaceMember.objects.filter(user_id=user.pk, is_manager=True).values("space_id"))
    if held & BOARD_OFFICE:
        query |= Q(kind__in=(SpaceKind.BOARD, SpaceKind.WORKING_GROUP))
    if Role.FACILITATOR in held or Role.ILO in held:
        facilitated = _facilitated_network_ids(user) | networks.network_ids_facilitated_by(officer=user)
        query |= Q(network_id__in=facilitated)
    return frozenset(Space.objects.filter(query).values_list("pk", flat=True))


def _compute_working_spaces(user: Any) -> frozenset[int]:
    """Member or manager, in one query. The managed spaces add only the board office's working
    groups to the member spaces: a space member who manages is a member, and the networks an
    officer facilitates (Art. 5(2)) are among the networks they are a member of (Art. 5(1))."""
    held = policy.role_names(user)
    query = _member_spaces_q(user, held)
    if held & BOARD_OFFICE:
        query |= Q(kind__in=(SpaceKind.BOARD, SpaceKind.WORKING_GROUP))
    return frozenset(Space.objects.filter(query).values_list("pk", flat=True))


def member_spaces(user: Any) -> frozenset[int]:
    """Ids of the spaces whose documents the user reads and contributes to."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return policy.request_cache(user, "exchange.member_spaces", lambda: _compute_member_spaces(user))


def managed_spaces(user: Any) -> frozenset[int]:
    """Ids of the spaces the user organises (folders, move, delete, restore, break a check-out)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return policy.request_cache(user, "exchange.managed_spaces", lambda: _compute_managed_spaces(user))


def working_spaces(user: Any) -> frozenset[int]:
    """Member or manager: the spaces whose documents the user reads and adds to."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return policy.request_cache(user, "exchange.working_spaces", lambda: _compute_working_spaces(user))


@dataclass(frozen=True)
class ParliamentView:
    """What the board opened to the European Parliament (Art. 9(4)), still in force."""

    spaces: frozenset[int] = frozenset()
    folders: frozenset[int] = frozenset()  # opened folders and all their subfolders
    documents: frozenset[int] = frozenset()
    empty: bool = field(default=True)


def _descendants(folder_ids: set[int]) -> set[int]:
    found, frontier = set(folder_ids), set(folder_ids)
    while frontier:
        frontier = set(Folder.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def _compute_parliament_view() -> ParliamentView:
    rows = ParliamentOpening.objects.filter(withdrawn_at__isnull=True).values_list(
        "space_id", "folder_id", "document_id"
    )
    spaces = {s for s, _f, _d in rows if s}
    folders = {f for _s, f, _d in rows if f}
    documents = {d for _s, _f, d in rows if d}
    return ParliamentView(
        frozenset(spaces),
        frozenset(_descendants(folders)),
        frozenset(documents),
        not (spaces or folders or documents),
    )


def parliament_view(user: Any) -> ParliamentView:
    if Role.EP_READER not in policy.role_names(user):
        return ParliamentView()
    return policy.request_cache(user, "exchange.parliament", _compute_parliament_view)


def is_parliament_reader(user: Any) -> bool:
    return Role.EP_READER in policy.role_names(user)


def may_override(user: Any) -> bool:
    """Has the board authorised this user to override the personal-data guard (Art. 9(3))?"""
    return policy.request_cache(
        user,
        "exchange.may_override",
        lambda: OverrideAuthorisation.objects.filter(user_id=user.pk, revoked_at__isnull=True).exists(),
    )


# --- row filters, shared by the rules and the scopes ----------------------------------------------------


def readable_documents_q(user: Any) -> Q:
    """Documents in force (not deleted, not expired) the user may open."""
    query = Q(space_id__in=working_spaces(user))
    view = parliament_view(user)
    if not view.empty:
        opened = (Q(space_id__in=view.spaces) | Q(folder_id__in=view.folders)) & ~Q(marking=Marking.SENSITIVE)
        query |= opened | Q(pk__in=view.documents)
    # Not in a deleted folder: the few deleted folders as a subquery (hashed once a query), not
    # a join on every document's folder, so that a count per space reads only the index
    # ``exchange_doc_live`` (space, folder of the live documents; docs/benchmarks.md).
    live_folder = ~Q(folder_id__in=Folder.objects.filter(deleted_at__isnull=False).values("pk"))
    return query & Q(deleted_at__isnull=True) & live_folder


def readable_folders_q(user: Any) -> Q:
    view = parliament_view(user)
    opened = Q(space_id__in=view.spaces) | Q(pk__in=view.folders)
    return (Q(space_id__in=working_spaces(user)) | opened) & Q(deleted_at__isnull=True)


def readable_spaces_q(user: Any) -> Q:
    # The ids as one parameter: the secretariat's 400 spaces as 400 placeholders cost a third
    # of the list of spaces' Python time (docs/benchmarks.md, "Full-text search").
    return ids_in("pk", working_spaces(user) | parliament_view(user).spaces)


def document_is_readable(user: Any, document: Any) -> bool:
    from .models import Document

    return Document.objects.filter(readable_documents_q(user), pk=document.pk).exists()
