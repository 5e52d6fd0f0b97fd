"""The API: the same isolation as the pages (a guessed id is 404, lists and counts hold only what
the caller may open), upload refusals with their statuses and nothing stored, the guard's
findings with fingerprints for an authorised override (Art. 9(3)), versions and check-out."""

import io
import zipfile

import pytest
from django.test import Client

from ilonet.accounts import testing as account_tokens
from ilonet.exchange import services
from ilonet.exchange.models import Document, Marking

from .conftest import txt, upload

pytestmark = pytest.mark.django_db
PERSONAL = "Write to jan.devries@example.nl for the figures.\n"
BASE = "/api/v1/exchange"


def _api(user, scope="write") -> Client:
    _token, secret = account_tokens.issue_api_token(actor=user, name="test", scope=scope)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _upload(client, space, file, **fields):
    data = {"title": "Report", "category": "other", "marking": "normal", "file": file, **fields}
    return client.post(f"{BASE}/spaces/{space.pk}/documents", data)


def test_parliament_reader_gets_only_what_was_opened_and_404_for_the_rest(people, decision):
    space = people.board_space
    shown = upload(people.chair, space, title="Opened")
    hidden = upload(people.chair, space, title="Closed")
    sensitive = upload(people.chair, space, title="Sensitive", marking=Marking.SENSITIVE)
    services.open_to_parliament(actor=people.chair, motion_id=decision.pk, document=shown)
    client = _api(people.ep_reader)
    body = client.get(f"{BASE}/documents").json()
    assert [d["title"] for d in body["items"]] == ["Opened"] and body["count"] == 1
    assert client.get(f"{BASE}/spaces").json() == []
    for document in (hidden, sensitive):
        assert client.get(f"{BASE}/documents/{document.pk}").status_code == 404
        assert client.get(f"{BASE}/documents/{document.pk}/download").status_code == 404
        assert client.get(f"{BASE}/documents/{document.pk}/versions").status_code == 404
    assert client.get(f"{BASE}/spaces/{space.pk}/download.zip").status_code == 404
    assert client.get(f"{BASE}/documents/{shown.pk}/download").status_code == 200
    assert (
        _api(people.ep_reader).post(f"{BASE}/spaces/{space.pk}/documents", {"title": "x"}).status_code == 403
    )


def test_members_zip_leaves_out_sensitive_documents(people):
    upload(people.ilo, people.network_space, title="Plain")
    upload(people.ilo, people.network_space, title="Sensitive", marking=Marking.SENSITIVE)
    response = _api(people.ilo).get(f"{BASE}/spaces/{people.network_space.pk}/download.zip")
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert names == ["Plain.txt"]


def test_upload_version_check_out_and_restore_through_the_api(people):
    client = _api(people.ilo)
    created = _upload(client, people.network_space, txt("First.\n"), topics=["b", "c"], tags="routes, flows")
    assert created.status_code == 201, created.content
    document = created.json()
    assert document["topics"] == ["b", "c"] and document["tags"] == ["routes", "flows"]
    assert client.post(f"{BASE}/documents/{document['id']}/check-out").json()["checked_out_by"]
    other = _api(people.facilitator)
    refused = other.post(f"{BASE}/documents/{document['id']}/versions", {"file": txt("Second.\n")})
    assert refused.status_code == 422
    assert other.post(f"{BASE}/documents/{document['id']}/break-check-out").status_code == 200
    assert (
        other.post(
            f"{BASE}/documents/{document['id']}/versions", {"file": txt("Second.\n"), "note": "v2"}
        ).status_code
        == 201
    )
    versions = client.get(f"{BASE}/documents/{document['id']}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert client.get(f"{BASE}/documents/{document['id']}/versions/1/download").status_code == 200
    restored = client.post(f"{BASE}/documents/{document['id']}/versions/1/restore")
    assert restored.status_code == 201 and restored.json()["restored_from"] == 1


@pytest.mark.parametrize(
    ("file", "fields", "status"),
    [
        (txt(""), {}, 422),
        (txt("MZ\x90\x00binary", name="x.pdf"), {}, 415),
        (txt(), {"marking": "law_enforcement"}, 422),
        (txt(), {"category": "c"}, 422),  # the lists of Art. 9(2)(c) and (d) are not documents
        (txt(PERSONAL), {}, 422),
    ],
)
def test_refusals_answer_with_their_status_and_store_nothing(people, file, fields, status, tmp_path):
    response = _upload(_api(people.ilo), people.network_space, file, **fields)
    assert response.status_code == status, response.content
    assert not Document.objects.exists() and not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


def test_one_byte_over_the_limit_is_413(people, settings):
    settings.UPLOAD_MAX_BYTES = 40
    response = _upload(_api(people.ilo), people.network_space, txt("a" * 40 + "\n"))
    assert response.status_code == 413 and not Document.objects.exists()


def test_personal_data_findings_carry_fingerprints_for_an_authorised_override(people, decision):
    client = _api(people.ilo)
    refused = _upload(client, people.network_space, txt(PERSONAL))
    body = refused.json()
    assert refused.status_code == 422 and "jan.devries@example.nl" not in refused.content.decode()
    fingerprints = [f["fingerprint"] for f in body["findings"]]
    assert (
        _upload(
            client, people.network_space, txt(PERSONAL), overrides=fingerprints, override_reason="Desk"
        ).status_code
        == 403
    )
    services.authorise_overrides(actor=people.chair, user=people.ilo, motion_id=decision.pk)
    done = _upload(
        _api(people.ilo), people.network_space, txt(PERSONAL), overrides=fingerprints, override_reason="Desk"
    )
    assert done.status_code == 201 and done.json()["guard_overridden"]


def test_openings_need_the_board_office_and_an_adopted_decision(people, decision):
    space = people.board_space
    assert (
        _api(people.board_member)
        .post(
            f"{BASE}/parliament/openings",
            {"motion_id": decision.pk, "space_id": space.pk},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    chair = _api(people.chair)
    made = chair.post(
        f"{BASE}/parliament/openings",
        {"motion_id": decision.pk, "space_id": space.pk},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert [o["title"] for o in _api(people.ep_reader).get(f"{BASE}/parliament/openings").json()] == [
        "Steering board"
    ]
    missing = chair.post(
        f"{BASE}/parliament/openings",
        {"motion_id": 999999, "space_id": space.pk},
        content_type="application/json",
    )
    assert missing.status_code == 422
