"""Benchmark of the deployment registry and the networks (Regulation (EU) 2019/1240 Art. 4, 5,
8(2)(d)-(e), 9(2)(d)).

On a fresh database (a temporary SQLite file, or PostgreSQL via DATABASE_URL: a database named
``test_<name>`` is created and dropped), bulk-loads a registry of 5,000 deployments over 20 years
(about 800 officers, each with a chain of postings; the last one active), 200 networks (local
and regional), agreements, facilitator notifications, activities, priority countries and one
list of deployed ILOs. Then times every list page and API list with Django's test Client
(``--requests`` each, after warm-up) for a steering board secretariat user, who sees everything,
and reports p50/p95 and the number of queries; and the physical limits: the same rows of page 1
fetched by one raw SQL query, and a bare view returning a constant behind the same middleware.

Usage: .venv/bin/python bench/deployments.py [--deployments 5000] [--networks 200] [--requests 60]
       [--write-docs]   (replace this benchmark's section of docs/benchmarks.md)
"""

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

# How bench/run.py (make bench) runs this module.
BENCH_RUN = {"quick": ["--deployments", "1000", "--networks", "50", "--requests", "10"]}

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
os.environ.setdefault("ILONET_ALLOWED_HOSTS", "testserver,127.0.0.1")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='ilonet-bench-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from _docs import database_version  # noqa: E402  (bench/ is on the path above)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import include, path  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Deployment registry and networks (`bench/deployments.py`)"
INTRO = (
    "Issue: every list page and API list of the deployment registry and the networks answers in under "
    "100 ms p95 with 5,000 deployments (20 years) and 200 networks, on the 2-core machine, with a constant "
    "number of queries per page (asserted in the tests with `django_assert_max_num_queries`). "
    "Run `.venv/bin/python bench/deployments.py --write-docs` (SQLite in a temporary file) or with "
    "`DATABASE_URL=postgres://…` (a throwaway `test_…` database) to refresh a section below, or "
    "`make bench` for every benchmark."
)


# A URLconf = the site + one bare view returning a constant (the framework floor).
def constant(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/constant", constant), path("", include("ilonet.urls"))]


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def pct(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def load(n_deployments: int, n_networks: int) -> dict:
    """Bulk-load the registry and the networks; return ids used by the pages."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from ilonet.accounts.models import RoleAssignment, User
    from ilonet.deployments.models import (
        Deployment,
        DeploymentNotification,
        RegionCountry,
        Representation,
    )
    from ilonet.directory import demo as directory_demo
    from ilonet.directory import selectors as directory
    from ilonet.directory.models import Organisation, PriorityCountry
    from ilonet.networks import services as network_services
    from ilonet.networks.models import (
        ActivityTopic,
        FacilitatorAgreement,
        Network,
        NetworkActivity,
        NetworkCountry,
    )

    rng = random.Random(1240)  # noqa: S311  (benchmark data)
    today = timezone.localdate()
    authorities = directory_demo.ensure_authorities() + list(
        Organisation.objects.filter(code__in=["com", "frontex", "europol", "euaa"])
    )
    states = list(directory.participating_member_states())
    countries = [c for c in directory.deployable_third_countries()][:110]
    per_officer = 6
    n_officers = max(1, n_deployments // per_officer + 1)
    users = [
        User(
            email=f"officer{i:05d}@bench.example.eu",
            first_name=f"First{i}",
            last_name=f"Officer{i:05d}",
            organisation=rng.choice(authorities),
            password="!",
        )
        for i in range(n_officers)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.filter(email__endswith="@bench.example.eu").select_related("organisation"))
    RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role="ilo") for u in users], batch_size=1000)

    deployments: list[Deployment] = []
    regions: list[tuple[int, list[str]]] = []
    twenty_years = 20 * 365
    for user in users:
        cursor = today - timedelta(days=twenty_years)
        for posting in range(per_officer):
            if len(deployments) >= n_deployments:
                break
            length = twenty_years // per_officer
            start, end = cursor, cursor + timedelta(days=length - 30)
            last = posting == per_officer - 1
            country = rng.choice(countries)
            deployments.append(
                Deployment(
                    deploying_authority=user.organisation,
                    officer=user,
                    country=country,
                    place_kind="ms_mission",
                    place_name=f"Post {len(deployments)}",
                    city=f"City {country}",
                    task_summary="Tasks " * 20,
                    start_date=start,
                    planned_end_date=end + timedelta(days=400) if last else end,
                    end_date=None if last else end,
                    status="active" if last else "ended",
                    phone="+212537123456",
                    email=user.email,
                    version=2,
                )
            )
            regions.append((len(deployments) - 1, [country, *rng.sample(countries, rng.randint(0, 3))]))
            cursor = start + timedelta(days=length)
    Deployment.objects.bulk_create(deployments, batch_size=1000)
    RegionCountry.objects.bulk_create(
        [
            RegionCountry(deployment=deployments[i], country=c)
            for i, codes in regions
            for c in dict.fromkeys(codes)
        ],
        batch_size=2000,
    )
    joint = [
        d for d in deployments if d.deploying_authority.kind == "national_authority" and rng.random() < 0.1
    ]
    Representation.objects.bulk_create(
        [Representation(deployment=d, member_state=rng.choice(states), tasks="Shared tasks") for d in joint],
        batch_size=1000,
        ignore_conflicts=True,
    )
    notes = []
    for d in deployments:
        for version, kind in enumerate(
            ("planned", "started", "ended" if d.status == "ended" else "changed"), 1
        ):
            notes.append(
                DeploymentNotification(
                    deployment=d,
                    version=version,
                    kind=kind,
                    data={"status": d.status},
                    notified_at=timezone.now() - timedelta(days=rng.randint(0, twenty_years)),
                )
            )
    DeploymentNotification.objects.bulk_create(notes, batch_size=2000)

    networks = [Network(name=f"Local network {c}", kind="local") for c in countries]
    networks += [
        Network(name=f"Regional network {i}", kind="regional") for i in range(n_networks - len(networks))
    ]
    Network.objects.bulk_create(networks[:n_networks])
    networks = list(Network.objects.order_by("pk"))
    links = []
    for i, network in enumerate(networks):
        codes = [countries[i]] if network.kind == "local" else rng.sample(countries, rng.randint(2, 6))
        links += [NetworkCountry(network=network, country=c) for c in codes]
    NetworkCountry.objects.bulk_create(links, batch_size=2000)
    active = {}
    for d in deployments:
        if d.status == "active":
            active.setdefault(d.country.code, []).append(d.officer_id)
    agreements = []
    for link in links[: len(countries)]:
        if active.get(link.country.code):
            agreements.append(
                FacilitatorAgreement(
                    network=link.network, officer_id=active[link.country.code][0], agreed_on=today
                )
            )
    FacilitatorAgreement.objects.bulk_create(agreements)
    activities = [
        NetworkActivity(
            network=rng.choice(networks),
            kind=rng.choice(["meeting", "training", "strategic_product"]),
            title=f"Activity {i}",
            date=today - timedelta(days=rng.randint(0, 3650)),
            summary="Text",
        )
        for i in range(4000)
    ]
    NetworkActivity.objects.bulk_create(activities, batch_size=2000)
    ActivityTopic.objects.bulk_create(
        [ActivityTopic(activity=a, topic="b") for a in activities], batch_size=2000
    )
    PriorityCountry.objects.bulk_create(
        [
            PriorityCountry(country=c, period_start=today - timedelta(days=30), set_by="steering_board")
            for c in rng.sample(countries, 30)
        ]
    )

    reader = User.objects.create_user(
        "bench-secretariat@example.eu",
        "bench password 123",
        organisation=Organisation.objects.get(code="com"),
    )
    RoleAssignment.objects.create(user=reader, role="secretariat")
    TOTP.activate(reader, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    network_services.review_facilitators(actor=reader, network_ids=[n.pk for n in networks])
    officer_list = network_services.update_officer_list(actor=reader, title="Bench list")
    return {
        "reader": reader,
        "network": networks[0].pk,
        "officer_list": officer_list.pk,
        "active": sum(len(v) for v in active.values()),
        "joint": len(joint),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deployments", type=int, default=5000)
    parser.add_argument("--networks", type=int, default=200)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    settings.ROOT_URLCONF = "deployments"  # this module: the site plus the constant view
    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    ids = load(args.deployments, args.networks)
    load_s = time.perf_counter() - started

    from ilonet.deployments.models import Deployment
    from ilonet.networks.models import Network

    client = Client()
    client.force_login(ids["reader"], backend="allauth.account.auth_backends.AuthenticationBackend")
    n, ol = ids["network"], ids["officer_list"]
    pages = [
        ("page", "/deployments/", "registry, page 1"),
        ("page", "/deployments/?page=40", "registry, page 40"),
        ("page", "/deployments/?search=officer00042&status=ended", "registry, search + filter"),
        ("page", "/deployments/?joint=yes&continent=AF", "registry, joint + region"),
        ("page", "/deployments/notifications/", "notifications to the board"),
        ("page", "/deployments/joint/", "joint deployments"),
        ("page", "/deployments/contacts/", "ILO contact list (audited read)"),
        ("page", "/deployments/gaps/", "gap analysis: map + table"),
        ("page", "/deployments/gaps/?continent=AS&priority=yes", "gap analysis, filtered"),
        ("page", "/deployments/priorities/", "priority countries"),
        ("page", "/networks/", "networks + members + facilitator"),
        ("page", "/networks/?page=4", "networks, page 4"),
        ("page", f"/networks/{n}/", "network detail"),
        ("page", "/networks/activities/", "network activities"),
        ("page", "/networks/facilitator-notifications/", "facilitator notifications"),
        ("page", f"/networks/officer-lists/{ol}/", "list of deployed ILOs (audited read)"),
        ("api", "/api/v1/deployments", "registry"),
        ("api", "/api/v1/deployments?search=officer00042", "registry, search"),
        ("api", "/api/v1/deployments/notifications", "notifications"),
        ("api", "/api/v1/deployments/joint", "joint deployments"),
        ("api", "/api/v1/deployments/contacts", "contact list (audited read)"),
        ("api", "/api/v1/deployments/gaps", "gap analysis"),
        ("api", "/api/v1/networks", "networks + facilitator"),
        ("api", "/api/v1/networks/activities", "activities"),
        ("api", "/api/v1/networks/facilitator-notifications", "facilitator notifications"),
        ("api", f"/api/v1/networks/officer-lists/{ol}/entries", "list of deployed ILOs (audited read)"),
        ("floor", "/bench/constant", "bare view returning a constant (same middleware)"),
    ]

    def measure():
        result = {}
        for kind, url, label in pages:
            for _ in range(5):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            samples = timed(lambda url=url: client.get(url), args.requests)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            result[url] = (kind, label, pct(samples, 50), pct(samples, 95), len(ctx.captured_queries))
        return result

    measured = measure()
    rows = [(kind, label, url, *measured[url][2:]) for kind, url, label in pages]
    raw = [
        (
            "registry page 1",
            "SELECT d.id, d.country, d.city, d.place_name, d.start_date, d.status, u.first_name, "
            "u.last_name, o.code FROM deployments_deployment d JOIN accounts_user u ON u.id = d.officer_id "
            "JOIN directory_organisation o ON o.id = d.deploying_authority_id "
            "ORDER BY d.start_date DESC, d.id DESC LIMIT 50",
        ),
        (
            "contact list page 1",
            "SELECT d.id, u.first_name, u.last_name, d.city, d.phone, d.email "
            "FROM deployments_deployment d JOIN accounts_user u ON u.id = d.officer_id "
            "WHERE d.status = 'active' "
            "ORDER BY d.country, u.last_name, u.first_name, d.id LIMIT 50",
        ),
        (
            "gap analysis rows",
            "SELECT r.country, d.officer_id, o.kind FROM deployments_regioncountry r "
            "JOIN deployments_deployment d ON d.id = r.deployment_id JOIN directory_organisation o "
            "ON o.id = d.deploying_authority_id WHERE d.status IN ('active', 'ended') "
            "AND d.start_date <= CURRENT_DATE "
            "AND (d.end_date IS NULL OR d.end_date >= CURRENT_DATE)",
        ),
        (
            "network members, page 1",
            "SELECT nc.network_id, d.officer_id, d.start_date FROM networks_networkcountry nc "
            "JOIN deployments_deployment d ON d.country = nc.country AND d.status = 'active' "
            "WHERE nc.network_id IN (SELECT id FROM networks_network ORDER BY name, id LIMIT 50)",
        ),
    ]
    raw_rows = []
    for label, sql in raw:

        def run(sql=sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()

        count = len(run())
        samples = timed(run, args.requests)
        raw_rows.append((label, count, pct(samples, 50), pct(samples, 95)))

    db_version = database_version()
    header = (
        f"Data: {Deployment.objects.count():,} deployments over 20 years ({ids['active']:,} active, "
        f"{ids['joint']:,} joint), {Network.objects.count()} networks, 4,000 activities; "
        f"loaded in {load_s:.0f} s. "
        f"{db_version}, Python {platform.python_version()}, Django {django.get_version()}, "
        f"{os.cpu_count()} cores. {args.requests} timed requests per line after 5 warm-up requests, "
        "Django test Client (no network), signed in as the board secretariat (sees every row). "
        f"Load average during the run: {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end "
        "(other work on the machine widens the p95; the p50 is stable)."
    )
    lines = [
        header,
        "",
        "| | list | p50 ms | p95 ms | queries |",
        "|---|---|---:|---:|---:|",
    ]
    for kind, label, url, p50, p95, queries in rows:
        lines.append(f"| {kind} | {label} (`{url}`) | {p50:.1f} | {p95:.1f} | {queries} |")
    lines += [
        "",
        "Physical limit: the rows of page 1 fetched by one raw SQL query.",
        "",
        "| raw SQL | rows | p50 ms | p95 ms |",
        "|---|---:|---:|---:|",
    ]
    for label, count, p50, p95 in raw_rows:
        lines.append(f"| {label} | {count:,} | {p50:.2f} | {p95:.2f} |")
    worst = max(r[4] for r in rows if r[0] != "floor")
    lines += ["", f"Slowest p95 of a list page or API list: {worst:.1f} ms (budget 100 ms)."]
    report = "\n".join(lines)
    print(report)

    if args.write_docs:
        start = f"<!-- bench/deployments.py {connection.vendor}: start -->"
        end = f"<!-- bench/deployments.py {connection.vendor}: end -->"
        title = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
        section = f"{start}\n### {title}\n\n{report}\n{end}"
        text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
        if start in text and end in text:
            text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
        elif SECTION in text:
            at = text.index(SECTION) + len(SECTION)
            nxt = text.find("\n## ", at)
            at = len(text) if nxt < 0 else nxt
            text = text[:at].rstrip("\n") + "\n\n" + section + "\n" + text[at:]
        else:
            text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{INTRO}\n\n" + section
        DOCS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
        print(f"\nwritten to {DOCS.relative_to(ROOT)}")
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
