"""Demo situation reports (Art. 3(4)): reports of several local and regional networks and of
several officers over the last quarters, most submitted, some drafts, one returned for
revision. Written through the services in the authors' names, so the personal-data guard
checks every text as it would a real one. Deterministic (fixed seed)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ilonet.networks import selectors as networks
from ilonet.networks.models import Network

from . import services
from .forms import last_quarter
from .models import Subject
from .topics import BY_CODE

SEED = 20191240 + 3
DEMO_DOMAIN = "demo.ilonet.eu"

TEXTS = {
    "a": "Border checks at the main airport were reinforced; joint patrols with the border guard continue.",
    "b": "Departures rose compared with the previous quarter, mostly young men heading for southern Europe.",
    "c": "The sea route along the coast is used again; land crossings through the north-east decreased.",
    "d": "Smuggling groups advertise crossings on social media and ask for payment in instalments.",
    "e": "Heavy rains displaced several villages, which may lead to new movements in the next months.",
    "f": "Look-alike fraud with genuine passports and forged residence permits was seen at check-in.",
    "g": "Training on document examination was given to the airport police with the EU delegation.",
    "h": "Pre-departure orientation for admitted workers now covers housing and language courses.",
    "i": "Identification missions resumed; an international organisation's reintegration programme expanded.",
    "j": "Access to the asylum procedure improved after the new registration centre opened.",
    "k": "A seasonal work pilot with two member states is being prepared; resettlement referrals continue.",
    "l": "Reception centres are overcrowded; detention conditions were criticised by local organisations.",
}
VULNERABLE = (
    "Unaccompanied minors are more often seen on the sea route; referral to child protection is slow."
)
GENDER = "Women travel more often with smugglers in groups; cases of exploitation on the route were reported."


def _quarters_back(today: date, count: int) -> list[tuple[date, date]]:
    periods, (start, end) = [], last_quarter(today)
    for _ in range(count):
        periods.append((start, end))
        start, end = last_quarter(start)
    return periods


def _sections(rng: random.Random) -> dict[str, dict[str, str]]:
    codes = sorted(rng.sample(sorted(TEXTS), rng.randint(3, 6)))
    result = {}
    for code in codes:
        row = {"text": TEXTS[code], "vulnerable_persons": "", "gender": ""}
        if BY_CODE[code].dimensions and rng.random() < 0.5:
            row["vulnerable_persons"] = VULNERABLE
        if BY_CODE[code].dimensions and rng.random() < 0.4:
            row["gender"] = GENDER
        result[code] = row
    return result


def _write(rng, author, subject, period, network=None, submit=True):
    report = services.create_report(
        actor=author,
        subject=subject,
        network=network,
        period_start=period[0],
        period_end=period[1],
        summary="Overall the situation is stable; see the topics below for the main developments.",
        sections=_sections(rng),
    )
    if submit:
        report = services.submit_report(actor=author, report=report)
    return report


def seed_situation_reports(*, today: date | None = None) -> int:
    """Create the demo reports; returns how many."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311  (deterministic demo data, not security)
    User = get_user_model()
    periods = _quarters_back(today, 4)
    count = 0
    all_networks = list(Network.objects.order_by("name"))
    members = networks.members_by_network(all_networks)
    with_members = [n for n in all_networks if members.get(n.pk)]
    chosen = [n for n in with_members if n.kind == "regional"][:2] + [
        n for n in with_members if n.kind == "local"
    ][:8]
    for network in chosen:
        author = User.objects.get(pk=members[network.pk][0].officer_id)
        for index, period in enumerate(periods[: rng.randint(2, 4)]):
            if period[0] < members[network.pk][0].start_date - timedelta(days=365):
                continue
            _write(
                rng, author, Subject.NETWORK, period, network=network, submit=index > 0 or rng.random() < 0.7
            )
            count += 1
    ilo, secretariat = (
        User.objects.get(email=f"ilo@{DEMO_DOMAIN}"),
        User.objects.get(email=f"secretariat@{DEMO_DOMAIN}"),
    )
    officers = {m.officer_id for n in with_members for m in members[n.pk]} - {ilo.pk}
    for officer_id in sorted(officers)[:: max(1, len(officers) // 12)][:12]:
        author = User.objects.get(pk=officer_id)
        for period in periods[: rng.randint(1, 3)]:
            _write(rng, author, Subject.OFFICER, period)
            count += 1
    # The demo officer: two submitted quarters, one returned for revision, a draft for this quarter.
    for period in periods[1:3]:
        _write(rng, ilo, Subject.OFFICER, period)
    returned = _write(rng, ilo, Subject.OFFICER, periods[0])
    services.return_report(
        actor=secretariat,
        report=returned,
        reason="Please add what you know about the routes (Art. 3(4)(c)) and the situation of minors.",
    )
    this_quarter = (periods[0][1] + timedelta(days=1), last_quarter(periods[0][1] + timedelta(days=100))[1])
    _write(rng, ilo, Subject.OFFICER, this_quarter, submit=False)
    return count + 4
