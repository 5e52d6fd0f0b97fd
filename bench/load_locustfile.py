"""Scenarios of the load test (bench/load.py runs them: ``locust --headless -f bench/load_locustfile.py``).

One user class per role, signed in with the demo data (``seed_demo``): pages with a session made
on the server (``force_login``: the account has its second factor), API calls with the user's own
API token (write scope), issued by bench/load.py before the run. The state file
(ILONET_LOAD_STATE) holds those credentials and the ids the users work on.

The mix, in requests (each task sends one request): 80 % reads, 15 % writes, 5 % uploads of
5 MB. With users in the proportion of the classes' ``weight`` (officers 5, board members 2,
return officers 2, coordinators 1) and the task weights below:

- officer: 90 % reads (deployments, contact list, networks, exchange spaces and documents, the
  search page and API), 10 % uploads of a 5 MB PDF into an exchange space they may write;
- board member: 62.5 % reads (motions, their vote state), 37.5 % writes (a vote on an open
  motion for their seat, or a statement on a motion: two votes to one statement; only
  statements once their seat has voted on every open motion);
- return officer: 62.5 % reads (worklist, cases, case files, search), 37.5 % writes (a
  counselling session entered on a case of their member state);
- coordinator: reads only (indicator and cooperation dashboards, their API).

reads 0.5 × 0.9 + 0.1 × 1 + 0.4 × 0.625 = 0.80; writes 0.4 × 0.375 = 0.15; uploads 0.5 × 0.1 = 0.05.

Every request is named by its endpoint (``GET /exchange/documents/{id}/``), never by a URL with
ids. A bare signed-in view (``/bench/signed-in``: the site's middleware and login check, a
constant answer) is asked once a second by one extra user, in the same run, for the ratio.

Status codes are counted per endpoint (5xx, 429, no answer) and written to ILONET_LOAD_CODES
when the run stops: the spike's verdict is "no 5xx", 429 allowed.
"""

import itertools
import json
import os
import random
import secrets
from collections import Counter, defaultdict, deque
from datetime import date

from locust import FastHttpUser, between, constant_throughput, events, task

STATE = json.loads(open(os.environ["ILONET_LOAD_STATE"], encoding="utf-8").read())  # noqa: SIM115
RNG = random.Random(int(os.environ.get("ILONET_LOAD_SEED", "20261203")))  # noqa: S311 (load data, not secrets)
BASE_HEADERS = {
    # The site sits behind a TLS proxy that says so (SECURE_PROXY_SSL_HEADER); harmless over HTTPS.
    "X-Forwarded-Proto": "https",
    "Accept-Language": "en",
}
WAIT = between(1, 4)  # a person's pause between two requests
# The smoke run (bench/load.py --smoke): each user first asks every endpoint of its role once,
# so that a run of a few seconds exercises them all.
TOUR = os.environ.get("ILONET_LOAD_TOUR") == "1"

READ, WRITE, UPLOAD, BARE = "read", "write", "upload", "bare"
# Every endpoint a scenario asks, with its kind: the runner checks each was exercised.
ENDPOINTS: dict[str, str] = {}


def endpoint(name: str, kind: str) -> str:
    ENDPOINTS[name] = kind
    return name


BARE_VIEW = endpoint("GET /bench/signed-in (bare view)", BARE)
# ILO officer
DEPLOYMENTS_PAGE = endpoint("GET /deployments/", READ)
CONTACTS_PAGE = endpoint("GET /deployments/contacts/", READ)
NETWORKS_PAGE = endpoint("GET /networks/", READ)
NETWORK_PAGE = endpoint("GET /networks/{id}/", READ)
SPACES_PAGE = endpoint("GET /exchange/", READ)
SPACE_PAGE = endpoint("GET /exchange/spaces/{id}/", READ)
DOCUMENT_PAGE = endpoint("GET /exchange/documents/{id}/", READ)
SEARCH_PAGE = endpoint("GET /exchange/search/?q=", READ)
DEPLOYMENTS_API = endpoint("GET /api/v1/deployments", READ)
CONTACTS_API = endpoint("GET /api/v1/deployments/contacts", READ)
DOCUMENTS_API = endpoint("GET /api/v1/exchange/documents?space_id=", READ)
SEARCH_API = endpoint("GET /api/v1/exchange/search?q=", READ)
UPLOAD_API = endpoint("POST /api/v1/exchange/spaces/{id}/documents (5 MB)", UPLOAD)
# board member
MOTIONS_PAGE = endpoint("GET /board/motions/", READ)
MOTION_PAGE = endpoint("GET /board/motions/{id}/", READ)
MOTIONS_API = endpoint("GET /api/v1/board/motions", READ)
VOTE_STATE_API = endpoint("GET /api/v1/board/motions/{id}/state", READ)
VOTE_API = endpoint("POST /api/v1/board/motions/{id}/votes", WRITE)
STATEMENT_API = endpoint("POST /api/v1/board/motions/{id}/statements", WRITE)
# return officer
WORKLIST_PAGE = endpoint("GET /returns/", READ)
CASES_PAGE = endpoint("GET /returns/cases/", READ)
CASE_PAGE = endpoint("GET /returns/cases/{reference}/", READ)
CASES_API = endpoint("GET /api/v1/returns/cases", READ)
CASE_API = endpoint("GET /api/v1/returns/cases/{reference}", READ)
CASE_SEARCH_API = endpoint("POST /api/v1/returns/cases/search", READ)
EVENT_API = endpoint("POST /api/v1/returns/cases/{reference}/events", WRITE)
# coordinator
INDICATORS_PAGE = endpoint("GET /returns/indicators/", READ)
COOPERATION_PAGE = endpoint("GET /returns/cooperation/overview/", READ)
FIGURES_API = endpoint("GET /api/v1/returns/indicators/figures?indicator=", READ)
TARGETS_API = endpoint("GET /api/v1/returns/indicators/targets", READ)
COOPERATION_API = endpoint("GET /api/v1/returns/cooperation/overview?year=&quarter=", READ)

# Writes the scenarios may answer with a refusal that is not an error of the platform: none.
# (A vote is only cast for a seat that has not voted; an event only on a case no other user
# writes at the same time, with the version last read.)


# --- credentials and shared pools ----------------------------------------------------------------


class Logins:
    """Round-robin over the sessions and tokens of one role's logins, so that many simulated
    users share the demo's few accounts but each has a session of its own where there are enough."""

    def __init__(self, logins: list[dict]) -> None:
        self.logins = logins
        self.next = itertools.count()

    def take(self) -> tuple[dict, str]:
        i = next(self.next)
        login = self.logins[i % len(self.logins)]
        sessions = login["sessions"]
        return login, sessions[(i // len(self.logins)) % len(sessions)]


ROLES = {role: Logins(logins) for role, logins in STATE["logins"].items()}

# Board: the open motions each seat has still to vote on (one vote per seat, Art. 7(2)); a
# simulated user takes the next one of its seat, so two users of one seat never vote twice.
# A run after another (the spike after the main run) starts from what the first left (the
# votes cast, the cases' versions): ILONET_LOAD_CARRY names that file, written when a run stops.
CARRY = os.environ.get("ILONET_LOAD_CARRY", "")
if CARRY and os.path.exists(CARRY):
    with open(CARRY, encoding="utf-8") as _carried:
        STATE.update(json.load(_carried))
VOTES_DUE: dict[str, deque[int]] = {email: deque(ids) for email, ids in STATE["votes_due"].items()}
# Return cases: a case is taken by one simulated user at a time (the version it last read is
# kept with it), then put back: no two users write the same case at the same moment.
CASES: dict[str, deque[list]] = {email: deque(cases) for email, cases in STATE["cases"].items()}

with open(STATE["upload_pdf"], "rb") as _pdf:
    PDF = _pdf.read()
# A few bytes inside the image stream, varied per upload (no two uploads are the same file).
PDF_MARK = PDF.index(b"stream\n", PDF.index(b"/Subtype /Image")) + len(b"stream\n") + 64


# --- status codes per endpoint, for the runner ------------------------------------------------------

CODES: dict[str, Counter] = defaultdict(Counter)


@events.request.add_listener
def _count(name, response, exception, **_kwargs):
    status = getattr(response, "status_code", 0) or 0
    if exception is not None and not status:
        CODES[name]["connection error"] += 1
    elif status >= 500:
        CODES[name]["5xx"] += 1
    elif status == 429:
        CODES[name]["429"] += 1


@events.quitting.add_listener
def _write_codes(environment, **_kwargs):
    target = os.environ.get("ILONET_LOAD_CODES")
    if target:
        with open(target, "w", encoding="utf-8") as out:
            json.dump({name: dict(counts) for name, counts in CODES.items()}, out)
    if CARRY:
        with open(CARRY, "w", encoding="utf-8") as out:
            votes = {email: list(due) for email, due in VOTES_DUE.items()}
            cases = {email: list(pool) for email, pool in CASES.items()}
            json.dump({"votes_due": votes, "cases": cases}, out)


def _json(response):
    try:
        return response.json()
    except ValueError:
        return None


# --- users ---------------------------------------------------------------------------------------


class Role(FastHttpUser):
    abstract = True
    role = ""
    wait_time = WAIT
    network_timeout = 60.0
    connection_timeout = 30.0

    def on_start(self) -> None:
        self.login, session = ROLES[self.role].take()
        self.page_headers = {**BASE_HEADERS, "Cookie": f"{STATE['session_cookie']}={session}"}
        self.api_headers = {**BASE_HEADERS, "Authorization": f"Bearer {self.login['token']}"}
        self.ids = self.login["ids"]
        if TOUR:
            for each in dict.fromkeys(self.tasks):  # every task of the role, once, in order
                each(self)

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, headers=self.page_headers, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
            elif b"<html" not in (r.content or b"")[:2000].lower():
                r.failure("not a page")

    def api(self, method: str, path: str, name: str, expect: int = 200, **kwargs):
        with self.client.request(
            method, path, headers=self.api_headers, name=name, catch_response=True, **kwargs
        ) as r:
            if r.status_code != expect:
                r.failure(f"HTTP {r.status_code}: {(r.text or '')[:300]}")
                if r.status_code == 409:  # a stale version: the answer names the current one
                    return _json(r)
                return None
            try:
                return r.json()
            except ValueError:
                r.failure("not JSON")
                return None

    def pick(self, key: str):
        return RNG.choice(self.ids[key])


class Officer(Role):
    """An ILO officer: browses the registry, contact list, networks and the exchange, searches,
    uploads 5 MB documents into a space they may write."""

    role = "officer"
    weight = 5

    @task(8)
    def deployments_page(self):
        self.page("/deployments/", DEPLOYMENTS_PAGE)

    @task(8)
    def contacts_page(self):
        self.page("/deployments/contacts/", CONTACTS_PAGE)

    @task(6)
    def networks_page(self):
        self.page("/networks/", NETWORKS_PAGE)

    @task(6)
    def network_page(self):
        self.page(f"/networks/{self.pick('networks')}/", NETWORK_PAGE)

    @task(6)
    def spaces_page(self):
        self.page("/exchange/", SPACES_PAGE)

    @task(8)
    def space_page(self):
        self.page(f"/exchange/spaces/{self.pick('spaces')}/", SPACE_PAGE)

    @task(8)
    def document_page(self):
        self.page(f"/exchange/documents/{self.pick('documents')}/", DOCUMENT_PAGE)

    @task(8)
    def search_page(self):
        self.page(f"/exchange/search/?q={self.pick('words')}", SEARCH_PAGE)

    @task(8)
    def deployments_api(self):
        self.api("GET", "/api/v1/deployments", DEPLOYMENTS_API)

    @task(8)
    def contacts_api(self):
        self.api("GET", "/api/v1/deployments/contacts", CONTACTS_API)

    @task(8)
    def documents_api(self):
        self.api("GET", f"/api/v1/exchange/documents?space_id={self.pick('spaces')}", DOCUMENTS_API)

    @task(8)
    def search_api(self):
        self.api("GET", f"/api/v1/exchange/search?q={self.pick('words')}", SEARCH_API)

    @task(10)
    def upload(self):
        body = bytearray(PDF)
        body[PDF_MARK : PDF_MARK + 16] = secrets.token_bytes(16)
        space = self.pick("writable_spaces")
        self.api(
            "POST",
            f"/api/v1/exchange/spaces/{space}/documents",
            UPLOAD_API,
            expect=201,
            data={
                "title": f"Load test report {secrets.token_hex(4)}",
                "category": "other",
                "marking": "normal",
                "language": "en",
            },
            files={"file": ("load-report.pdf", bytes(body), "application/pdf")},
        )


class BoardMember(Role):
    """A steering board member (one voting seat): reads the motions and votes on the open ones."""

    role = "board"
    weight = 2

    @task(2)
    def motions_page(self):
        self.page("/board/motions/", MOTIONS_PAGE)

    @task(1)
    def motion_page(self):
        self.page(f"/board/motions/{self.pick('motions')}/", MOTION_PAGE)

    @task(1)
    def motions_api(self):
        self.api("GET", "/api/v1/board/motions?status=open", MOTIONS_API)

    @task(1)
    def vote_state_api(self):
        self.api("GET", f"/api/v1/board/motions/{self.pick('motions')}/state", VOTE_STATE_API)

    @task(2)
    def vote(self):
        due = VOTES_DUE[self.login["email"]]
        if not due:  # every open motion has this seat's vote: a statement instead
            return self.statement()
        motion = due.popleft()
        choice = RNG.choice(("for", "for", "against", "abstain"))
        path = f"/api/v1/board/motions/{motion}/votes"
        self.api("POST", path, VOTE_API, expect=201, json={"choice": choice})

    @task(1)
    def statement(self):
        self.api(
            "POST",
            f"/api/v1/board/motions/{self.pick('motions')}/statements",
            STATEMENT_API,
            expect=201,
            json={"text": "Statement made during the load test."},
        )


class ReturnOfficer(Role):
    """A member state's return officer: the worklist, cases and case files; enters events."""

    role = "returns"
    weight = 2

    @task(2)
    def worklist_page(self):
        self.page("/returns/", WORKLIST_PAGE)

    @task(2)
    def cases_page(self):
        self.page("/returns/cases/", CASES_PAGE)

    @task(2)
    def case_page(self):
        self.page(f"/returns/cases/{self.pick('cases')}/", CASE_PAGE)

    @task(2)
    def cases_api(self):
        self.api("GET", "/api/v1/returns/cases", CASES_API)

    @task(1)
    def case_api(self):
        self.api("GET", f"/api/v1/returns/cases/{self.pick('cases')}", CASE_API)

    @task(1)
    def case_search_api(self):
        self.api("POST", "/api/v1/returns/cases/search", CASE_SEARCH_API, json={"q": self.pick("cases")[:6]})

    @task(6)
    def record_event(self):
        pool = CASES[self.login["email"]]
        if not pool:  # every case is being written by another user this instant: read instead
            return self.cases_api()
        case = pool.popleft()  # [reference, version]
        try:
            out = self.api(
                "POST",
                f"/api/v1/returns/cases/{case[0]}/events",
                EVENT_API,
                expect=201,
                json={
                    "kind": "counselling_session",
                    "occurred_on": date.today().isoformat(),
                    "version": case[1],
                    "fields": {
                        "remote": RNG.random() < 0.3,
                        "interpreter": RNG.random() < 0.5,
                        "interested_in_voluntary_return": RNG.random() < 0.4,
                    },
                },
            )
            if out and "version" in out:
                case[1] = out["version"]
            elif out and "current_version" in out:  # refused as stale (counted as a failure)
                case[1] = out["current_version"]
        finally:
            pool.append(case)


class Coordinator(Role):
    """The EU return coordinator: indicator and cooperation dashboards and their API."""

    role = "coordinator"
    weight = 1

    @task(1)
    def indicators_page(self):
        self.page("/returns/indicators/", INDICATORS_PAGE)

    @task(1)
    def cooperation_page(self):
        self.page("/returns/cooperation/overview/", COOPERATION_PAGE)

    @task(1)
    def figures_api(self):
        indicator = self.pick("indicators")
        self.api("GET", f"/api/v1/returns/indicators/figures?indicator={indicator}", FIGURES_API)

    @task(1)
    def targets_api(self):
        self.api("GET", "/api/v1/returns/indicators/targets", TARGETS_API)

    @task(1)
    def cooperation_api(self):
        year, quarter = self.pick("quarters")
        path = f"/api/v1/returns/cooperation/overview?year={year}&quarter={quarter}"
        self.api("GET", path, COOPERATION_API)


class BareView(FastHttpUser):
    """The bare signed-in view, once a second, beside the roles: the same server, the same load."""

    fixed_count = 1
    wait_time = constant_throughput(1)

    def on_start(self) -> None:
        session = ROLES["officer"].logins[0]["sessions"][0]
        self.headers = {**BASE_HEADERS, "Cookie": f"{STATE['session_cookie']}={session}"}

    @task
    def bare(self):
        path = STATE["bare_path"]
        with self.client.get(path, headers=self.headers, name=BARE_VIEW, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
