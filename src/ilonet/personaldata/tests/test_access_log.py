"""Every read of a personal record writes an entry of the access log (who, which record, which
fields, which purpose), whichever door: page, API, export, share. The test finds every page and
every API operation of the app by itself and fails on one it does not know: a new door is
classified the day it is written, as a read that logs or as one that shows no personal field."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.urls import URLPattern
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.personaldata import services, urls
from ilonet.personaldata.api import router
from ilonet.personaldata.law import Purpose
from ilonet.personaldata.models import PurposeAssignment
from ilonet.site.api import api

from .conftest import make_record, png_bytes

pytestmark = pytest.mark.django_db
SURNAME, DOCUMENT = "Zarqaoui", "XQ7781234"

# page name or "METHOD api-path" -> (who, method, path with {ref}/{share}/{pk}, body, reads personal fields)
PAGES = {
    "record_list": ("officer", "get", "/personal-data/", None, False),
    "record_create": ("officer", "get", "/personal-data/new/", None, False),
    "record_detail": ("officer", "get", "/personal-data/r/{ref}/", None, True),
    "record_file": ("officer", "get", "/personal-data/r/{ref}/files/facial_image.img", None, True),
    "record_share": ("officer", "get", "/personal-data/r/{ref}/share/", None, False),
    "record_transfer": ("officer", "get", "/personal-data/r/{ref}/transfer/", None, False),
    "record_hold": ("authority", "get", "/personal-data/r/{ref}/hold/", None, False),
    "access_report_json": ("dpo", "get", "/personal-data/r/{ref}/access-report.json", None, True),
    "access_report_pdf": ("dpo", "get", "/personal-data/r/{ref}/access-report.pdf", None, True),
    "hold_list": ("authority", "get", "/personal-data/holds/", None, False),
    "share_withdraw": ("officer", "post", "/personal-data/shares/{share}/withdraw/", {}, False),
    "shared_list": ("recipient", "get", "/personal-data/shared-with-me/", None, False),
    "shared_detail": ("recipient", "get", "/personal-data/shared-with-me/{share}/", None, True),
    "shared_file": (
        "recipient",
        "get",
        "/personal-data/shared-with-me/{share}/files/facial_image.img",
        None,
        True,
    ),
    "purpose_list": ("authority", "get", "/personal-data/purposes/", None, False),
    "purpose_revoke": ("authority", "post", "/personal-data/purposes/{pk}/revoke/", {}, False),
    "transfer_register": ("authority", "get", "/personal-data/transfers/", None, False),
    "transfer_register_csv": ("authority", "get", "/personal-data/transfers.csv", None, False),
    "dpo_overview": ("dpo", "get", "/personal-data/data-protection/", None, False),
    "access_log": ("dpo", "get", "/personal-data/data-protection/access-log/", None, False),
    "access_log_csv": ("dpo", "get", "/personal-data/data-protection/access-log.csv", None, False),
    "processing_record": ("dpo", "get", "/personal-data/data-protection/processing/", None, False),
}
API = "/api/v1/personal-data"
OPERATIONS = {
    "GET /records": ("officer", "get", "/records", None, False),
    "POST /records/search": ("officer", "post", "/records/search", {"name": SURNAME}, False),
    "POST /records": (
        "officer",
        "post",
        "/records",
        {"purpose": "return", "category": "a", "names": [{"family": "Other", "given": "B"}]},
        False,
    ),
    "GET /records/{ref}": ("officer", "get", "/records/{ref}", None, True),
    "POST /records/{ref}/shares": ("officer", "post", "/records/{ref}/shares", "share-body", False),
    "POST /shares/{ref}/withdraw": ("officer", "post", "/shares/{share}/withdraw", {}, False),
    "GET /shared-with-me": ("recipient", "get", "/shared-with-me", None, False),
    "GET /shared-with-me/{ref}": ("recipient", "get", "/shared-with-me/{share}", None, True),
    "POST /records/{ref}/transfers": (
        "officer",
        "post",
        "/records/{ref}/transfers",
        {
            "recipient": "Ministry of the Interior",
            "country": "MA",
            "basis": "49_1_d",
            "fields": ["names"],
            "transferred_on": "2026-01-02",
        },
        False,
    ),
    "GET /transfers": ("authority", "get", "/transfers", None, False),
    "POST /records/{ref}/hold": ("authority", "post", "/records/{ref}/hold", "hold-body", False),
    "DELETE /records/{ref}/hold": ("authority", "delete", "/records/{ref}/hold", None, False),
    "GET /access-log": ("dpo", "get", "/access-log", None, False),
    "GET /records/{ref}/access-report": ("dpo", "get", "/records/{ref}/access-report", None, True),
}


def _page_names() -> set[str]:
    return {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}


def _operation_names() -> set[str]:
    api.urls  # noqa: B018  (binds the routers)
    return {
        f"{method} {path.replace('{int:', '{')}"
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }


def test_the_discovery_finds_every_page_and_operation_and_each_is_classified():
    assert _page_names() == set(PAGES)
    assert _operation_names() == set(OPERATIONS)


@pytest.fixture
def world(officer, make_user):
    authority = make_user(Role.DEPLOYING_AUTHORITY)
    dpo = make_user(Role.DATA_PROTECTION_OFFICER)
    recipient = make_user(Role.RETURN_OFFICER)
    record = make_record(officer, biometrics={"facial_image": io.BytesIO(png_bytes())})
    share = services.share_record(
        actor=officer,
        record=record,
        recipient=recipient,
        purpose=Purpose.RETURN,
        fields=["names", "facial_image"],
        justification="Identification by the consulate.",
        days=7,
    )
    other = make_user(Role.ILO)
    assignment = services.assign_purpose(actor=authority, user=other, purpose=Purpose.RETURN)
    users = {"officer": officer, "authority": authority, "dpo": dpo, "recipient": recipient}
    bodies = {
        "share-body": {
            "recipient_id": recipient.pk,
            "purpose": "return",
            "fields": ["names"],
            "justification": "Needed by the escort.",
            "days": 3,
        },
        "hold-body": {
            "reason": "Court case 12",
            "until": (timezone.localdate() + timedelta(days=9)).isoformat(),
        },
    }
    return {"users": users, "record": record, "share": share, "pk": assignment.pk, "bodies": bodies}


def _call(client, world, method: str, path: str, body, *, api_call: bool):
    url = path.format(ref=world["record"].ref, share=world["share"].ref, pk=world["pk"])
    body = world["bodies"].get(body, body) if isinstance(body, str) else body
    if api_call:
        return getattr(client, method)(
            API + url, json.dumps(body) if body is not None else None, content_type="application/json"
        )
    return getattr(client, method)(url, body) if body is not None else getattr(client, method)(url)


def _reads(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="personaldata.record_read", actor_id=user.pk))


def _check(login, world, name, spec, *, api_call):
    who, method, path, body, personal = spec
    user = world["users"][who]
    before = len(_reads(user))
    response = _call(login(user), world, method, path, body, api_call=api_call)
    assert response.status_code in (200, 201, 302), f"{name}: {response.status_code}"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reads = _reads(user)[before:]
    if personal:
        assert reads, f"{name} read personal fields without an access-log entry"
        entry = reads[-1].details
        assert entry["record"] == world["record"].ref and entry["fields"] and entry["purpose"]
        assert entry["via"] in ("page", "api", "export", "share")
    else:
        assert not reads, f"{name} logged a read: classify it as one"
        assert SURNAME.encode() not in content and DOCUMENT.encode() not in content, name


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_that_shows_personal_fields_logs_the_read_and_no_other_shows_any(login, world, name):
    _check(login, world, name, PAGES[name], api_call=False)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_api_operation_that_returns_personal_fields_logs_the_read_and_no_other_returns_any(
    login, world, name
):
    _check(login, world, name, OPERATIONS[name], api_call=True)


def test_the_recipient_sees_only_the_fields_shared(login, world):
    data = login(world["users"]["recipient"]).get(f"{API}/shared-with-me/{world['share'].ref}").json()["data"]
    assert set(data) == {"names"} and DOCUMENT not in json.dumps(data)
    entry = _reads(world["users"]["recipient"])[-1].details
    assert entry["fields"] == ["names", "facial_image"] and entry["share"] == world["share"].ref


def test_the_data_protection_officer_sees_the_log_of_reads_and_exports_it(login, world):
    officer = world["users"]["officer"]
    login(officer).get(f"/personal-data/r/{world['record'].ref}/")
    client = login(world["users"]["dpo"])
    log = client.get(f"{API}/access-log").json()["items"]
    assert any(
        e["action"] == "personaldata.record_read" and e["details"]["record"] == world["record"].ref
        for e in log
    )
    csv_text = b"".join(
        client.get("/personal-data/data-protection/access-log.csv").streaming_content
    ).decode()
    assert world["record"].ref in csv_text and SURNAME not in csv_text
    assert AuditEvent.objects.filter(action="personaldata.access_log_exported").exists()
    assert PurposeAssignment.objects.exists()
