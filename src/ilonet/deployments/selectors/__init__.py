"""Read-side functions of the deployment registry. Other apps (networks) use these, never the
tables. Lists are restricted by ``policy.scope``, so pages, search, exports and the API
cannot show more than the policy allows."""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from ilonet import policy
from ilonet.api.prepared import PreparedList
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.directory import selectors as directory
from ilonet.directory.models import Organisation, organisation_name
from ilonet.shared.prepared import PreparedQuery

from .. import geo
from ..models import (
    Deployment,
    DeploymentNotification,
    DeploymentStatus,
    RegionCountry,
    Representation,
)
from ..policies import managed_authority_ids

# One selectors module for the other apps: the gap analysis and the members of networks live in
# their own files and are read from here.
from .gaps import Coverage as Coverage
from .gaps import GapRow as GapRow
from .gaps import gap_analysis as gap_analysis
from .membership import MEMBER_ROW_FIELDS as MEMBER_ROW_FIELDS
from .membership import MemberAggregates as MemberAggregates
from .membership import active_member_aggregates as active_member_aggregates
from .membership import active_member_counts as active_member_counts
from .membership import active_member_rows as active_member_rows
from .membership import member_rows_of as member_rows_of

LIST_RELATED = ("officer", "deploying_authority", "deploying_authority__parent")


def _with_related(qs: QuerySet[Deployment]) -> QuerySet[Deployment]:
    return qs.select_related(*LIST_RELATED).prefetch_related(
        Prefetch("region", queryset=RegionCountry.objects.order_by("country")),
        Prefetch(
            "representations",
            queryset=Representation.objects.select_related("member_state").order_by("member_state__code"),
        ),
    )


_ORGANISATION_SHOWN = ("code", "kind", "acronym", "name_en", "name_nl", "country")
# The columns a list page or API list shows of a deployment, its officer and its authority, read
# as plain rows: model instances of three tables per row (dates parsed, country objects made)
# were most of a page of fifty (measured: bench/http_bench.py).
LIST_FIELDS = (
    "id", "version", "status", "country", "place_kind", "place_name", "city", "task_summary",
    "start_date", "planned_end_date", "end_date", "eu_funding_reference",
    "officer_id", "officer__first_name", "officer__last_name", "officer__email",
    *(f"deploying_authority__{name}" for name in _ORGANISATION_SHOWN),
    *(f"deploying_authority__parent__{name}" for name in _ORGANISATION_SHOWN),
)  # fmt: skip
# The contact details of the contact list (Art. 9(2)(d)), sealed per officer: read and opened
# only for the contact list, whose reads are recorded; the registry shows none of them.
CONTACT_FIELDS = ("phone", "email")


def for_list(deployments: QuerySet[Deployment], *, contact_details: bool = False) -> QuerySet:
    """A list of deployments as a page or API list shows it: plain rows (dicts) of the columns
    of ``LIST_FIELDS`` (and ``CONTACT_FIELDS`` with ``contact_details``), keyed by their paths
    (``officer__last_name``); ``attach_list_extras`` adds a page's regions and representations."""
    fields = (*LIST_FIELDS, *CONTACT_FIELDS) if contact_details else LIST_FIELDS
    return deployments.prefetch_related(None).select_related(None).values(*fields)


def _regions(ids: list[int]) -> QuerySet:
    return (
        RegionCountry.objects.filter(deployment_id__in=ids)
        .order_by("country")
        .values_list("deployment_id", "country")
    )


def _representations(ids: list[int]) -> QuerySet:
    return (
        Representation.objects.filter(deployment_id__in=ids)
        .order_by("member_state__code")
        .values_list(
            "deployment_id", "member_state__code", "member_state__name_en", "member_state__name_nl",
            "member_state__country", "tasks",
        )
    )  # fmt: skip


# Every list page and API list of the registry reads them: compiled once per page length
# (ilonet.shared.prepared).
_REGIONS = PreparedQuery(_regions, ids=[-424242])
_REPRESENTATIONS = PreparedQuery(_representations, ids=[-424242])


def attach_list_extras(rows: Sequence[dict], *, represented: bool = True) -> None:
    """For a page of ``for_list`` rows: add ``region_codes`` (the codes of the region of
    responsibility, sorted) and, unless ``represented`` is false, ``represented`` (the member
    states also represented, Art. 6(1): ``code``, ``name``, ``tasks``), in a query each."""
    ids = [row["id"] for row in rows]
    regions: dict[int, list[str]] = {}
    states: dict[int, list[dict]] = {}
    if ids:
        for deployment_id, code in _REGIONS.rows(ids=ids):
            regions.setdefault(deployment_id, []).append(code)
    if ids and represented:
        for deployment_id, code, name_en, name_nl, country, tasks in _REPRESENTATIONS.rows(ids=ids):
            name = organisation_name(code=code, name_en=name_en, name_nl=name_nl, country=country)
            states.setdefault(deployment_id, []).append({"code": code, "name": name, "tasks": tasks})
    for row in rows:
        row["region_codes"] = regions.get(row["id"], [])
        if represented:
            row["represented"] = states.get(row["id"], [])


def _search(qs: QuerySet[Deployment], search: str | None) -> QuerySet[Deployment]:
    if not search:
        return qs
    words = search.split()[:5]
    for word in words:
        qs = qs.filter(
            Q(officer__first_name__icontains=word)
            | Q(officer__last_name__icontains=word)
            | Q(officer__email__icontains=word)
            | Q(city__icontains=word)
            | Q(place_name__icontains=word)
            | Q(country__iexact=word)
        )
    return qs


def _filter(
    qs: QuerySet[Deployment],
    *,
    search: str | None = None,
    status: str | None = None,
    country: str | None = None,
    authority: str | None = None,
    place_kind: str | None = None,
    joint: bool | None = None,
    continent: str | None = None,
    covers: str | None = None,
) -> QuerySet[Deployment]:
    if status:
        qs = qs.filter(status=status)
    if country:
        qs = qs.filter(country=country.strip().upper())
    if authority:
        code = authority.strip().lower()
        qs = qs.filter(Q(deploying_authority__code=code) | Q(deploying_authority__parent__code=code))
    if place_kind:
        qs = qs.filter(place_kind=place_kind)
    if joint is not None:
        is_joint = Exists(Representation.objects.filter(deployment=OuterRef("pk")))
        qs = qs.filter(is_joint) if joint else qs.filter(~is_joint)
    if continent:
        qs = qs.filter(country__in=sorted(geo.countries_in(continent)))
    if covers:
        qs = qs.filter(
            Exists(RegionCountry.objects.filter(deployment=OuterRef("pk"), country=covers.strip().upper()))
        )
    return _search(qs, search.strip() if search else None)


def deployment_list(*, user, **filters) -> QuerySet[Deployment]:
    """The registry (Art. 4(2)): deployments the user may see, filtered and searched.

    Filters: search, status, country, authority (code of the authority or its member state),
    place_kind (Art. 2(2)), joint (Art. 6), continent, covers (a country of the region)."""
    qs = policy.scope(user, policy.Action.VIEW_DEPLOYMENTS, Deployment.objects.all())
    return _with_related(_filter(qs, **filters)).order_by("-start_date", "-id")


def registry_list_rows(user, **filters) -> QuerySet:
    """The registry's list as its page and its API list read it: ``for_list`` rows of
    ``deployment_list``."""
    return for_list(deployment_list(user=user, **filters))


def _same(value):
    return value


def _code(value: str) -> str:
    return value.strip().upper()


# The registry's page and API list without a search (the most common requests), through SQL
# compiled once per shape of the request (ilonet.api.prepared): building the list's query, its
# keyset page and its capped count through the ORM on every request was about a fifth of the
# page (issue 9, rendering cost). Only while the registry's scope is every row for every reader
# (``policy.scope_is_every_row``); should it come to depend on the reader, the ORM answers.
REGISTRY = PreparedList(
    registry_list_rows,
    Deployment,
    # Each filter only a parameter of the SQL: a value no request gives, and what _filter
    # makes of a value before it queries.
    sentinels={
        "status": ("~status~", _same),
        "country": ("~COUNTRY~", _code),
        "authority": ("~authority~", lambda value: value.strip().lower()),
        "place_kind": ("~place~", _same),
        "covers": ("~COVERS~", _code),
    },
    shape=("joint", "continent"),
    every_row=lambda: policy.scope_is_every_row(Deployment, policy.Action.VIEW_DEPLOYMENTS),
)


def joint_deployment_list(*, user, **filters) -> QuerySet[Deployment]:
    """Joint deployments (Art. 6(1), Art. 6(2), Art. 6(3)): officers who also represent other member states;
    these can receive EU funding (Art. 6(3)), hence this report."""
    filters["joint"] = True
    return deployment_list(user=user, **filters)


def manageable_deployments(*, user) -> QuerySet[Deployment]:
    """Deployments of the authorities the user notifies for (Art. 4(1))."""
    return policy.scope(user, policy.Action.MANAGE_DEPLOYMENTS, Deployment.objects.all())


def deployment_detail(*, user, pk: int) -> Deployment:
    """One deployment with its notifications, i.e. its history (Art. 4(1), Art. 4(2))."""
    qs = policy.scope(user, policy.Action.VIEW_DEPLOYMENTS, Deployment.objects.all())
    return (
        _with_related(qs)
        .prefetch_related(
            Prefetch("notifications", queryset=DeploymentNotification.objects.order_by("-version"))
        )
        .get(pk=pk)
    )


def notification_list(
    *,
    user,
    kind: str | None = None,
    country: str | None = None,
    authority: str | None = None,
    search: str | None = None,
    since: date | None = None,
) -> QuerySet[DeploymentNotification]:
    """Notifications of plans and actual deployments to the steering board, made available
    on the platform (Art. 4(1), Art. 4(2)), newest first."""
    qs = policy.scope(user, policy.Action.VIEW_DEPLOYMENTS, DeploymentNotification.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(deployment__country=country.strip().upper())
    if authority:
        code = authority.strip().lower()
        qs = qs.filter(
            Q(deployment__deploying_authority__code=code)
            | Q(deployment__deploying_authority__parent__code=code)
        )
    if since:
        qs = qs.filter(notified_at__date__gte=since)
    if search:
        for word in search.split()[:5]:
            qs = qs.filter(
                Q(deployment__officer__first_name__icontains=word)
                | Q(deployment__officer__last_name__icontains=word)
                | Q(deployment__city__icontains=word)
            )
    return qs.select_related(
        "deployment",
        "deployment__officer",
        "deployment__deploying_authority",
        "deployment__deploying_authority__parent",
    ).order_by("-notified_at", "-id")


def contact_list(
    *,
    user,
    search: str | None = None,
    country: str | None = None,
    authority: str | None = None,
    covers: str | None = None,
    continent: str | None = None,
) -> QuerySet[Deployment]:
    """The ILO contact list (Art. 9(2)(d)): name, place of deployment, region, phone and
    e-mail of the officers deployed now. Only for ILOs, steering board members and duly
    authorised staff (Art. 9(3)): anyone else gets an empty list from ``policy.scope``."""
    qs = policy.scope(user, policy.Action.VIEW_CONTACT_LIST, Deployment.objects.all())
    qs = _filter(qs, search=search, country=country, authority=authority, covers=covers, continent=continent)
    return (
        qs.select_related(*LIST_RELATED)
        .prefetch_related(Prefetch("region", queryset=RegionCountry.objects.order_by("country")))
        .order_by("country", "officer__last_name", "officer__first_name", "id")
    )


# --- the deploying authority's own work (home page, Art. 4(1)) ------------------------------


def _own(user, **conditions) -> QuerySet[Deployment]:
    """Deployments of the authorities the user notifies for (Art. 4(1)), for a short list."""
    qs = Deployment.objects.filter(**conditions).select_related("officer", "deploying_authority")
    return policy.scope(user, policy.Action.MANAGE_DEPLOYMENTS, qs)


def deployments_ending(*, user, within_days: int = 60, today: date | None = None) -> QuerySet[Deployment]:
    """Active deployments of the user's authorities whose planned end falls within ``within_days``
    days, soonest first: the end, or a new duration, will be notified to the board (Art. 4(1))."""
    today = today or timezone.localdate()
    until = today + timedelta(days=within_days)
    return _own(user, status=DeploymentStatus.ACTIVE, planned_end_date__range=(today, until)).order_by(
        "planned_end_date", "id"
    )


def plans_past_start(*, user, today: date | None = None) -> QuerySet[Deployment]:
    """Plans of the user's authorities whose start date has passed while they are still plans:
    the actual deployment, or the plan's cancellation, is due to the board (Art. 4(1))."""
    today = today or timezone.localdate()
    return _own(user, status=DeploymentStatus.PLANNED, start_date__lt=today).order_by("start_date", "id")


def ends_past_due(*, user, today: date | None = None) -> QuerySet[Deployment]:
    """Active deployments of the user's authorities whose planned end has passed: the end, or a
    new planned end, is due to the board (Art. 4(1))."""
    today = today or timezone.localdate()
    return _own(user, status=DeploymentStatus.ACTIVE, planned_end_date__lt=today).order_by(
        "planned_end_date", "id"
    )


# --- for the networks app (Art. 5): membership is derived from deployments ---------------


def active_deployments_in(*, countries: Iterable[str]) -> QuerySet[Deployment]:
    """Active deployments in any of ``countries``: the members of a local or regional network
    (Art. 5(1)). Unscoped: the caller has authorised its own use."""
    return (
        Deployment.objects.filter(status=DeploymentStatus.ACTIVE, country__in=sorted(set(countries)))
        .select_related(*LIST_RELATED)
        .order_by("start_date", "id")
    )


def active_deployments() -> QuerySet[Deployment]:
    """Every active deployment (for the board's list of deployed ILOs, Art. 8(2)(d))."""
    return (
        Deployment.objects.filter(status=DeploymentStatus.ACTIVE)
        .select_related(*LIST_RELATED)
        .order_by("country", "officer__last_name", "officer__first_name", "id")
    )


def officer_ids_deployed_by(*, authority_id: int) -> list[int]:
    """The officers an authority has deployed now (the decisions it passes on, Art. 7(9))."""
    rows = Deployment.objects.filter(status=DeploymentStatus.ACTIVE, deploying_authority_id=authority_id)
    return sorted(set(rows.values_list("officer_id", flat=True)))


def deployments_on(*, countries: Iterable[str], on: date) -> QuerySet[Deployment]:
    """Deployments in ``countries`` that were under way on a day (for meeting participants)."""
    return (
        Deployment.objects.filter(
            country__in=sorted(set(countries)),
            status__in=(DeploymentStatus.ACTIVE, DeploymentStatus.ENDED),
            start_date__lte=on,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related(*LIST_RELATED)
    )


def active_countries_of(*, officer) -> set[str]:
    """Countries where the officer is deployed now: where the officer is, according to the
    registry (the source of truth, not the role's organisation)."""
    if officer is None or not getattr(officer, "pk", None):
        return set()
    return set(
        Deployment.objects.filter(officer_id=officer.pk, status=DeploymentStatus.ACTIVE).values_list(
            "country", flat=True
        )
    )


def is_deployed_by_kinds(*, officer, kinds: Iterable[str]) -> bool:
    """Does the officer hold an active deployment by an authority of one of ``kinds`` (the
    Commission, an EU agency: the tiers of Art. 5(2))?"""
    if officer is None or not getattr(officer, "pk", None):
        return False
    return Deployment.objects.filter(
        officer_id=officer.pk,
        status=DeploymentStatus.ACTIVE,
        deploying_authority__kind__in=sorted(set(kinds)),
    ).exists()


def deployment_ids_in_region(*, deployments: Iterable[int]) -> dict[int, list[str]]:
    """Deployment id -> the countries of its region of responsibility."""
    result: dict[int, list[str]] = {}
    for deployment_id, code in (
        RegionCountry.objects.filter(deployment_id__in=list(deployments))
        .order_by("country")
        .values_list("deployment_id", "country")
    ):
        result.setdefault(deployment_id, []).append(code)
    return result


def represented_states_of(*, deployments: Iterable[int]) -> dict[int, list[str]]:
    """Deployment id -> codes of the member states it also represents (Art. 6(1))."""
    result: dict[int, list[str]] = {}
    for deployment_id, code in (
        Representation.objects.filter(deployment_id__in=list(deployments))
        .order_by("member_state__code")
        .values_list("deployment_id", "member_state__code")
    ):
        result.setdefault(deployment_id, []).append(code)
    return result


def authorities_for(*, user) -> QuerySet[Organisation]:
    """The deploying authorities the user notifies deployments for (Art. 4(1))."""
    return Organisation.objects.filter(pk__in=managed_authority_ids(user)).order_by("code")


def deploying_authorities() -> QuerySet[Organisation]:
    """Every deploying authority, for filters (Art. 1(2))."""
    return Organisation.objects.filter(is_deploying_authority=True, is_active=True).order_by("kind", "code")


def _authority_names() -> QuerySet:
    return deploying_authorities().values_list("code", "name_en", "name_nl", "country")


# The registry's filter reads them on every page: compiled once (ilonet.shared.prepared).
_AUTHORITY_NAMES = PreparedQuery(_authority_names)


def deploying_authority_choices() -> list[tuple[str, str]]:
    """(code, name in the active language) of every deploying authority, in the order of
    ``deploying_authorities``: the registry's filter, without model instances."""
    return [
        (code, organisation_name(code=code, name_en=name_en, name_nl=name_nl, country=country or ""))
        for code, name_en, name_nl, country in _AUTHORITY_NAMES.rows()
    ]


# --- reading the input of a notification (Art. 2, 4) ---------------------------------------


# Contact details of the officer (Art. 9(2)(d)): read only through the contact-list rule, never
# kept in a notification's values nor in the audit trail.
CONTACT_FIELDS = ("phone", "email")


def officer_refused() -> ValidationError:
    """One message for an unknown address and an officer of another member state, so the
    answer does not tell whether an address has an account."""
    return ValidationError(
        {
            "officer_email": _(
                "This deploying authority has no officer with an active account at this e-mail address."
            )
        }
    )


def officer_serves(*, authority: Organisation, officer) -> bool:
    """Art. 4(1): an authority deploys its own officers: the officer's organisation is the
    authority (or part of it), or belongs to the authority's member state."""
    org = officer.organisation
    node = org
    while node is not None:
        if node.pk == authority.pk:
            return True
        node = node.parent
    own_state = authority.member_state
    return own_state is not None and org.member_state is not None and org.member_state.pk == own_state.pk


def officer_by_email(email: str, *, authority: Organisation | None = None):
    """The active account of the officer to deploy, by e-mail address (Art. 2(1)); with an
    authority, only an officer that authority deploys (Art. 4(1))."""
    user_model = get_user_model()
    officer = (
        user_model.objects.select_related("organisation__parent__parent")
        .filter(email__iexact=(email or "").strip(), is_active=True)
        .first()
    )
    if officer is None or (
        authority is not None and not officer_serves(authority=authority, officer=officer)
    ):
        raise officer_refused()
    return officer


def authority_by_code(code: str) -> Organisation:
    """A deploying authority by its directory code (Art. 1(2), Art. 4)."""
    try:
        return directory.get_by_code((code or "").strip().lower())
    except Organisation.DoesNotExist:
        raise ValidationError(
            {"deploying_authority": _("Unknown deploying authority “%(code)s”.") % {"code": code}}
        ) from None


def country_problem(code: str, *, what: str) -> str | None:
    """Art. 2(2): liaison officers are deployed in third countries."""
    if not directory.is_known_country(code):
        return _("Unknown country code “%(code)s”: use an ISO 3166-1 alpha-2 code such as MA.") % {
            "code": code
        }
    if not directory.is_third_country(code):
        if directory.member_state_of_part(code):
            # An outermost region or Åland is part of the Union (Art. 349 TFEU).
            message = "%(reason)s " + _("%(what)s must be a third country (Art. 2(2)).")
        elif directory.is_member_state(code):
            message = _("%(country)s is an EU member state. %(what)s must be a third country (Art. 2(2)).")
        else:
            message = _(
                "%(country)s is a Schengen-associated country. %(what)s must be a third country (Art. 2(2))."
            )
        reason = directory.not_third_country_reason(code)
        return message % {"country": countries.name(code), "what": what, "reason": reason}
    return None


def as_notified(deployment: Deployment) -> dict[str, Any]:
    """The deployment as notified to the steering board (Art. 4(1)): a complete version. The
    contact details are not part of it: they are read through the contact list only
    (Art. 9(2)(d), Art. 9(3)); ``_contact_values`` tells whether they changed."""
    return {
        "status": deployment.status,
        "deploying_authority": deployment.deploying_authority.code,
        "officer_id": deployment.officer_id,
        "officer_name": str(deployment.officer),
        "country": deployment.country.code,
        "place_kind": deployment.place_kind,
        "place_name": deployment.place_name,
        "city": deployment.city,
        "task_summary": deployment.task_summary,
        "start_date": deployment.start_date.isoformat(),
        "planned_end_date": deployment.planned_end_date.isoformat(),
        "end_date": deployment.end_date.isoformat() if deployment.end_date else None,
        "region": sorted(r.country.code for r in deployment.region.all()),
        "represented": [
            {"member_state": r.member_state.code, "tasks": r.tasks}
            for r in deployment.representations.select_related("member_state").order_by("member_state__code")
        ],
        "eu_funding_reference": deployment.eu_funding_reference,
    }


def read_contact_details(*, actor: Any, deployment: Deployment) -> dict[str, str] | None:
    """The contact details of one deployed officer, through the contact-list rule: only for
    the readers of Art. 9(3), only while the deployment is active (Art. 9(2)(d)), and each
    read audited. None for everyone else."""
    if not policy.can(actor, policy.Action.VIEW_CONTACT_LIST):
        return None
    visible = policy.scope(
        actor, policy.Action.VIEW_CONTACT_LIST, Deployment.objects.filter(pk=deployment.pk)
    )
    if not visible.exists():
        return None
    audit.record(
        action=AuditAction.PERSONAL_DATA_READ,
        actor=actor,
        obj=deployment,
        details={"list": "ilo_contacts", "format": "html", "deployment": deployment.pk, "rows": 1},
    )
    return {"phone": deployment.phone, "email": deployment.email or deployment.officer.email}
