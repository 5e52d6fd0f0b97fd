"""What a role is scoped to, and what an administrator may choose from when granting it.

A role implies one kind of scope (or none): a return officer acts for a member state, a
deploying-authority officer for an authority or a whole member state (Art. 4(1)), a board
member for the member state or EU body whose seat it is (Art. 7(2), Art. 7(3)), an ILO for
the country of deployment (Art. 2(2)), a facilitator for a network (Art. 5(2)). Organisations
are kept in ``RoleAssignment.organisation``; other objects in ``scope_ref`` as ``kind:id``
(``network:12``), a form people never type: the page offers a picker labelled by name, and
``check`` validates whatever arrives (page or API) against the role and the policy.

Objects of apps above accounts (networks) are offered by those apps:
``register_object_kind`` at start-up.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.directory import selectors as directory
from ilonet.directory.models import Organisation, OrganisationKind

from .roles import Role


class ScopeKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("Member state")
    BOARD_SEAT = "board_seat", _("Member state or EU body represented")
    DEPLOYING_AUTHORITY = "deploying_authority", _("Deploying authority")
    THIRD_COUNTRY = "third_country", _("Country of deployment")
    NETWORK = "network", _("Network")


ROLE_SCOPES: dict[str, ScopeKind] = {
    Role.ILO: ScopeKind.THIRD_COUNTRY,  # Art. 2(2)
    Role.DEPLOYING_AUTHORITY: ScopeKind.DEPLOYING_AUTHORITY,  # Art. 1(2), Art. 4(1)
    Role.FACILITATOR: ScopeKind.NETWORK,  # Art. 5(2)
    Role.BOARD_MEMBER: ScopeKind.BOARD_SEAT,  # Art. 7(2)
    Role.BOARD_ALTERNATE: ScopeKind.BOARD_SEAT,  # Art. 7(2)
    Role.NON_VOTING_MEMBER: ScopeKind.BOARD_SEAT,  # Art. 7(3)
    Role.CHAIR: ScopeKind.BOARD_SEAT,  # Art. 7(6): a representative of the Commission
    Role.RETURN_OFFICER: ScopeKind.MEMBER_STATE,  # RS 2(c)
}

HELP_TEXTS: dict[str | None, Any] = {
    None: _("This role has no scope."),
    ScopeKind.MEMBER_STATE: _("Optional. The member state the return officer works for."),
    ScopeKind.BOARD_SEAT: _("Optional. The member state or EU body whose seat the person holds (Art. 7(2))."),
    ScopeKind.DEPLOYING_AUTHORITY: _(
        "Optional. The authority the officer notifies deployments for, or a member state for all its "
        "authorities (Art. 4(1)). Empty: the officer's own organisation."
    ),
    ScopeKind.THIRD_COUNTRY: _("Optional. The country where the officer is deployed (Art. 2(2))."),
    ScopeKind.NETWORK: _("Optional. The network the facilitator facilitates (Art. 5(2))."),
}

_ORGANISATIONS: dict[str, Q] = {
    ScopeKind.MEMBER_STATE: Q(kind=OrganisationKind.MEMBER_STATE),
    ScopeKind.BOARD_SEAT: Q(
        kind__in=(
            OrganisationKind.MEMBER_STATE,
            OrganisationKind.SCHENGEN_ASSOCIATED,
            OrganisationKind.EU_INSTITUTION,
            OrganisationKind.EU_AGENCY,
        )
    ),
    ScopeKind.DEPLOYING_AUTHORITY: Q(kind=OrganisationKind.MEMBER_STATE) | Q(is_deploying_authority=True),
    ScopeKind.THIRD_COUNTRY: Q(kind=OrganisationKind.THIRD_COUNTRY),
}


@dataclass(frozen=True)
class ObjectKind:
    """Objects of an app above accounts that a role can be scoped to: ``choices(actor)`` the
    (id, name) pairs the actor may grant, ``names(ids)`` their names for display."""

    choices: Callable[[Any], Iterable[tuple[int, str]]]
    names: Callable[[Iterable[int]], dict[int, str]]


_OBJECT_KINDS: dict[str, ObjectKind] = {}


def register_object_kind(kind: str, *, choices, names) -> None:
    """Called once at start-up by the app that owns the objects (networks: ``network``)."""
    if kind not in ScopeKind.values or kind in _ORGANISATIONS:
        raise ValueError(f"{kind!r} is not an object scope kind of ilonet.accounts.scopes.ScopeKind")
    _OBJECT_KINDS[kind] = ObjectKind(choices=choices, names=names)


def kind_of(role: str | None) -> ScopeKind | None:
    return ROLE_SCOPES.get(role or "")


def help_text(role: str | None) -> Any:
    return HELP_TEXTS[kind_of(role)] if role else ""


def grantable_organisations(*, actor: Any, kind: str) -> QuerySet[Organisation]:
    """The organisations of one scope kind the actor may grant roles for (the policy's scope)."""
    visible = policy.scope(actor, policy.Action.MANAGE_ROLES, Organisation.objects.all())
    return visible.filter(_ORGANISATIONS[kind], is_active=True).select_related("parent")


def _organisation_label(org: Organisation) -> str:
    if org.kind == OrganisationKind.NATIONAL_AUTHORITY and org.parent is not None:
        return f"{org.name} ({org.parent.name})"
    return org.name


def options(*, actor: Any, kind: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The picker's options for one scope kind: groups of (value, name), by name. A value is
    ``kind:id``; ``check`` reads it back."""
    if kind in _ORGANISATIONS:
        groups: dict[str, list[tuple[str, str]]] = {}
        for org in directory.sorted_by_name(grantable_organisations(actor=actor, kind=kind), by_kind=True):
            label = str(OrganisationKind(org.kind).label)
            groups.setdefault(label, []).append((f"{kind}:{org.pk}", _organisation_label(org)))
        return list(groups.items())
    provider = _OBJECT_KINDS.get(kind)
    if provider is None:
        return []
    pairs = sorted(provider.choices(actor), key=lambda pair: pair[1].casefold())
    return [(str(ScopeKind(kind).label), [(f"{kind}:{pk}", name) for pk, name in pairs])]


def choices_for(*, actor: Any, role: str | None) -> list:
    """The choices of the scope picker for a role; without a role, every kind (the page works
    without JavaScript: ``check`` then refuses a scope of the wrong kind)."""
    empty = ("", gettext("No scope"))
    if role:
        kind = kind_of(role)
        return [empty, *options(actor=actor, kind=kind)] if kind else [empty]
    groups: list = [empty]
    for kind in ScopeKind.values:
        groups.extend(options(actor=actor, kind=kind))
    return groups


def _parse(value: str) -> tuple[str, int] | None:
    kind, _sep, number = (value or "").partition(":")
    if kind not in ScopeKind.values or not number.isdigit() or len(number) > 18:
        return None
    return kind, int(number)


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def check(
    *, actor: Any, role: str, organisation: Organisation | None = None, scope_ref: str = "", field: str = ""
) -> tuple[Organisation | None, str]:
    """The scope of a grant, checked: of the kind the role implies, among what the actor may
    grant. Returns (organisation, scope_ref) to store. ``field`` names the form field errors
    belong to (the picker); by default they go to ``organisation`` or ``scope_ref``."""
    kind = kind_of(role)
    if organisation is None and not scope_ref:
        return None, ""
    if kind is None:
        raise _refuse(
            field or ("organisation" if organisation else "scope_ref"), gettext("This role has no scope.")
        )
    if organisation is not None and scope_ref:
        raise _refuse(field or "scope_ref", gettext("Choose one scope: an organisation or another object."))
    wrong_kind = gettext("For this role, choose a scope of the kind “%(kind)s”.") % {
        "kind": ScopeKind(kind).label
    }
    if organisation is not None:
        if kind not in _ORGANISATIONS:
            raise _refuse(field or "organisation", wrong_kind)
        if not grantable_organisations(actor=actor, kind=kind).filter(pk=organisation.pk).exists():
            raise _refuse(field or "organisation", wrong_kind)
        return organisation, ""
    parsed = _parse(scope_ref)
    if parsed is None or parsed[0] != kind or kind not in _OBJECT_KINDS:
        raise _refuse(field or "scope_ref", wrong_kind)
    allowed = {pk for pk, _name in _OBJECT_KINDS[kind].choices(actor)}
    if parsed[1] not in allowed:
        raise _refuse(field or "scope_ref", gettext("This scope does not exist or you may not grant it."))
    return None, f"{kind}:{parsed[1]}"


def from_picker(*, actor: Any, role: str, value: str) -> tuple[Organisation | None, str]:
    """The picker's value (``kind:id``) as (organisation, scope_ref), checked like ``check``."""
    if not value:
        return None, ""
    parsed = _parse(value)
    if parsed is None:
        raise _refuse("scope", gettext("Choose a scope from the list."))
    kind, pk = parsed
    if kind in _ORGANISATIONS:
        organisation = Organisation.objects.filter(pk=pk).first()
        if organisation is None:
            raise _refuse("scope", gettext("This scope does not exist or you may not grant it."))
        return check(actor=actor, role=role, organisation=organisation, field="scope")
    return check(actor=actor, role=role, scope_ref=value, field="scope")


def describe(assignment: Any) -> str:
    """The scope of a role assignment as people read it: the organisation or object by name."""
    if assignment.organisation_id:
        return _organisation_label(assignment.organisation)
    parsed = _parse(assignment.scope_ref)
    if parsed is None:
        return assignment.scope_ref
    kind, pk = parsed
    provider = _OBJECT_KINDS.get(kind)
    name = provider.names([pk]).get(pk) if provider else None
    return f"{ScopeKind(kind).label}: {name}" if name else assignment.scope_ref
