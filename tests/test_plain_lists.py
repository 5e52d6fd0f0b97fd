"""Every API list written by ``ilonet.api.plain`` (not validated row by row by django-ninja)
answers what django-ninja's own validation of the same page answers, value for value and in the
same order (``_canonical``: the plain path writes compact UTF-8 with orjson): over the
demo data, for readers of different roles, in English and Dutch, with filters, a later page, a
cursor and refused parameters. The list of compared addresses covers every such list, so a list
moved to the plain path without a comparison fails here.

The OpenAPI document stays byte for byte the same either way: ``paginate_plain`` declares the
operation as ``@paginate`` does (``test_the_openapi_document_is_what_paginate_declares``)."""

import json
import re

import pytest
from django.test import Client

from ilonet.api import plain

pytestmark = pytest.mark.django_db

# (reader, address): the lists of the plain path, with their filters; {network}, {space} and
# {case_state} are filled from the demo data.
COMPARED = [
    ("secretariat", "/api/v1/deployments"),
    ("secretariat", "/api/v1/deployments?page=2&page_size=7"),
    ("secretariat", "/api/v1/deployments?status=active&continent=AF"),
    ("secretariat", "/api/v1/deployments?joint=true&search=a"),
    ("ilo", "/api/v1/deployments?covers=MA"),
    ("secretariat", "/api/v1/deployments?page_size=3&cursor={deployments_cursor}"),
    ("secretariat", "/api/v1/deployments?status=nonsense"),
    ("secretariat", "/api/v1/deployments/joint"),
    ("deploying", "/api/v1/deployments/joint?status=active"),
    ("ilo", "/api/v1/deployments/contacts"),
    ("secretariat", "/api/v1/deployments/contacts?continent=AS&page_size=5"),
    ("secretariat", "/api/v1/networks"),
    ("ilo", "/api/v1/networks?mine=true"),
    ("secretariat", "/api/v1/networks?kind=regional&page_size=2&page=2"),
    ("facilitator", "/api/v1/networks?search=ma"),
    ("board.nl", "/api/v1/board/motions"),
    ("chair", "/api/v1/board/motions?status=closed"),
    ("secretariat", "/api/v1/board/motions?page_size=2"),
    ("ilo", "/api/v1/exchange/documents"),
    ("chair", "/api/v1/exchange/documents?space_id={board_space}"),
    ("facilitator", "/api/v1/exchange/documents?search=report&page_size=2"),
    ("ep", "/api/v1/exchange/documents"),
    ("return.nl", "/api/v1/returns/cases"),
    ("return.nl", "/api/v1/returns/cases?page_size=4&page=2"),
    ("return.be", "/api/v1/returns/cases?case_type=own_means"),
    ("return.nl", "/api/v1/returns/worklist"),
    ("return.nl", "/api/v1/returns/worklist?rule=no_return_decision"),
]


def _seed() -> None:
    from ilonet.accounts import demo as accounts_demo
    from ilonet.board import demo as board_demo
    from ilonet.deployments import demo as deployments_demo
    from ilonet.directory import demo as directory_demo
    from ilonet.exchange import demo as exchange_demo
    from ilonet.networks import demo as networks_demo
    from ilonet.returns import demo as returns_demo

    accounts_demo.seed_accounts(directory_demo.ensure_authorities())
    deployments_demo.seed_deployments()
    networks_demo.seed_networks()
    board_demo.seed_board()
    exchange_demo.seed_exchange()
    returns_demo.seed_return_cases()


def _client(local: str, language: str) -> Client:
    from ilonet.accounts.demo import DEMO_DOMAIN
    from ilonet.accounts.models import User
    from ilonet.accounts.testing import record_second_factor

    user = User.objects.get(email=f"{local}@{DEMO_DOMAIN}")
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    record_second_factor(client, user)
    return client


def _values(client: Client) -> dict:
    from ilonet.exchange.models import Space, SpaceKind

    first = client.get("/api/v1/deployments?page_size=3").json()
    return {
        "deployments_cursor": first["next"],
        "board_space": Space.objects.filter(kind=SpaceKind.BOARD).order_by("pk").first().pk,
    }


def _plain_paths() -> set[str]:
    """The paths of the operations written by ``paginate_plain``."""
    from ilonet.site.api import api

    found = set()
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                if getattr(operation.view_func, "_ilonet_plain_schema", None) is not None:
                    found.add(re.sub(r"/+", "/", f"/api/v1/{prefix}/{path}").rstrip("/"))
    return found


def test_the_comparison_covers_every_list_of_the_plain_path():
    compared = {address.split("?")[0] for _reader, address in COMPARED}
    assert _plain_paths() == compared


def _canonical(body: bytes) -> str:
    """The JSON document written again by the standard library: the same values in the same order
    give the same text (``true`` is not ``1``, ``1.0`` is not ``1``), whatever the spacing and
    escapes of the writer (the plain path writes compact UTF-8 with orjson, ninja spaced ASCII)."""
    return json.dumps(json.loads(body))


def test_every_plain_list_answers_what_ninjas_validation_answers():
    _seed()
    clients = {}
    values = None
    filled = set()
    for language in ("en", "nl"):
        for reader, address in COMPARED:
            key = (reader, language)
            if key not in clients:
                clients[key] = _client(reader, language)
            client = clients[key]
            if values is None:
                values = _values(client)
            url = address.format(**values)
            plain_answer = client.get(url)
            with plain.validated_by_ninja():
                ninja_answer = client.get(url)
            assert plain_answer.status_code == ninja_answer.status_code, (reader, url, language)
            assert plain_answer["Content-Type"] == ninja_answer["Content-Type"], url
            assert _canonical(plain_answer.content) == _canonical(ninja_answer.content), (
                reader,
                url,
                language,
            )
            if plain_answer.status_code == 200 and json.loads(plain_answer.content)["items"]:
                filled.add(url.split("?")[0])
    # Not a comparison of empty lists: every list answered rows to someone.
    assert filled == {address.split("?")[0] for _reader, address in COMPARED}


def test_the_openapi_document_is_what_paginate_declares():
    """``paginate_plain`` contributes ninja's own pagination parameters and paged schema: the
    document's entries of the plain lists have the query parameters and the answer's shape of
    ``@paginate``'s lists (``page``, ``page_size``, ``cursor``; ``items``, ``count``,
    ``count_is_estimate``, ``next``)."""
    from ilonet.site.api import api

    document = api.get_openapi_schema()
    for path in sorted(_plain_paths()):
        operation = document["paths"][path]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"page", "page_size", "cursor"} <= names, path
        ok = operation["responses"].get(200) or operation["responses"]["200"]
        ref = ok["content"]["application/json"]["schema"]["$ref"]
        paged = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert list(paged["properties"]) == ["items", "count", "count_is_estimate", "next"], path
