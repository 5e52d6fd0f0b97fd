"""The board's API: the same rules as the pages, the one error shape (422 with field and
message, 403 with the reason), unknown fields refused."""

from datetime import timedelta

import pytest
from django.test import Client

from ilonet.accounts import testing as account_tokens
from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.board.models import Choice, Procedure

pytestmark = pytest.mark.django_db


def _api(user, scope="write") -> Client:
    _token, secret = account_tokens.issue_api_token(actor=user, name="test", scope=scope)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _post(client, url, body):
    return client.post(f"/api/v1/board{url}", body, content_type="application/json")


def test_composition_shows_the_threshold(board):
    body = _api(board.chair).get("/api/v1/board/composition").json()
    assert (body["voting_members"], body["absolute_majority"], body["non_voting_members"]) == (31, 16, 4)
    assert {s["kind"] for s in body["seats"]} == {"member_state", "commission", "agency", "associated"}


def test_vote_through_the_api_and_the_result(board):
    voters = board.members(16)
    motion = board.motion(procedure=Procedure.MEETING)
    for user in voters:
        response = _post(_api(user), f"/motions/{motion.pk}/votes", {"choice": "for"})
        assert response.status_code == 201 and response.json()["receipt"] is None
    body = _post(_api(board.chair), f"/motions/{motion.pk}/close", {}).json()
    assert body["result"]["outcome"] == "adopted"
    assert body["result"]["absolute_majority"] == 16 and body["result"]["voting_members"] == 31
    assert "Art. 7(8)" in body["result"]["explanation"]


def test_bad_vote_input_gets_the_422_shape(board):
    member = board.appoint("nl")
    motion = board.motion()
    client = _api(member)
    response = _post(client, f"/motions/{motion.pk}/votes", {"choice": "maybe"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "choice"
    response = _post(client, f"/motions/{motion.pk}/votes", {"choice": "for", "weight": 2})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "weight"
    assert _post(client, f"/motions/{motion.pk}/votes", {"choice": "for"}).status_code == 201
    response = _post(client, f"/motions/{motion.pk}/votes", {"choice": "for"})
    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"field": "__all__", "message": response.json()["errors"][0]["message"]}]
    }
    assert "already voted" in response.json()["errors"][0]["message"]
    assert motion.ballots.count() == 1


def test_non_voting_members_and_observers_are_refused_at_the_gate_once_audited(board, make_user):
    """The router asks the policy for board.vote before the body runs (one audited denial); the
    role-level refusal has the policy's message. The pages give the article (test_pages)."""
    from ilonet.board import services

    norway = board.appoint("no")
    observer = make_user(Role.OBSERVER, organisation="iom")
    meeting = board.meeting()
    services.invite(actor=board.chair, meeting=meeting, user=observer, role="observer")
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting)
    for refused in (norway, observer):
        before = AuditEvent.objects.filter(action="permission.denied", actor_id=refused.pk).count()
        response = _post(_api(refused), f"/motions/{motion.pk}/votes", {"choice": "for"})
        assert response.status_code == 403 and response.json()["detail"]
        after = AuditEvent.objects.filter(action="permission.denied", actor_id=refused.pk).count()
        assert after - before == 1
    uninvited = _api(make_user(Role.OBSERVER, organisation="iom"))
    assert _post(uninvited, f"/motions/{motion.pk}/votes", {"choice": "for"}).status_code == 403
    assert not motion.ballots.exists()


def test_a_read_only_token_cannot_vote(board):
    member = board.appoint("nl")
    motion = board.motion()
    response = _post(_api(member, scope="read"), f"/motions/{motion.pk}/votes", {"choice": "for"})
    assert response.status_code == 403 and not motion.ballots.exists()


def test_secret_vote_receipt_through_the_api(board):
    board.rules(secret_ballot="on_request")
    member = board.appoint("nl")
    motion = board.motion(secret=True)
    receipt = _post(_api(member), f"/motions/{motion.pk}/votes", {"choice": Choice.AGAINST}).json()["receipt"]
    assert receipt and len(receipt.replace("-", "")) == 20
    assert _api(member).get(f"/api/v1/board/motions/{motion.pk}/receipts").json() == []


def test_proxy_not_allowed_by_the_rules_is_a_422(board):
    member, holder = board.appoint("nl"), board.appoint("de")
    motion = board.motion()
    response = _post(_api(member), f"/motions/{motion.pk}/proxies", {"holder_email": holder.email})
    assert response.status_code == 422 and "Art. 8(1)" in response.json()["errors"][0]["message"]


def test_create_and_open_a_motion_through_the_api(board):
    client = _api(board.chair)
    response = _post(client, "/motions", {"title": "T", "text": "X", "procedure": "written"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "closes_at"
    response = _post(
        client,
        "/motions",
        {"title": "T", "text": "X", "procedure": "written", "closes_at": "2999-01-01T10:00:00+01:00"},
    )
    assert response.status_code == 201
    opened = _post(client, f"/motions/{response.json()['id']}/open", {}).json()
    assert (opened["status"], opened["voting_members"], opened["absolute_majority"]) == ("open", 31, 16)


def test_members_list_through_the_api_is_restricted_and_audited(board, make_user):
    from ilonet.audit.models import AuditEvent

    board.members(2)
    assert _api(make_user(Role.EP_READER, organisation="ep")).get("/api/v1/board/members").status_code == 403
    response = _api(make_user(Role.ILO)).get("/api/v1/board/members")
    assert response.status_code == 200 and response.json()["count"] == 2
    assert AuditEvent.objects.filter(action="personal_data.read", details__list="board_members").count() == 1


def test_meeting_through_the_api(board):
    response = _post(
        _api(board.chair),
        "/meetings",
        {
            "title": "M",
            "starts_at": "2999-03-01T09:00:00+01:00",
            "ends_at": "2999-03-01T08:00:00+01:00",
            "location": "Brussels",
        },
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ends_at"


def test_dispatches_through_the_api(board, make_user):
    from ilonet.directory import demo as directory_demo

    directory_demo.ensure_authorities()
    voters = board.members(16)
    motion = board.motion(procedure=Procedure.MEETING)
    for user in voters:
        _post(_api(user), f"/motions/{motion.pk}/votes", {"choice": "for"})
    _post(_api(board.chair), f"/motions/{motion.pk}/close", {})
    desk = _api(make_user(Role.DEPLOYING_AUTHORITY, scope="nl-auth"))
    items = desk.get("/api/v1/board/dispatches?pending=true").json()["items"]
    assert [d["authority"] for d in items] == ["nl-auth"]
    done = _post(desk, f"/dispatches/{items[0]['id']}/passed-on", {"note": "done"}).json()
    assert done["passed_on_at"] is not None


def test_rules_programme_report_and_meeting_writes_through_the_api(board, secretariat):
    from ilonet.directory import demo as directory_demo

    directory_demo.ensure_authorities()
    chair = _api(board.chair)
    rules = _post(chair, "/rules", {"title": "RoP", "text": "Text", "quorum_percent": 50})
    assert rules.status_code == 201 and rules.json()["version"] == 1
    assert _post(_api(secretariat), "/rules", {"title": "RoP", "text": "Text"}).status_code == 403
    assert _post(chair, "/rules", {"title": "RoP", "text": "Text", "quorum_percent": 150}).status_code == 422

    programme = _post(
        chair, "/programmes", {"title": "WP", "period_start": "2026-01-01", "period_end": "2027-12-31"}
    )
    assert programme.status_code == 201
    item = _post(
        chair,
        f"/programmes/{programme.json()['id']}/items",
        {"kind": "activity", "title": "Seminar", "owner": "frontex", "resources": "Budget"},
    )
    assert item.status_code == 201 and item.json()["owner"] == "frontex"
    too_long = _post(
        chair, "/programmes", {"title": "WP", "period_start": "2026-01-01", "period_end": "2029-01-01"}
    )
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "period_end"

    report = _post(
        chair, "/reports", {"title": "AR", "period_start": "2024-01-01", "period_end": "2025-12-31"}
    )
    assert report.status_code == 201 and report.json()["overview"]["deployments"] == 0

    meeting = board.meeting()
    assert _post(chair, f"/meetings/{meeting.pk}/agenda", {"title": "Opening"}).status_code == 201
    assert _post(chair, f"/meetings/{meeting.pk}/minutes", {"minutes": "Held."}).json()["status"] == "held"
    future = board.meeting(starts_in=timedelta(days=5))
    response = _post(chair, f"/meetings/{future.pk}/minutes", {"minutes": "Too early"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "minutes"


def test_ad_hoc_actions_and_trainings_through_the_api(board, make_user):
    chair = _api(board.chair)
    created = _post(
        chair,
        "/actions",
        {
            "title": "Assessment",
            "description": "D",
            "networks": "Senegal",
            "agreed_on": board.today.isoformat(),
        },
    )
    assert created.status_code == 201
    assert _post(chair, "/trainings", {"kind": "pre_deployment", "title": "Course"}).status_code == 201
    assert _post(chair, "/trainings", {"kind": "nonsense", "title": "Course"}).status_code == 422
    ilo = _api(make_user(Role.ILO))
    assert ilo.get("/api/v1/board/actions").json()["count"] == 1
    assert ilo.get("/api/v1/board/trainings").json()["count"] == 1
    assert _post(ilo, "/trainings", {"kind": "pre_deployment", "title": "Course"}).status_code == 403


def test_nul_characters_are_a_422_not_a_server_error(board, make_user):
    chair = _api(board.chair)
    response = _post(
        chair,
        "/motions",
        {"title": "A\u0000B", "text": "X", "procedure": "written", "closes_at": "2999-01-01T10:00:00+01:00"},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "title"
    response = _api(make_user(Role.ILO)).get("/api/v1/board/members?search=%00")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "search"


def test_a_refused_upload_answers_with_its_status_and_reason_in_the_users_language(board, settings):
    """413 over the limit (the limit itself passes), 415 a program or a type not accepted, 422 a
    damaged or macro-carrying document; Dutch for a Dutch request; nothing stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ilonet.exchange.models import DocumentVersion
    from ilonet.shared.uploads import testing as make

    meeting = board.meeting()
    client = _api(board.chair)
    url = f"/api/v1/board/meetings/{meeting.pk}/documents"
    pdf = make.pdf_bytes()
    settings.ILONET_BOARD_MAX_UPLOAD_BYTES = len(pdf)

    def upload(data: bytes, name: str = "doc.pdf", **headers):
        return client.post(url, {"title": "Doc", "file": SimpleUploadedFile(name, data)}, **headers)

    response = upload(pdf + b" ")
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
    settings.ILONET_BOARD_MAX_UPLOAD_BYTES = 1024 * 1024
    response = upload(b"\x7fELF" + bytes(60))
    assert response.status_code == 415 and "program" in response.json()["detail"]
    response = upload(make.ods_bytes(), "sheet.odt")
    assert response.status_code == 415 and "PDF, ODT or DOCX" in response.json()["detail"]
    response = upload(make.docx_bytes(extra={"word/vbaProject.bin": b"x"}), "a.docx")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "file"
    response = upload(b"", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 422 and response.json()["errors"][0]["message"] == "Het bestand is leeg."
    assert not DocumentVersion.objects.exists()
    response = upload(pdf, "../../etc/passwd.pdf")
    assert response.status_code == 201 and response.json()["title"] == "Doc"
    assert response.json()["marking"] == "limited"
    assert DocumentVersion.objects.get().original_name == "passwd.pdf"  # Django drops the path
