"""Demo data for the networks: a local network in every country with officers and a few regional
networks (Art. 5(1)); facilitators of all three kinds (Art. 5(2)) with the board notified
(Art. 5(3)); associates from non-EU countries; activities (Art. 5(1)); priority
countries with some gaps (Art. 8(2)(e), RS 1); and one list of deployed ILOs (Art. 8(2)(d)).

Written through the services, in the name of the demo secretariat, chair and return
coordinator, so the demo also exercises the rules. Deterministic (fixed seed).
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_countries import countries

from ilonet.deployments import selectors as deployments
from ilonet.directory import services as directory_services
from ilonet.directory.models import OrganisationKind, PrioritySetter

from . import selectors, services
from .models import ActivityKind, Network, NetworkKind, Topic

SEED = 20191240 + 5
DEMO_DOMAIN = "demo.ilonet.eu"

REGIONAL = (
    ("Western Balkans regional ILO network", ("RS", "AL", "MK", "BA", "ME", "XK")),
    ("Horn of Africa regional ILO network", ("ET", "ER", "SO", "SD", "KE")),
    ("Gulf regional ILO network", ("AE", "QA", "SA")),
    ("Sahel regional ILO network", ("NE", "ML")),
    ("Eastern Partnership regional ILO network", ("UA", "MD", "GE", "AM", "AZ", "BY")),
    ("South Asia regional ILO network", ("PK", "BD", "IN", "LK")),
)
ASSOCIATES = (
    ("MA", "Liaison officer, UK Home Office", "GB", "UK Home Office"),
    ("MA", "Immigration liaison officer, Norway", "NO", "Norwegian Police Immigration Service"),
    ("TR", "Airline liaison officer, Canada", "CA", "Canada Border Services Agency"),
    ("NG", "Immigration advisor, United States", "US", "U.S. Customs and Border Protection"),
    ("TH", "Airline liaison officer, Australia", "AU", "Australian Border Force"),
    ("AE", "Liaison officer, Switzerland", "CH", "State Secretariat for Migration"),
)
# Board priorities (Art. 8(2)(e)) and the return coordinator's quarterly focus (RS 1). Those
# marked with * have no officer in the demo, so the map shows gaps.
BOARD_PRIORITIES = ("MA", "TN", "NG", "SN", "PK", "AF", "IQ", "LY", "SS*", "YE*", "MR")
COORDINATOR_PRIORITIES = ("IQ", "BD", "DZ", "TN", "EG", "GM", "SN", "NP", "SL*")


def _demo_user(local: str):
    return get_user_model().objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _seed_priorities(*, today: date) -> None:
    chair, coordinator = _demo_user("chair"), _demo_user("coordinator")
    for raw in BOARD_PRIORITIES:
        directory_services.set_priority_country(
            actor=chair,
            country=raw.rstrip("*"),
            period_start=today.replace(month=1, day=1),
            set_by=PrioritySetter.STEERING_BOARD,
            note="Work programme priority (Art. 8(2)(a), (e)).",
        )
    quarter = _quarter_start(today)
    previous = _quarter_start(quarter - timedelta(days=1))
    for raw in COORDINATOR_PRIORITIES:
        directory_services.set_priority_country(
            actor=coordinator,
            country=raw.rstrip("*"),
            period_start=quarter,
            period_end=_quarter_start(quarter + timedelta(days=100)) - timedelta(days=1),
            set_by=PrioritySetter.RETURN_COORDINATOR,
            note="Quarterly joint focus (RS 1).",
        )
    # Last quarter's focus, ended: history.
    for code in ("PK", "MA", "SN"):
        directory_services.set_priority_country(
            actor=coordinator,
            country=code,
            period_start=previous,
            period_end=quarter - timedelta(days=1),
            set_by=PrioritySetter.RETURN_COORDINATOR,
            note="Quarterly joint focus (RS 1).",
        )


def _seed_activities(rng: random.Random, network: Network, members, today: date, secretariat) -> None:
    if not members:
        return
    name = network.name
    plan = [
        (
            ActivityKind.MEETING,
            f"Quarterly meeting of the {name}",
            "Minutes: situation on the routes; "
            "coordination of the information session for consular staff; next meeting in three months.",
            (),
        ),
        (
            ActivityKind.STRATEGIC_PRODUCT,
            f"Risk analysis: irregular departures ({name})",
            "Joint risk analysis of departures and routes, prepared with the EU agencies' analysts.",
            (Topic.FLOWS, Topic.ROUTES, Topic.CRIMINAL_NETWORKS),
        ),
        (
            ActivityKind.CARRIER_POSITION,
            "Common position on document checks at boarding",
            "The members agreed one message to carriers on checks of travel documents at the gate.",
            (),
        ),
        (
            ActivityKind.TRAINING,
            "Joint training on document fraud",
            "Two-day training with the national border police.",
            (Topic.DOCUMENT_FRAUD,),
        ),
        (
            ActivityKind.INFORMATION_SESSION,
            "Information session for consular staff",
            "Visa fraud trends and referral of suspicious applications.",
            (Topic.DOCUMENT_FRAUD, Topic.LEGAL_MIGRATION),
        ),
    ]
    for n in range(rng.randint(1, 3)):
        kind, title, summary, topics = plan[(n + rng.randrange(len(plan))) % len(plan)]
        day = today - timedelta(days=rng.randint(5, 330))
        present = {
            d.officer_id for d in deployments.deployments_on(countries=[m.country for m in members], on=day)
        }
        actor = next((m for m in members if m.officer_id in present), None)
        services.record_activity(
            actor=get_user_model().objects.get(pk=actor.officer_id) if actor else secretariat,
            network=network,
            kind=kind,
            title=title,
            date=day,
            summary=summary,
            carriers="National carrier; two Gulf carriers" if kind == ActivityKind.CARRIER_POSITION else "",
            audience="Consular staff of the member states"
            if kind == ActivityKind.INFORMATION_SESSION
            else "",
            participant_ids=sorted(present)[:8] if kind == ActivityKind.MEETING else [],
            topics=list(topics),
        )


def seed_networks(*, today: date | None = None) -> int:
    """Create the demo networks, priorities and one list of deployed ILOs; returns the number
    of networks."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311  (deterministic demo data, not security)
    secretariat, chair = _demo_user("secretariat"), _demo_user("chair")
    active_countries = sorted({d.country.code for d in deployments.active_deployments()})
    networks = []
    for code in active_countries:
        networks.append(
            services.create_network(
                actor=secretariat,
                name=f"Local ILO network {countries.name(code)}",
                kind=NetworkKind.LOCAL,
                countries=[code],
            )
        )
    for name, codes in REGIONAL:
        networks.append(
            services.create_network(
                actor=secretariat,
                name=name,
                kind=NetworkKind.REGIONAL,
                countries=list(codes),
                description="Regional cooperation of the local networks (Art. 5(1)(h)).",
            )
        )
    members = selectors.members_by_network(networks)
    # Art. 5(2), third sentence: where neither the Commission nor an agency has an officer,
    # the members of most networks have agreed on a facilitator; a few have not (yet).
    for network in networks:
        people = members[network.pk]
        eu = [
            m
            for m in people
            if m.authority_kind in (OrganisationKind.EU_INSTITUTION, OrganisationKind.EU_AGENCY)
        ]
        if people and not eu and rng.random() < 0.7:
            chosen = min(people, key=lambda m: (m.start_date, m.deployment_id))
            services.record_facilitator_agreement(
                actor=secretariat,
                network=network,
                officer_id=chosen.officer_id,
                # not before the officer arrived (networks.dates.agreement_problems)
                agreed_on=max(chosen.start_date, today - timedelta(days=rng.randint(10, 300))),
                note="Agreed by the members at their meeting; recorded by the secretariat.",
            )
    by_country = {n.countries.get().country.code: n for n in networks if n.kind == NetworkKind.LOCAL}
    for country, name, deploying_country, organisation in ASSOCIATES:
        if country in by_country:
            services.add_associate(
                actor=secretariat,
                network=by_country[country],
                name=name,
                deploying_country=deploying_country,
                organisation=organisation,
                joined_on=today - timedelta(days=rng.randint(100, 900)),
            )
    for network in networks:
        if rng.random() < 0.6 or network.kind == NetworkKind.REGIONAL:
            _seed_activities(rng, network, members[network.pk], today, secretariat)
    _seed_priorities(today=today)
    services.update_officer_list(
        actor=chair,
        title=f"List of deployed ILOs, {today.year} meeting {1 if today.month <= 6 else 2}",
        meeting=f"Steering board meeting {today.year}/{1 if today.month <= 6 else 2}",
    )
    return len(networks)
