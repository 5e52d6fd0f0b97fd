"""Where the CPU of a request goes, in one process: each page of the load scenarios against the
bare signed-in view, with the Django test client, the production settings
(bench/http_settings.py) and the demo data (``seed_demo``).

Per page: the CPU per request (process time, the least of three timed batches: other jobs on the machine
only slow a batch down), the number of
SQL queries and the time they took, and the share of the bare view's CPU; ``--profile NAME``
prints a cProfile of that page (cumulative), ``--queries NAME`` its SQL.

The data: a SQLite file under ``ILONET_DATA_DIR`` (migrated and seeded by this script when
empty: ``--seed``), or the database of ``DATABASE_URL``. The environment is the production
profile's (secret key, data keys, ...), as bench/http_bench.py sets it; run with ``--env`` once
to print a throwaway one to source.

With ``--targets`` the data is instead that of bench/http_bench.py (bench/deployments.py: 5,000
deployments, 200 networks; ``--seed`` loads it into an empty database) and the pages are the
HTTP benchmark's targets, asked by its board secretariat user.

Usage: .venv/bin/python bench/page_profile.py [--env] [--seed] [--targets] [--repeat 30]
       [--only SUBSTRING] [--profile SUBSTRING] [--queries SUBSTRING]
"""

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

# A diagnostic, not a benchmark of make bench: it needs the demo data and prints only.
BENCH_RUN = None

ROOT = Path(__file__).resolve().parent.parent
BARE = "/bench/signed-in"


def print_env() -> None:
    import secrets

    sys.path.insert(0, str(ROOT / "src"))
    from ilonet.audit.keys import new_chain_key_spec, new_signing_key_text
    from ilonet.shared.keyring import new_key_spec

    values = {
        "DJANGO_SETTINGS_MODULE": "http_settings",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'bench'}",
        "ILONET_SECRET_KEY": secrets.token_urlsafe(64),
        "ILONET_ENCRYPTION_KEYS": new_key_spec("b1"),
        "ILONET_AUDIT_CHAIN_KEY": new_chain_key_spec("b1"),
        "ILONET_AUDIT_SIGNING_KEY": new_signing_key_text(),
        "ILONET_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "ILONET_SITE_URL": "https://127.0.0.1",
        "ILONET_LOG_LEVEL": "WARNING",
        "ILONET_CLAMAV_SOCKET": "/nonexistent/clamd.sock",
    }
    for name, value in values.items():
        print(f"export {name}='{value}'")


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(label, login, path): the endpoints of bench/load_locustfile.py, one id each."""
    return [
        ("bare view", "ilo", BARE),
        ("home", "ilo", "/"),
        ("deployments", "ilo", "/deployments/"),
        ("contacts", "ilo", "/deployments/contacts/"),
        ("networks", "ilo", "/networks/"),
        ("network", "ilo", f"/networks/{ids['network']}/"),
        ("spaces", "ilo", "/exchange/"),
        ("space", "ilo", f"/exchange/spaces/{ids['space']}/"),
        ("document", "ilo", f"/exchange/documents/{ids['document']}/"),
        ("search page", "ilo", f"/exchange/search/?q={ids['word']}"),
        ("deployments API", "ilo", "/api/v1/deployments"),
        ("contacts API", "ilo", "/api/v1/deployments/contacts"),
        ("documents API", "ilo", f"/api/v1/exchange/documents?space_id={ids['space']}"),
        ("search API", "ilo", f"/api/v1/exchange/search?q={ids['word']}"),
        ("motions", "board.nl", "/board/motions/"),
        ("motion", "board.nl", f"/board/motions/{ids['motion']}/"),
        ("motions API", "board.nl", "/api/v1/board/motions"),
        ("vote state API", "board.nl", f"/api/v1/board/motions/{ids['motion']}/state"),
        ("worklist", "return.nl", "/returns/"),
        ("cases", "return.nl", "/returns/cases/"),
        ("case", "return.nl", f"/returns/cases/{ids['case']}/"),
        ("cases API", "return.nl", "/api/v1/returns/cases"),
        ("case API", "return.nl", f"/api/v1/returns/cases/{ids['case']}"),
        ("indicators", "coordinator", "/returns/indicators/"),
        ("cooperation", "coordinator", "/returns/cooperation/overview/"),
        ("figures API", "coordinator", f"/api/v1/returns/indicators/figures?indicator={ids['indicator']}"),
        ("targets API", "coordinator", "/api/v1/returns/indicators/targets"),
        ("cooperation API", "coordinator",
         f"/api/v1/returns/cooperation/overview?year={ids['year']}&quarter={ids['quarter']}"),
    ]  # fmt: skip


def targets() -> list[tuple[str, str, str]]:
    """(label, login, path): the targets of bench/http_bench.py, asked by its secretariat user."""
    reader = "bench-secretariat@example.eu"
    return [
        ("bare view", reader, BARE),
        ("deployments", reader, "/deployments/"),
        ("contacts", reader, "/deployments/contacts/"),
        ("networks", reader, "/networks/"),
        ("deployments API", reader, "/api/v1/deployments"),
        ("networks API", reader, "/api/v1/networks"),
        ("OpenAPI", reader, "/api/v1/openapi.json"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--env", action="store_true", help="print a throwaway environment to source")
    parser.add_argument("--seed", action="store_true", help="migrate and seed the data first")
    parser.add_argument(
        "--targets",
        action="store_true",
        help="bench/http_bench.py's targets over bench/deployments.py's data",
    )
    parser.add_argument("--repeat", type=int, default=30, help="requests per page and batch")
    parser.add_argument("--only", help="only the pages whose label or path holds this")
    parser.add_argument("--profile", help="cProfile the page whose label is this")
    parser.add_argument("--queries", help="print the SQL of the page whose label is this")
    parser.add_argument("--lines", type=int, default=45, help="lines of the profile")
    args = parser.parse_args()
    if args.env:
        print_env()
        return 0

    sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if args.seed:
        # The demo's files are the platform's own: seeded without a malware scanner (the
        # production settings ask for one, and this script starts none).
        settings.CLAMAV_SOCKET = settings.CLAMAV_HOST = ""
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        if args.targets:
            import deployments as data  # bench/deployments.py

            data.load(5000, 200)
        else:
            call_command("seed_demo", allow_production=True)

    from ilonet.accounts.models import User

    def user(local: str) -> User:
        return User.objects.get(email=local if "@" in local else f"{local}@demo.ilonet.eu")

    def demo_ids() -> dict:
        from datetime import date

        from ilonet import policy
        from ilonet.board.models import Motion
        from ilonet.exchange.models import Document, Space
        from ilonet.networks.models import Network
        from ilonet.returns.models import ReturnCase

        officer = user("ilo")
        spaces = [
            s for s in Space.objects.order_by("pk") if policy.can(officer, policy.Action.VIEW_EXCHANGE, s)
        ]
        space_ids = {s.pk for s in spaces}
        today = date.today()
        ids = {
            "network": Network.objects.order_by("pk").values_list("pk", flat=True).first(),
            "space": spaces[0].pk,
            "document": Document.objects.filter(space_id__in=space_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first(),
            "word": "report",
            "motion": Motion.objects.order_by("-pk").values_list("pk", flat=True).first(),
            "case": ReturnCase.objects.filter(member_state="NL")
            .order_by("pk")
            .values_list("reference", flat=True)
            .first(),
            "indicator": None,
            "year": today.year,
            "quarter": (today.month - 1) // 3 + 1,
        }
        return ids

    host = "testserver"
    clients: dict[str, Client] = {}

    def client_for(local: str) -> Client:
        if local not in clients:
            client = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="en")
            client.force_login(user(local), backend="allauth.account.auth_backends.AuthenticationBackend")
            clients[local] = client
        return clients[local]

    def get(label_login_path):
        _label, local, path = label_login_path
        return client_for(local).get(path, secure=True)

    # The test client's requests would empty the query log (Django resets it when a request starts).
    request_started.disconnect(reset_queries)
    if args.targets:
        every = targets()
    else:
        ids = demo_ids()
        ids["indicator"] = (
            client_for("coordinator")
            .get("/api/v1/returns/indicators/definitions", secure=True)
            .json()[0]["code"]
        )
        every = pages(ids)
    chosen = [p for p in every if not args.only or args.only in p[0] or args.only in p[2]]
    if args.only and not any(p[0] == "bare view" for p in chosen):
        chosen.insert(0, every[0])
    settings.DEBUG = False
    results = []
    for page in chosen:
        for _ in range(3):  # warm: templates compiled, caches filled
            response = get(page)
        if response.status_code != 200:
            print(f"{page[0]}: {page[2]} answered {response.status_code}", file=sys.stderr)
            continue
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            get(page)
        captured = list(queries.captured_queries)
        sql_ms = sum(float(q["time"]) for q in captured) * 1000
        batches = []
        for _ in range(3):
            began = time.process_time()
            for _ in range(args.repeat):
                get(page)
            batches.append((time.process_time() - began) / args.repeat * 1000)
        results.append((page, min(batches), len(captured), sql_ms, len(response.content)))
        if args.queries and page[0] == args.queries:
            for q in captured:
                print(f"{float(q['time']) * 1000:6.2f} ms  {q['sql'][:400]}")
        if args.profile and page[0] == args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.repeat):
                get(page)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.lines)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(args.lines)
        reset_queries()
    bare = next((ms for page, ms, *_ in results if page[0] == "bare view"), None)
    print(f"{'page':18} {'path':58} {'CPU ms':>7} {'x bare':>7} {'queries':>7} {'SQL ms':>7} {'KB':>6}")
    for page, ms, n_queries, sql_ms, size in results:
        ratio = f"{ms / bare:7.1f}" if bare else "      -"
        print(
            f"{page[0]:18} {page[2][:58]:58} {ms:7.2f} {ratio} {n_queries:7} {sql_ms:7.2f} {size / 1024:6.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
