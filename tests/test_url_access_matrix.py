"""The access matrix of the security battery: every URL pattern of the resolver, asked as every
persona of the battery, with objects of the persona's own member state, of another state and of
another purpose (personal data records of ``ilonet.personaldata``, return cases of
``ilonet.returns``), each carrying identifying values of its own (canaries).

* An explicit table (``tests/url_access_expectations.py``) names, for every URL pattern, the
  personas that get past its gate: a URL pattern missing from the table, or a table entry whose
  URL is gone, fails. A persona outside the entry is refused (302 to the login page for pages
  and 401 for the API when anonymous, 403, or 404 for an object it may not know of); a persona
  in it is not.
* 0 leaks: no answer, to any persona, any method, holds a canary of an object the persona may
  not see (``VISIBLE`` says which those are, one line per persona).
* 0 extra fields: every JSON answer of the API (2xx) holds exactly the fields of its OpenAPI
  response schema, at every depth.
* Every method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS) for every persona the table
  refuses a URL pattern to: none gets further (2xx, or a redirect that is not to the login page).

Path parameters are set to the ids (and return case references) of the canary objects, so that
every detail URL is asked for an own object and for foreign ones. Regenerate the table after a
reviewed change of the rules with ``ILONET_WRITE_URL_MATRIX=1 pytest tests/test_url_access_matrix.py``
and read its diff: each changed line is a change of who may open what.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.deployments.tests.helpers import deploy, desk, officer
from ilonet.directory import demo as directory_demo
from ilonet.personaldata.law import Purpose
from ilonet.personaldata.tests.conftest import give_purposes
from ilonet.returns.services import cases as case_services

from .url_access_expectations import EXPECTED

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).with_name("url_access_expectations.py")
WRITE = bool(os.environ.get("ILONET_WRITE_URL_MATRIX"))
PERSONAS = ("anonymous", "ilo_nl", "ilo_be", "ep_reader", "board_member", "dpo", "return_nl", "return_de",
            "coordinator", "admin")  # fmt: skip
# The other methods are asked of the first personas refused a URL (anonymous first); all of them
# with ILONET_URL_MATRIX_FULL=1 (slower).
REFUSED_PERSONAS_PER_ROUTE = len(PERSONAS) if os.environ.get("ILONET_URL_MATRIX_FULL") else 2
PROBES = ("POST", "PATCH", "PUT")  # asked in turn when GET answers 405
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# Canaries: identifying values of each object, found in an answer only if it shows the object.
CANARIES = {
    "record_nl_return": "Quillfeather",
    "record_be_return": "Brambleworth",
    "record_nl_resettlement": "Thistlewaite",
    "case_nl": "Marrowdale",
    "case_de": "Oakenshield",
}
# The objects each persona may see (its own state's, for its own purpose); every other canary is
# foreign to it. The data protection officer oversees the processing (access logs, erasure), not
# the records' content; the coordinator sees return figures, not persons.
VISIBLE = {
    "anonymous": set(),
    "ilo_nl": {"record_nl_return"},
    "ilo_be": {"record_be_return"},
    "ep_reader": set(),
    "board_member": set(),
    "dpo": set(),
    "return_nl": {"case_nl"},
    "return_de": {"case_de"},
    "coordinator": set(),
    "admin": set(),
}


# --- discovery -------------------------------------------------------------------------------------


def _patterns(patterns, prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def url_patterns() -> list[str]:
    return sorted(set(_patterns(get_resolver().url_patterns)))


PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _urls(route: str, world: dict) -> list[str]:
    """The route with its parameters set: for each canary object, its id (int parameters) or its
    reference (other parameters). A route without parameters is one URL."""
    if route.startswith("^") or "(?P" in route:  # a regular expression (static files, media)
        route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", route).strip("^$")
    if not PARAMETER.search(route):
        return ["/" + route]
    urls = []
    for values in world["values"]:

        def fill(match, values=values):
            converter, name = match.group("converter") or "str", match.group("name")
            if converter == "int":
                return str(values["int"])
            return values.get(name, values["str"])

        urls.append("/" + PARAMETER.sub(fill, route))
    return list(dict.fromkeys(urls))


# --- the world -------------------------------------------------------------------------------------


PERSON_RETURN = {
    "birth_date": "1990-04-01",
    "birth_place": "Casablanca",
    "nationalities": ["MA"],
    "documents": [
        {"type": "passport", "number": "X1234567", "issuing_country": "MA", "valid_until": "2030-01-31"}
    ],
}


def _record(actor, purpose: str, family: str, category: str = "a"):
    from datetime import date

    from ilonet.personaldata import services

    data = {
        "names": [{"script": "latin", "family": family, "given": "Youssef"}],
        "birth_date": date(1990, 4, 12),
        "birth_place": "Oujda",
        "nationality": "MA",
        "documents": [{"kind": "passport", "number": "XQ7781234", "country": "MA"}],
    }
    return services.create_record(actor=actor, purpose=purpose, category=category, data=data)


def _ids_after_the_rows_present() -> None:
    """On PostgreSQL, every id sequence restarts after the rows present, as SQLite's do after a
    rolled-back test: the canary objects get the same ids on both databases, so the table (whose
    int parameters are those ids) holds on both."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), django_apps.get_models()):
            cursor.execute(sql)


@pytest.fixture
def world(make_user, settings, tmp_path):
    _ids_after_the_rows_present()
    settings.PERSONAL_DATA_KEY_DIR = tmp_path / "keys"
    directory_demo.ensure_authorities()
    ilo_nl = officer(make_user, authority="nl-auth", first_name="Ilo", last_name="Netherlands")
    deploy(desk(make_user, "nl-auth"), ilo_nl, authority="nl-auth", country="MA")
    ilo_be = officer(make_user, authority="be-auth", first_name="Ilo", last_name="Belgium")
    deploy(desk(make_user, "be-auth"), ilo_be, authority="be-auth", country="MA")
    give_purposes(ilo_nl, Purpose.RETURN)
    give_purposes(ilo_be, Purpose.RETURN)
    resettlement = officer(make_user, authority="nl-auth")
    give_purposes(resettlement, Purpose.RESETTLEMENT)
    users = {
        "ilo_nl": ilo_nl,
        "ilo_be": ilo_be,
        "ep_reader": make_user(Role.EP_READER, organisation="ep"),
        "board_member": make_user(Role.BOARD_MEMBER, organisation="nl"),
        "dpo": make_user(Role.DATA_PROTECTION_OFFICER, organisation="com"),
        "return_nl": make_user(Role.RETURN_OFFICER, organisation="nl"),
        "return_de": make_user(Role.RETURN_OFFICER, organisation="de"),
        "coordinator": make_user(Role.RETURN_COORDINATOR, organisation="com"),
        "admin": make_user(Role.PLATFORM_ADMIN, organisation="com"),
    }
    records = [
        _record(ilo_nl, Purpose.RETURN, CANARIES["record_nl_return"]),
        _record(ilo_be, Purpose.RETURN, CANARIES["record_be_return"]),
        _record(resettlement, Purpose.RESETTLEMENT, CANARIES["record_nl_resettlement"], "d"),
    ]
    cases = []
    for key, who in (("case_nl", "return_nl"), ("case_de", "return_de")):
        person = {"names": [{"family": CANARIES[key], "given": "Karim", "script": "latin"}], **PERSON_RETURN}
        cases.append(
            case_services.open_case(actor=users[who], case_type="enforced", third_country="MA", person=person)
        )
    # each URL is asked with the parameters of the NL, then the other state's, then the other
    # purpose's objects: int parameters their ids, ``ref`` a record's, ``reference`` a case's
    values = [
        {"int": r.pk, "ref": r.ref, "reference": c.reference, "kind": "photo", "str": "nl"}
        for r, c in zip(records, [*cases, cases[0]], strict=True)
    ]
    clients = {"anonymous": Client()}
    for name, user in users.items():
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        account_tokens.record_second_factor(client, user)
        _token, secret = account_tokens.issue_api_token(actor=user, name="matrix", scope="write")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        clients[name] = client
    return {"clients": clients, "values": values, "users": users}


# --- checks ----------------------------------------------------------------------------------------


def _refused(response, url: str, persona: str) -> bool:
    """Stopped at the gate: 401, 403, 404 (an object it may not know of), 405 (no method that
    was tried is served), or, anonymous, sent to the login page."""
    status = response.status_code
    if status in (401, 403, 404, 405):
        return True
    return status == 302 and "/accounts/login/" in response.get("Location", "") and persona == "anonymous"


def _leaks(persona: str, body: bytes) -> list[str]:
    text = body.decode("utf-8", "replace")
    return [key for key, canary in CANARIES.items() if key not in VISIBLE[persona] and canary in text]


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


class Schema:
    """The OpenAPI document's response schemas, to compare API answers field by field."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.paths = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), operations)
            for path, operations in doc["paths"].items()
        ]

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def response_schema(self, url: str, status: int) -> dict | None:
        for pattern, operations in self.paths:
            if pattern.match(url.removeprefix("/api/v1").split("?")[0]):
                answer = operations.get("get", {}).get("responses", {}).get(str(status), {})
                return answer.get("content", {}).get("application/json", {}).get("schema")
        return None

    def extra_fields(self, value, schema: dict, where: str = "$") -> list[str]:
        schema = self.resolve(schema)
        options = schema.get("anyOf") or schema.get("oneOf")
        if options:
            found = [self.extra_fields(value, option, where) for option in options]
            return min(found, key=len)
        if isinstance(value, dict) and "properties" in schema:
            fields = set(schema["properties"])
            extra = [f"{where}.{key}" for key in value if key not in fields]
            for key, item in value.items():
                if key in fields:
                    extra += self.extra_fields(item, schema["properties"][key], f"{where}.{key}")
            return extra
        if isinstance(value, list) and "items" in schema:
            return [e for item in value[:20] for e in self.extra_fields(item, schema["items"], f"{where}[]")]
        return []


def _call(client, method: str, url: str):
    if method in ("GET", "HEAD", "OPTIONS"):
        return client.generic(method, url)
    return client.generic(method, url, b"{}", content_type="application/json")


# --- the tests -------------------------------------------------------------------------------------


def test_every_url_pattern_has_an_expectation_and_every_expectation_a_url_pattern():
    found = set(url_patterns())
    missing = sorted(found - set(EXPECTED))
    gone = sorted(set(EXPECTED) - found)
    assert missing == [], "URL patterns without an expectation (add them to the table):\n" + "\n".join(
        missing
    )
    assert gone == [], "expectations for URL patterns that are gone:\n" + "\n".join(gone)
    assert all(set(who) <= set(PERSONAS) for who in EXPECTED.values())


def _group(route: str) -> str:
    """The part of the site a URL pattern belongs to: its first path segment (the API: its
    router), so that each test stays short and names what it covers."""
    parts = route.split("/")
    return "/".join(parts[:3]) if route.startswith("api/v1/") and len(parts) > 3 else parts[0]


def _groups() -> list[str]:
    return sorted({_group(route) for route in url_patterns()})


GROUPS = _groups()


@pytest.mark.parametrize("group", GROUPS)
def test_every_persona_every_method_every_url_no_leak_no_extra_field_no_way_past_a_gate(world, group):
    from ilonet.site.api import api

    schema = Schema(json.loads(api.openapi_document()))
    routes = [route for route in url_patterns() if _group(route) == group]
    problems: list[str] = []
    observed: dict[str, list[str]] = {}
    for route in routes:
        _ask_route(route, world, schema, observed, problems)
    if WRITE:
        _write(observed)
    assert problems == [], "\n".join(problems[:40])


def _ask_route(route: str, world, schema, observed: dict[str, list[str]], problems: list[str]) -> None:
    """Every persona, every method on one URL pattern; what they find goes to ``problems``. What
    a persona's request changes (a probe may deactivate an account) is undone before the next."""
    urls = _urls(route, world)
    observed[route] = []
    refused_so_far = 0
    for persona in PERSONAS:
        with transaction.atomic():
            passed = _ask_as(persona, urls, world, schema, problems)
            if passed:
                observed[route].append(persona)
            expected = persona in EXPECTED.get(route, ())
            if not WRITE and passed != expected:
                problems.append(
                    f"{persona} GET {urls[0]}: {'opens' if passed else 'refused'}, table says otherwise"
                )
            if not (WRITE or expected):
                refused_so_far += 1
                if refused_so_far <= REFUSED_PERSONAS_PER_ROUTE:
                    _probe_methods(persona, urls[0], world, problems)
            transaction.set_rollback(True)


def _ask_as(persona: str, urls: list[str], world, schema, problems: list[str]) -> bool:
    """GET every URL of the pattern as ``persona`` (a URL whose GET answers 405 with POST, PATCH,
    then PUT); whether the persona got past the gate of the first."""
    session = world["clients"][persona]
    passed = False
    for number, url in enumerate(urls):
        response = session.get(url)
        for method in PROBES:  # a page or operation that only takes a form or a change
            if response.status_code != 405:
                break
            response = _call(session, method, url)
        body = _body(response)
        if response.status_code >= 500:
            problems.append(f"{persona} GET {url}: {response.status_code}")
        if leaks := _leaks(persona, body):
            problems.append(f"{persona} GET {url}: leaks {leaks}")
        if number == 0:
            passed = not _refused(response, url, persona)
        if url.startswith("/api/v1/") and 200 <= response.status_code < 300 and body[:1] in (b"{", b"["):
            answer = schema.response_schema(url, response.status_code)
            if answer is not None and (extra := schema.extra_fields(json.loads(body), answer)):
                problems.append(f"{persona} GET {url}: extra fields {extra[:5]}")
    return passed


def _probe_methods(persona: str, url: str, world, problems: list[str]) -> None:
    """A gate closed to GET is closed to every method."""
    session = world["clients"][persona]
    for method in METHODS[1:]:
        response = _call(session, method, url)
        status = response.status_code
        if method == "OPTIONS" and status == 200 and not _body(response):
            continue  # Django's View.options: the Allow header only, the view not run
        if (
            status >= 500
            or (200 <= status < 300)
            or (300 <= status < 400 and "/accounts/login/" not in response.get("Location", ""))
        ):
            problems.append(f"{persona} {method} {url}: {status}")
        if leaks := _leaks(persona, _body(response)):
            problems.append(f"{persona} {method} {url}: leaks {leaks}")


def _who(who) -> str:
    who = tuple(who)
    if who == PERSONAS:
        return "EVERYONE"
    if who == PERSONAS[1:]:
        return "SIGNED_IN"
    return "(" + ", ".join(f'"{persona}"' for persona in who) + ("," if len(who) == 1 else "") + ")"


def _write(observed: dict[str, list[str]]) -> None:
    """Merge this group's observations into the table file (one line per URL pattern)."""
    import runpy

    table = dict(runpy.run_path(str(TABLE))["EXPECTED"])
    table.update({route: tuple(who) for route, who in observed.items()})
    lines = [f"    {json.dumps(route)}: {_who(who)}," for route, who in sorted(table.items())]
    TABLE.write_text(TABLE_HEADER + "\n".join(lines) + "\n}\n# fmt: on\n")


TABLE_HEADER = '''"""Who gets past the gate of every URL pattern of the resolver: the personas of
``tests/test_url_access_matrix.py`` (anonymous, ILOs of the Netherlands and Belgium, the European
Parliament reader, a board member, the data protection officer, return officers of the
Netherlands and Germany, the return coordinator, the platform administrator). A persona not
listed is refused (login, 401, 403, 404 or 405). Written by the test with
ILONET_WRITE_URL_MATRIX=1 from what the code does, reviewed by its diff."""

# ruff: noqa: E501

PERSONAS = ("anonymous", "ilo_nl", "ilo_be", "ep_reader", "board_member", "dpo", "return_nl", "return_de",
            "coordinator", "admin")  # fmt: skip
EVERYONE = PERSONAS
SIGNED_IN = PERSONAS[1:]

# fmt: off
EXPECTED: dict[str, tuple[str, ...]] = {
'''
