"""Write-side functions of the networks app. Each runs in one transaction with its audit
event; a refused or invalid write changes nothing."""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as iso_countries

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.deployments import selectors as deployments
from ilonet.deployments.models import PlaceKind
from ilonet.directory import selectors as directory
from ilonet.policy.markers import system_operation

from . import dates, hooks, notices, selectors
from .facilitation import FacilitatorDecision
from .models import (
    ActivityKind,
    ActivityParticipant,
    ActivityTopic,
    Associate,
    FacilitatorAgreement,
    FacilitatorBasis,
    FacilitatorNotification,
    FacilitatorNotificationKind,
    Network,
    NetworkActivity,
    NetworkCountry,
    NetworkKind,
    OfficerList,
    OfficerListEntry,
    OfficerListNetwork,
    Topic,
)

MAX_NETWORK_COUNTRIES = 60


def _actor_label(actor: Any) -> str:
    return (getattr(actor, "email", "") or "") if actor is not None else ""


# --- facilitators: Art. 5(2), Art. 5(3) -----------------------------------------------------------


def _notify_if_changed(
    *, actor: Any, network: Network, decision: FacilitatorDecision, last: FacilitatorNotification | None
) -> FacilitatorNotification | None:
    """Art. 5(3): the steering board is told without undue delay of the facilitator's
    appointment or change, or that none was appointed. Stored once per change."""
    if last is not None and last.officer_id == decision.officer_id and last.basis == decision.basis:
        return None
    if decision.facilitator is None:
        kind = FacilitatorNotificationKind.NONE
    elif last is None or last.officer_id is None:
        kind = FacilitatorNotificationKind.APPOINTED
    else:
        kind = FacilitatorNotificationKind.CHANGED
    notification = FacilitatorNotification.objects.create(
        network=network,
        kind=kind,
        notified_at=timezone.now(),
        basis=decision.basis,
        officer_id=decision.officer_id,
        officer_name=decision.facilitator.name if decision.facilitator else "",
        previous_officer_name=(last.officer_name if last is not None else ""),
        reason=decision.reason,
        reason_params=decision.params,
        triggered_by_label=_actor_label(actor),
    )
    audit.record_change(
        actor=actor,
        action=AuditAction.NETWORK_FACILITATOR_NOTIFIED,
        obj=network,
        changes={
            "kind": kind,
            "basis": decision.basis,
            # References, not names: the trail is read by administrators (Art. 9(3)).
            "facilitator_id": notification.officer_id,
            "previous_facilitator_id": last.officer_id if last is not None else None,
            "notification": notification.pk,
        },
    )
    notices.facilitator_notified(network=network, notification=notification)
    return notification


@system_operation
@transaction.atomic
def review_facilitators(*, actor: Any, network_ids: Iterable[int]) -> list[FacilitatorNotification]:
    """Apply Art. 5(2) to the networks and notify the steering board of every change
    (Art. 5(3)). Called after every change of deployments, agreements or network countries."""
    networks = list(Network.objects.filter(pk__in=list(network_ids)).order_by("pk"))
    if not networks:
        return []
    decisions = selectors.facilitators_for(networks)
    last_by_network: dict[int, FacilitatorNotification] = {}
    for row in FacilitatorNotification.objects.filter(network__in=networks).order_by(
        "network_id", "-notified_at", "-id"
    ):
        last_by_network.setdefault(row.network_id, row)
    created = []
    for network in networks:
        made = _notify_if_changed(
            actor=actor, network=network, decision=decisions[network.pk], last=last_by_network.get(network.pk)
        )
        if made is not None:
            created.append(made)
    return created


@system_operation
def review_facilitators_for_countries(*, actor: Any, countries: Iterable[str]) -> None:
    """Hook of the deployment registry (``ilonet.deployments.hooks``): deployments in these
    countries changed, so membership (Art. 5(1)) and the facilitator (Art. 5(2)) may have."""
    ids = list(
        NetworkCountry.objects.filter(country__in=list(countries))
        .values_list("network_id", flat=True)
        .distinct()
    )
    if ids:
        review_facilitators(actor=actor, network_ids=ids)


# --- networks: Art. 5(1) ---------------------------------------------------------------------


def _clean_network(
    *, name: str, kind: str, countries: Iterable[str], exclude_pk: int | None
) -> tuple[str, list[str]]:
    """A local network has one third country, a regional network several (Art. 5(1))."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("This field is required.")
    elif len(name) > 200:
        errors["name"] = _("At most %(max)d characters.") % {"max": 200}
    elif Network.objects.filter(name__iexact=name).exclude(pk=exclude_pk or 0).exists():
        errors["name"] = _("A network with this name already exists.")
    if kind not in NetworkKind.values:
        errors["kind"] = _("Choose a local or a regional network.")
    codes: list[str] = []
    for raw in countries or ():
        code = str(raw).strip().upper()
        if code and code not in codes:
            codes.append(code)
    for code in codes:
        if not directory.is_known_country(code):
            errors["countries"] = _("Unknown country code “%(code)s”: use an ISO 3166-1 alpha-2 code.") % {
                "code": code
            }
            break
        if not directory.is_third_country(code):
            errors["countries"] = (
                directory.not_third_country_reason(code)
                + " "
                + _(
                    "%(country)s is not a third country: networks are of officers deployed in third "
                    "countries (Art. 5(1))."
                )
                % {"country": iso_countries.name(code)}
            )
            break
    if "countries" not in errors:
        if not codes:
            errors["countries"] = _("Choose the country or countries of the network.")
        elif kind == NetworkKind.LOCAL and len(codes) != 1:
            errors["countries"] = _("A local network is in exactly one country; choose a regional network.")
        elif kind == NetworkKind.REGIONAL and len(codes) < 2:
            errors["countries"] = _("A regional network covers at least two countries.")
        elif len(codes) > MAX_NETWORK_COUNTRIES:
            errors["countries"] = _("At most %(max)d countries.") % {"max": MAX_NETWORK_COUNTRIES}
    if errors:
        raise ValidationError(errors)
    return name, codes


def create_network(
    *, actor: Any, name: str, kind: str, countries: Sequence[str], description: str = ""
) -> Network:
    """Record a local or regional network (Art. 5(1)); its members follow from deployments,
    its facilitator from Art. 5(2), and the board is notified (Art. 5(3))."""
    policy.authorize(actor, policy.Action.MANAGE_NETWORKS)
    with transaction.atomic():
        name, codes = _clean_network(name=name, kind=kind, countries=countries, exclude_pk=None)
        network = Network(name=name, kind=kind, description=(description or "").strip())
        network.full_clean()
        network.save()
        NetworkCountry.objects.bulk_create([NetworkCountry(network=network, country=c) for c in codes])
        audit.record_change(
            actor=actor,
            action=AuditAction.RECORD_CREATED,
            obj=network,
            changes={"name": name, "kind": kind, "countries": codes},
        )
        review_facilitators(actor=actor, network_ids=[network.pk])
        hooks.network_created(actor=actor, network=network)
        return network


def update_network(
    *,
    actor: Any,
    network: Network,
    name: str | None = None,
    kind: str | None = None,
    countries: Sequence[str] | None = None,
    description: str | None = None,
) -> Network:
    """Change a network's name, kind or countries (Art. 5(1)); membership and facilitator
    follow (Art. 5(2), Art. 5(3))."""
    policy.authorize(actor, policy.Action.MANAGE_NETWORKS, network)
    with transaction.atomic():
        old_codes = list(network.countries.order_by("country").values_list("country", flat=True))
        new_name, codes = _clean_network(
            name=network.name if name is None else name,
            kind=network.kind if kind is None else kind,
            countries=old_codes if countries is None else countries,
            exclude_pk=network.pk,
        )
        changes: dict[str, Any] = {}
        if new_name != network.name:
            changes["name"] = [network.name, new_name]
            network.name = new_name
        if kind is not None and kind != network.kind:
            changes["kind"] = [network.kind, kind]
            network.kind = kind
        if description is not None and description.strip() != network.description:
            changes["description"] = [network.description, description.strip()]
            network.description = description.strip()
        if sorted(codes) != sorted(old_codes):
            changes["countries"] = [old_codes, codes]
            network.countries.exclude(country__in=codes).delete()
            NetworkCountry.objects.bulk_create(
                [NetworkCountry(network=network, country=c) for c in codes if c not in old_codes]
            )
        network.full_clean()
        network.save()
        if changes:
            audit.record_change(actor=actor, action=AuditAction.RECORD_UPDATED, obj=network, changes=changes)
            review_facilitators(actor=actor, network_ids=[network.pk])
        return network


def record_facilitator_agreement(
    *, actor: Any, network: Network, officer_id: int, agreed_on: date | None = None, note: str = ""
) -> FacilitatorAgreement:
    """Record the members' agreement on a facilitator (Art. 5(2), third sentence). The agreed
    officer must be a member of the network: deployed now in one of its countries (Art. 5(1))."""
    policy.authorize(actor, policy.Action.CONTRIBUTE_TO_NETWORK, network)
    with transaction.atomic():
        day = agreed_on or timezone.localdate()
        errors: dict[str, str] = {}
        members = selectors.members_by_network([network])[network.pk]
        member = next((m for m in members if m.officer_id == officer_id), None)
        if member is None:
            errors["officer"] = _(
                "The chosen officer is not a member of this network: only an officer deployed in one "
                "of its countries can facilitate it (Art. 5(1), Art. 5(2))."
            )
        errors.update(dates.agreement_problems(day, member))
        if len(note or "") > 2000:
            errors["note"] = _("At most %(max)d characters.") % {"max": 2000}
        if errors:
            raise ValidationError(errors)
        agreement = FacilitatorAgreement.objects.create(
            network=network,
            officer_id=officer_id,
            agreed_on=day,
            note=(note or "").strip(),
            recorded_by=actor,
        )
        audit.record_change(
            actor=actor,
            action=AuditAction.NETWORK_FACILITATOR_AGREED,
            obj=network,
            changes={"officer_id": officer_id, "agreed_on": day},
        )
        review_facilitators(actor=actor, network_ids=[network.pk])
        return agreement


def add_associate(
    *,
    actor: Any,
    network: Network,
    name: str,
    deploying_country: str,
    organisation: str = "",
    joined_on: date | None = None,
) -> Associate:
    """Associate a liaison officer deployed by a country other than a member state with the
    network (Art. 5(1), first sentence)."""
    policy.authorize(actor, policy.Action.CONTRIBUTE_TO_NETWORK, network)
    with transaction.atomic():
        code = (deploying_country or "").strip().upper()
        errors: dict[str, str] = {}
        name = (name or "").strip()
        if not name:
            errors["name"] = _("This field is required.")
        if not directory.is_known_country(code):
            errors["deploying_country"] = _(
                "Unknown country code “%(code)s”: use an ISO 3166-1 alpha-2 code."
            ) % {"code": code}
        elif directory.is_member_state(code):
            errors["deploying_country"] = _(
                "%(country)s is an EU member state: its officers are members, not associates. "
                "Associates are liaison officers of other countries (Art. 5(1))."
            ) % {"country": iso_countries.name(code)}
        errors.update(dates.association_problems(joined_on or timezone.localdate()))
        if errors:
            raise ValidationError(errors)
        associate = Associate(
            network=network,
            name=name,
            deploying_country=code,
            organisation=(organisation or "").strip(),
            joined_on=joined_on or timezone.localdate(),
        )
        associate.full_clean()
        associate.save()
        audit.record_change(
            actor=actor,
            action=AuditAction.NETWORK_ASSOCIATE_ADDED,
            obj=network,
            changes={"associate_id": associate.pk, "deploying_country": code},
        )
        return associate


def end_association(*, actor: Any, associate: Associate, left_on: date | None = None) -> Associate:
    """An associate leaves the network (Art. 5(1))."""
    policy.authorize(actor, policy.Action.CONTRIBUTE_TO_NETWORK, associate.network)
    with transaction.atomic():
        day = left_on or timezone.localdate()
        if day < associate.joined_on:
            raise ValidationError({"left_on": _("The end cannot be before the start of the association.")})
        associate.left_on = day
        associate.save(update_fields=["left_on"])
        audit.record_change(
            actor=actor,
            action=AuditAction.NETWORK_ASSOCIATE_LEFT,
            obj=associate.network,
            changes={"associate_id": associate.pk, "left_on": day},
        )
        return associate


# --- activities: Art. 5(1) -----------------------------------------------------------


def record_activity(
    *,
    actor: Any,
    network: Network,
    kind: str,
    title: str,
    date: date,
    summary: str = "",
    carriers: str = "",
    audience: str = "",
    participant_ids: Sequence[int] = (),
    associate_ids: Sequence[int] = (),
    topics: Sequence[str] = (),
) -> NetworkActivity:
    """Record a network activity (Art. 5(1)): a meeting with its participants and
    minutes (a), an exchange (b)-(c), a shared position towards carriers (d), a training (e),
    an information session (f), a strategic information or risk analysis product (g), or a
    contact with a similar network (h). Participants must have been members on that day."""
    policy.authorize(actor, policy.Action.CONTRIBUTE_TO_NETWORK, network)
    with transaction.atomic():
        errors: dict[str, str] = {}
        title = (title or "").strip()
        if kind not in ActivityKind.values:
            errors["kind"] = _("Choose one of the network tasks of Art. 5(1).")
        if not title:
            errors["title"] = _("This field is required.")
        elif len(title) > 200:
            errors["title"] = _("At most %(max)d characters.") % {"max": 200}
        if not isinstance(date, type(timezone.localdate())):
            errors["date"] = _("Enter a valid date.")
        elif date > timezone.localdate() + timedelta(days=366):
            errors["date"] = _("An activity is at most a year ahead.")
        else:
            errors.update(dates.activity_problems(date))
        if kind == ActivityKind.CARRIER_POSITION and not (carriers or "").strip():
            errors["carriers"] = _("Name the carriers the position is towards (Art. 5(1)(d)).")
        for name, value, limit in (
            ("summary", summary, 20000),
            ("carriers", carriers, 300),
            ("audience", audience, 300),
        ):
            if len(value or "") > limit:
                errors[name] = _("At most %(max)d characters.") % {"max": limit}
        bad_topics = [t for t in topics if t not in Topic.values]
        if bad_topics:
            errors["topics"] = _("Unknown topic: choose among Art. 3(4).")
        participant_ids = sorted({int(pk) for pk in participant_ids})
        associate_ids = sorted({int(pk) for pk in associate_ids})
        if participant_ids and "date" not in errors:
            codes = list(network.countries.values_list("country", flat=True))
            present = set(
                deployments.deployments_on(countries=codes, on=date)
                .filter(officer_id__in=participant_ids)
                .values_list("officer_id", flat=True)
            )
            if set(participant_ids) - present:
                errors["participant_ids"] = _(
                    "Only officers deployed in the network's countries on that day can be participants "
                    "(Art. 5(1)); add others as associates."
                )
        if associate_ids:
            known = set(network.associates.filter(pk__in=associate_ids).values_list("pk", flat=True))
            if set(associate_ids) - known:
                errors["associate_ids"] = _("Only associates of this network can be participants.")
        if errors:
            raise ValidationError(errors)
        activity = NetworkActivity(
            network=network,
            kind=kind,
            title=title,
            date=date,
            summary=(summary or "").strip(),
            carriers=(carriers or "").strip(),
            audience=(audience or "").strip(),
            recorded_by=actor,
        )
        activity.full_clean()
        activity.save()
        ActivityParticipant.objects.bulk_create(
            [ActivityParticipant(activity=activity, officer_id=pk) for pk in participant_ids]
            + [ActivityParticipant(activity=activity, associate_id=pk) for pk in associate_ids]
        )
        ActivityTopic.objects.bulk_create(
            [ActivityTopic(activity=activity, topic=t) for t in sorted(set(topics))]
        )
        audit.record_change(
            actor=actor,
            action=AuditAction.RECORD_CREATED,
            obj=activity,
            changes={
                "network": network.name,
                "kind": kind,
                "title": title,
                "date": date,
                "participants": len(participant_ids) + len(associate_ids),
            },
        )
        return activity


# --- the list of deployed ILOs: Art. 8(2)(d), recital 14 --------------------------------------


def _kind_label(kind: str) -> str:
    return str(NetworkKind(kind).label) if kind in NetworkKind.values else kind


def update_officer_list(
    *, actor: Any, title: str, meeting: str = "", activities_since: date | None = None
) -> OfficerList:
    """The steering board updates the list of deployed ILOs before each meeting
    (Art. 8(2)(d)): a dated snapshot of each officer's location, contact details and task
    summary, and of each network's composition and activities (recital 14). The rows are
    copies: later changes of deployments do not alter a list once taken."""
    policy.authorize(actor, policy.Action.UPDATE_OFFICER_LIST)
    with transaction.atomic():
        today = timezone.localdate()
        errors: dict[str, str] = {}
        title = (title or "").strip()
        if not title:
            errors["title"] = _("This field is required.")
        elif len(title) > 200:
            errors["title"] = _("At most %(max)d characters.") % {"max": 200}
        if len(meeting or "") > 200:
            errors["meeting"] = _("At most %(max)d characters.") % {"max": 200}
        if activities_since is None:
            previous = OfficerList.objects.order_by("-taken_on", "-id").first()
            activities_since = previous.taken_on if previous else today - timedelta(days=365)
        errors.update(dates.officer_list_problems(activities_since))
        if errors:
            raise ValidationError(errors)
        officer_list = OfficerList.objects.create(
            title=title,
            meeting=(meeting or "").strip(),
            taken_on=today,
            activities_since=activities_since,
            created_by=actor,
        )

        networks = list(Network.objects.order_by("name", "id"))
        members = selectors.members_by_network(networks)
        decisions = selectors.facilitators_for(networks, members)
        country_codes: dict[int, list[str]] = {n.pk: [] for n in networks}
        for network_id, code in NetworkCountry.objects.order_by("country").values_list(
            "network_id", "country"
        ):
            country_codes.setdefault(network_id, []).append(code)
        networks_by_country: dict[str, list[str]] = {}
        for network in networks:
            for code in country_codes.get(network.pk, ()):
                networks_by_country.setdefault(code, []).append(network.name)
        activities: dict[int, list[dict]] = {}
        for a in NetworkActivity.objects.filter(date__gte=activities_since, date__lte=today).order_by(
            "date", "id"
        ):
            activities.setdefault(a.network_id, []).append(
                {"date": a.date.isoformat(), "kind": a.get_kind_display(), "title": a.title}
            )
        associates: dict[int, list[str]] = {}
        for associate in (
            Associate.objects.filter(joined_on__lte=today).exclude(left_on__lt=today).order_by("name")
        ):
            associates.setdefault(associate.network_id, []).append(
                f"{associate.name} ({associate.deploying_country.name})"
            )
        network_rows = []
        for network in networks:
            decision = decisions[network.pk]
            network_rows.append(
                OfficerListNetwork(
                    officer_list=officer_list,
                    network_id_at_the_time=network.pk,
                    name=network.name,
                    kind=_kind_label(network.kind),
                    countries=", ".join(
                        str(iso_countries.name(c)) for c in country_codes.get(network.pk, ())
                    ),
                    facilitator=decision.facilitator.name if decision.facilitator else "",
                    facilitator_basis=str(FacilitatorBasis(decision.basis).label),
                    members=[f"{m.name} ({m.authority_name})" for m in members.get(network.pk, [])],
                    associates=associates.get(network.pk, []),
                    activities=activities.get(network.pk, []),
                )
            )
        OfficerListNetwork.objects.bulk_create(network_rows, batch_size=500)

        active = list(deployments.active_deployments())
        ids = [d.pk for d in active]
        regions = deployments.deployment_ids_in_region(deployments=ids)
        represented = deployments.represented_states_of(deployments=ids)
        entries = [
            OfficerListEntry(
                officer_list=officer_list,
                deployment_id=d.pk,
                officer_id=d.officer_id,
                officer_name=str(d.officer),
                deploying_authority=d.deploying_authority.name,
                represented_states=", ".join(code.upper() for code in represented.get(d.pk, [])),
                country=d.country.code,
                city=d.city,
                place_kind=str(PlaceKind(d.place_kind).label)
                if d.place_kind in PlaceKind.values
                else d.place_kind,
                place_name=d.place_name,
                region=", ".join(str(iso_countries.name(c)) for c in regions.get(d.pk, [])),
                phone=d.phone,
                email=d.email or d.officer.email,
                task_summary=d.task_summary,
                networks="; ".join(networks_by_country.get(d.country.code, [])),
                start_date=d.start_date,
                planned_end_date=d.planned_end_date,
            )
            for d in active
        ]
        OfficerListEntry.objects.bulk_create(entries, batch_size=500)
        officer_list.officer_count, officer_list.network_count = len(entries), len(network_rows)
        officer_list.save(update_fields=["officer_count", "network_count"])
        audit.record_change(
            actor=actor,
            action=AuditAction.RECORD_CREATED,
            obj=officer_list,
            changes={"taken_on": today, "officers": len(entries), "networks": len(network_rows)},
        )
        return officer_list
