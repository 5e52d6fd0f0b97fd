"""Demo data for the deployment registry: a believable registry built from the demo accounts
(about 150 officers across about 60 third countries), with twenty years of history (ended
deployments and their notifications, Art. 4), planned rotations, joint deployments (Art. 6)
and regions of responsibility. Deterministic (fixed seed); dates are relative to today.

Bulk-created for speed, like the demo accounts: the notifications to the board that the
services would write are created alongside, and ``seed_demo`` records one audit event.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import phonenumbers
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_countries import countries

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.directory.models import Organisation, OrganisationKind

from . import geo
from .models import (
    Deployment,
    DeploymentNotification,
    DeploymentStatus,
    NotificationKind,
    PlaceKind,
    RegionCountry,
    Representation,
)

SEED = 20191240 + 4
DEMO_DOMAIN = "demo.ilonet.eu"

# Neighbouring third countries that an officer posted in the key country also covers.
REGIONS: dict[str, tuple[str, ...]] = {
    "SN": ("GM", "GW", "MR"),
    "KE": ("SO", "UG", "TZ"),
    "ET": ("DJ", "ER"),
    "NG": ("BJ", "TG"),
    "GH": ("TG", "BF"),
    "CI": ("LR",),
    "CM": ("TD", "CF", "GA"),
    "CD": ("CG", "RW", "BI"),
    "EG": ("SD",),
    "JO": ("LB",),
    "TR": ("GE",),
    "PK": ("AF",),
    "IN": ("NP", "BD", "LK"),
    "TH": ("LA", "KH", "MM"),
    "VN": ("KH", "LA"),
    "RS": ("ME", "MK", "XK"),
    "AL": ("XK",),
    "AE": ("OM", "BH", "KW"),
    "BR": ("PY", "UY"),
    "CO": ("EC", "PE"),
    "MX": ("GT", "HN", "SV"),
    "RU": ("KZ",),
    "UA": ("MD",),
    "CN": ("MN",),
    "ID": ("TL",),
    "KG": ("TJ", "UZ"),
}
# Joint deployments (Art. 6): deploying state -> states it may also represent, with tasks.
PARTNERS: dict[str, tuple[str, ...]] = {
    "nl": ("be", "lu"),
    "be": ("nl", "lu"),
    "de": ("at",),
    "at": ("de", "si"),
    "fr": ("be",),
    "se": ("fi",),
    "fi": ("se", "ee"),
    "ee": ("lv", "lt"),
    "cz": ("sk",),
    "es": ("pt",),
    "pt": ("es",),
}
TASKS = (
    "Liaison with the border police and airport authorities; detection of document fraud; "
    "support to consular sections on visa fraud.",
    "Cooperation on return and readmission with the competent ministries; identification missions; "
    "support to assisted voluntary return and reintegration.",
    "Information on migration flows and routes; risk analysis on migrant smuggling networks; "
    "contacts with international organisations.",
    "Training of carrier and airport staff on travel documents; advice to airlines on passengers' "
    "documents; information sessions for consular staff.",
    "Monitoring of access to international protection and resettlement; legal migration channels.",
)
SHARED_TASKS = (
    "Document fraud advice to the consular section of the represented member state.",
    "Return and readmission cases of the represented member state.",
    "Risk analysis reporting shared with the represented member state.",
)


@dataclass
class _Officer:
    user: object
    authority: Organisation
    country: str


def _phone(rng: random.Random, country: str) -> str:
    """A valid phone number of the country (E.164), varied from the library's example."""
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        example = phonenumbers.example_number(country)
    if example is None:
        return ""
    base = str(example.national_number)
    for _attempt in range(20):
        tail = "".join(str(rng.randrange(10)) for _ in range(3))
        candidate = phonenumbers.PhoneNumber(
            country_code=example.country_code, national_number=int(base[:-3] + tail)
        )
        if phonenumbers.is_valid_number(candidate):
            return phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


def _place(rng: random.Random, authority: Organisation, country: str) -> tuple[str, str]:
    name = str(countries.name(country))
    if authority.kind == OrganisationKind.EU_INSTITUTION:
        return PlaceKind.EU_DELEGATION, f"EU Delegation to {name}"
    if authority.kind == OrganisationKind.EU_AGENCY:
        if rng.random() < 0.7:
            return PlaceKind.EU_DELEGATION, f"EU Delegation to {name} ({authority.acronym} liaison office)"
        return (
            PlaceKind.THIRD_COUNTRY_AUTHORITY,
            f"{authority.acronym} liaison office, border authority of {name}",
        )
    state = authority.member_state
    roll = rng.random()
    if roll < 0.8 and state is not None:
        return PlaceKind.MEMBER_STATE_MISSION, f"Embassy of {state.country.name} in {name}"
    if roll < 0.92:
        return PlaceKind.THIRD_COUNTRY_AUTHORITY, f"Directorate of border police of {name}"
    return PlaceKind.INTERNATIONAL_ORGANISATION, f"IOM country office, {name}"


def _officers(third_countries: dict[int, str]) -> list[_Officer]:
    """Demo officers (ILO and facilitator roles) with their authority and country (from the role
    scope; the Commission facilitator is posted in Morocco)."""
    user_model = get_user_model()
    fallback = Organisation.objects.get(code="nl-auth")
    result = []
    users = (
        user_model.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", is_active=True)
        .select_related("organisation", "organisation__parent")
        .order_by("pk")
    )
    for user in users:
        for role, org_id, _ref in policy.roles_of(user):
            if role == Role.ILO and org_id in third_countries:
                country = third_countries[org_id]
            elif role == Role.FACILITATOR:
                country = "MA"
            else:
                continue
            authority = user.organisation if user.organisation.is_deploying_authority else fallback
            result.append(_Officer(user, authority, country))
            break
    return result


def _data(d: Deployment, region: list[str], reps: list[tuple[str, str]]) -> dict:
    return {
        "status": d.status,
        "deploying_authority": d.deploying_authority.code,
        "officer_id": d.officer_id,
        "officer_name": str(d.officer),
        "country": d.country.code,
        "place_kind": d.place_kind,
        "place_name": d.place_name,
        "city": d.city,
        "task_summary": d.task_summary,
        "start_date": d.start_date.isoformat(),
        "planned_end_date": d.planned_end_date.isoformat(),
        "end_date": d.end_date.isoformat() if d.end_date else None,
        "region": sorted(region),
        "represented": [{"member_state": c, "tasks": t} for c, t in reps],
        "eu_funding_reference": d.eu_funding_reference,
    }


def seed_deployments(*, today: date | None = None) -> int:
    """Create the demo registry once; returns the number of deployments."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311  (deterministic demo data, not security)
    third = {o.pk: o.country.code for o in Organisation.objects.filter(kind=OrganisationKind.THIRD_COUNTRY)}
    states = {o.code: o for o in Organisation.objects.filter(kind=OrganisationKind.MEMBER_STATE)}
    officers = _officers(third)
    pool = sorted(set(third.values()) & set(REGIONS) | {o.country for o in officers})
    plans: list[tuple[Deployment, list[str], list[tuple[str, str]], list[tuple[str, date]]]] = []

    def add(person: _Officer, country: str, start: date, planned_end: date, status: str, end: date | None):
        kind, place_name = _place(rng, person.authority, country)
        d = Deployment(
            deploying_authority=person.authority,
            officer=person.user,
            country=country,
            place_kind=kind,
            place_name=place_name,
            city=geo.capital_of(country) or str(countries.name(country)),
            task_summary=rng.choice(TASKS),
            start_date=start,
            planned_end_date=planned_end,
            end_date=end,
            status=status,
            phone=_phone(rng, country) if status != DeploymentStatus.ENDED else "",
            email=person.user.email,
        )
        region = [country, *[c for c in REGIONS.get(country, ()) if rng.random() < 0.8]]
        reps: list[tuple[str, str]] = []
        state = person.authority.member_state
        if (
            state is not None
            and state.code in PARTNERS
            and status != DeploymentStatus.ENDED
            and rng.random() < 0.3
        ):
            for code in PARTNERS[state.code][: rng.randint(1, 2)]:
                if code in states and states[code].takes_part_in_ilo_regulation:
                    reps.append((code, rng.choice(SHARED_TASKS)))
            if reps and rng.random() < 0.6:
                d.eu_funding_reference = f"ISF-{start.year}-ILO-{rng.randint(100, 999)}"
        events = [(NotificationKind.PLANNED, start - timedelta(days=rng.randint(60, 150)))]
        if status in (DeploymentStatus.ACTIVE, DeploymentStatus.ENDED):
            events.append((NotificationKind.STARTED, start))
        if status == DeploymentStatus.ENDED:
            events.append((NotificationKind.ENDED, end))
        plans.append((d, region, reps, events))

    for person in officers:
        # The current posting: started up to three years ago, for three to four years.
        start = today - timedelta(days=rng.randint(30, 1100))
        planned_end = max(start + timedelta(days=rng.choice((1095, 1277, 1460))), today + timedelta(days=45))
        add(person, person.country, start, planned_end, DeploymentStatus.ACTIVE, None)
        # A planned rotation for some officers whose posting ends within a year.
        if planned_end < today + timedelta(days=365) and rng.random() < 0.5:
            nxt = rng.choice(pool)
            add(
                person,
                nxt,
                planned_end + timedelta(days=30),
                planned_end + timedelta(days=30 + 1460),
                DeploymentStatus.PLANNED,
                None,
            )
        # Earlier postings, back over twenty years.
        cursor = start - timedelta(days=rng.randint(30, 200))
        for _n in range(rng.randint(0, 4)):
            length = rng.randint(700, 1500)
            begin = cursor - timedelta(days=length)
            if begin < today - timedelta(days=20 * 365):
                break
            add(person, rng.choice(pool), begin, cursor, DeploymentStatus.ENDED, cursor)
            cursor = begin - timedelta(days=rng.randint(60, 400))

    Deployment.objects.bulk_create([p[0] for p in plans], batch_size=500)
    RegionCountry.objects.bulk_create(
        [
            RegionCountry(deployment=d, country=c)
            for d, region, _r, _e in plans
            for c in dict.fromkeys(region)
        ],
        batch_size=1000,
    )
    Representation.objects.bulk_create(
        [
            Representation(deployment=d, member_state=states[c], tasks=t)
            for d, _g, reps, _e in plans
            for c, t in reps
        ],
        batch_size=500,
    )
    notifications = []
    for d, region, reps, events in plans:
        for version, (kind, day) in enumerate(events, start=1):
            when = timezone.make_aware(datetime.combine(day, time(9, 0)))
            notifications.append(
                DeploymentNotification(
                    deployment=d,
                    version=version,
                    kind=kind,
                    notified_at=when,
                    notified_by_label=f"deploying.{d.deploying_authority.code}@{DEMO_DOMAIN}",
                    data=_data(d, region, reps),
                )
            )
        d.version = len(events)
    DeploymentNotification.objects.bulk_create(notifications, batch_size=1000)
    Deployment.objects.bulk_update([p[0] for p in plans], ["version"], batch_size=500)
    return len(plans)
