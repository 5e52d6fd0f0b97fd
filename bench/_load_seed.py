"""Seeding of the load test (bench/load.py runs it in a subprocess with the server's environment):
the demo data, open motions for the board's votes, an API token and server-side sessions for
each login used, the ids the scenarios work on, and the 5 MB PDF the officers upload."""

import io
import json
import math
import random
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BARE = "/bench/signed-in"
UPLOAD_BYTES = 5 * 1024 * 1024
# Share of the users who are board members (bench/load_locustfile.py: weights 5 : 2 : 2 : 1).
BOARD_SHARE = 0.2


def _items(data) -> list:
    return data["items"] if isinstance(data, dict) else data


def write_upload_pdf(path: Path) -> None:
    """A 5 MB PDF: a page of text (the personal-data check reads it; none is found) and an image
    stream of random bytes that makes up the size (the load file varies a few of its bytes)."""
    sys.path.insert(0, str(ROOT / "src"))
    from ilonet.shared.uploads.testing import pdf_bytes

    text = b" ".join(
        b"BT /F1 12 Tf 72 %d Td (Quarterly report of the liaison network on cooperation, line %d.) Tj ET"
        % (760 - 16 * i, i + 1)
        for i in range(20)
    )
    rng = random.Random(20261203)  # noqa: S311  (test data)
    image = rng.randbytes(UPLOAD_BYTES - len(text) - 2048)
    path.write_bytes(
        pdf_bytes(
            content=text,
            extra_objects=(
                b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(image) + image + b"\nendstream",
            ),
        )
    )


def seed(state_file: str, workdir: str, create_db: bool, users: int, motions: int) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(BENCH)]
    import django

    django.setup()
    from _docs import database_version
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from ilonet import policy
    from ilonet.accounts.models import User
    from ilonet.accounts.testing import issue_api_token
    from ilonet.board import demo as board_demo
    from ilonet.board import services as board_services
    from ilonet.board.models import Motion, MotionStatus, Procedure
    from ilonet.exchange.models import Space

    started = time.perf_counter()
    database = None
    if create_db:
        if connection.vendor == "postgresql":
            database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        else:
            call_command("migrate", verbosity=0)
            call_command("createcachetable", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())
    seeded = time.perf_counter() - started

    def user(local: str) -> User:
        return User.objects.get(email=f"{local}@demo.ilonet.eu")

    # Open motions for the board to vote on (written procedure, ten days: none closes in the run).
    chair = user("chair")
    for number in range(motions):
        motion = board_services.create_motion(
            actor=chair,
            title=f"Load test motion {number + 1}",
            text="A proposed decision put to the board for the load test.",
            procedure=Procedure.WRITTEN,
            closes_at=timezone.now() + timedelta(days=10),
        )
        board_services.open_motion(actor=chair, motion=motion)
    load_motions = list(
        Motion.objects.filter(title__startswith="Load test motion").values_list("pk", flat=True)
    )
    open_motions = list(Motion.objects.filter(status=MotionStatus.OPEN).values_list("pk", flat=True))

    def client_for(account: User) -> Client:
        # A host the site accepts (prod-local allows only its own addresses, not "testserver").
        host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"), "")
        client = Client(HTTP_HOST=host) if host else Client()
        client.force_login(account, backend="allauth.account.auth_backends.AuthenticationBackend")
        return client

    def api(client: Client, path: str):
        response = client.get(path, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"seeding: {path} answered {response.status_code}: {response.content[:300]!r}")
        return response.json()

    def sessions(account: User, count: int) -> list[str]:
        return [client_for(account).cookies[settings.SESSION_COOKIE_NAME].value for _ in range(count)]

    def login(account: User, ids: dict, n_sessions: int) -> dict:
        assert Authenticator.objects.filter(user=account).exists(), f"{account.email} has no second factor"
        _token, secret = issue_api_token(actor=account, name="load test", scope="write", days=2)
        made = sessions(account, n_sessions)
        return {"email": account.email, "token": secret, "sessions": made, "ids": ids}

    peak = max(users, 300)
    logins: dict[str, list[dict]] = {}

    # ILO officer: the demo's officer login.
    officer = user("ilo")
    client = client_for(officer)
    spaces = _items(api(client, "/api/v1/exchange/spaces?page_size=100"))
    writable = [
        s.pk
        for s in Space.objects.filter(pk__in=[s["id"] for s in spaces])
        if policy.can(officer, policy.Action.CONTRIBUTE_TO_EXCHANGE, s)
    ]
    documents = _items(api(client, "/api/v1/exchange/documents?page_size=200"))
    words = sorted(
        {w.lower() for d in documents for w in re.findall(r"[A-Za-z]{5,}", d["title"])}
        - {"about", "their", "which", "between"}
    )[:40]
    networks = _items(api(client, "/api/v1/networks?page_size=100"))
    officer_ids = {
        "spaces": [s["id"] for s in spaces],
        "writable_spaces": writable,
        "documents": [d["id"] for d in documents],
        "words": words,
        "networks": [n["id"] for n in networks],
    }
    if not all(officer_ids.values()):
        raise RuntimeError(f"seeding: the officer has nothing to work on: {officer_ids}")
    logins["officer"] = [login(officer, officer_ids, math.ceil(peak * 0.5))]

    # Board members: one login per voting seat; the load test's motions are due from each.
    seat_logins = board_demo.voting_seat_logins().logins
    per_seat = max(1, math.ceil(peak * BOARD_SHARE / len(seat_logins)))
    logins["board"] = []
    votes_due = {}
    for seat in seat_logins:
        account = User.objects.get(email=seat.email)
        logins["board"].append(login(account, {"motions": open_motions}, per_seat))
        votes_due[seat.email] = load_motions

    # Return officers of two member states: their open cases (not on hold), with the version read.
    logins["returns"] = []
    cases = {}
    for local in ("return.nl", "return.be"):
        account = user(local)
        client = client_for(account)
        found = []
        page = 1
        while True:
            data = api(client, f"/api/v1/returns/cases?page_size=100&page={page}")
            found += _items(data)
            if page * 100 >= data["count"]:
                break
            page += 1
        writable_cases = [
            [c["reference"], c["version"]]
            for c in found
            if c["status"] not in ("closed", "awaiting_approval") and not c["on_hold"]
        ]
        cases[account.email] = writable_cases
        ids = {"cases": [c["reference"] for c in found]}
        logins["returns"].append(login(account, ids, math.ceil(peak * 0.2 / 2)))

    # The coordinator: the indicators and the last four quarters.
    coordinator = user("coordinator")
    client = client_for(coordinator)
    indicators = [i["code"] for i in api(client, "/api/v1/returns/indicators/definitions")]
    today = date.today()
    quarters = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(4):
        quarters.append([year, quarter])
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    logins["coordinator"] = [
        login(coordinator, {"indicators": indicators, "quarters": quarters}, math.ceil(peak * 0.1))
    ]

    pdf = Path(workdir) / "upload.pdf"
    write_upload_pdf(pdf)
    version = database_version()
    Path(state_file).write_text(
        json.dumps(
            {
                "database": database,
                "version": version,
                "django": django.get_version(),
                "seed_seconds": seeded,
                "prepare_seconds": time.perf_counter() - started - seeded,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "bare_path": BARE,
                "logins": logins,
                "votes_due": votes_due,
                "cases": cases,
                "upload_pdf": str(pdf),
                "motions": len(load_motions),
                "writable_cases": sum(len(c) for c in cases.values()),
            }
        ),
        encoding="utf-8",
    )


def drop(database: str) -> None:
    sys.path[:0] = [str(ROOT / "src"), str(BENCH)]
    import django

    django.setup()
    from django.db import connection

    connection.creation.destroy_test_db(database, verbosity=0)
