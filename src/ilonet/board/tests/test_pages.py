"""A permission test per board page (anonymous users go to the login page, each role gets the
page or 403 as the policy says), bad input gives 422 with the reason, list pages run a bounded
number of queries, and reads of the list of members are audited (Art. 9(3))."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.board import selectors, services
from ilonet.board.models import Capacity, Choice, Procedure
from ilonet.shared.uploads import testing as make

pytestmark = pytest.mark.django_db

R = Role
FULL = {R.BOARD_MEMBER, R.BOARD_ALTERNATE, R.NON_VOTING_MEMBER, R.CHAIR, R.SECRETARIAT}
BOARD = FULL | {R.OBSERVER}
OFFICE = {R.CHAIR, R.SECRETARIAT}
MEMBER_LIST = FULL | {R.ILO, R.FACILITATOR, R.DEPLOYING_AUTHORITY}  # Art. 9(3): not platform admins
NETWORK = FULL | {R.ILO, R.FACILITATOR, R.DEPLOYING_AUTHORITY}
REPORTS = NETWORK | {R.EP_READER}
DASHBOARD = BOARD | REPORTS
RULES = BOARD | NETWORK
# Object pages that observers only see for meetings they are invited to (Art. 7(4)): 404.
SCOPED_FOR_OBSERVERS = 404


@pytest.fixture
def objects(board, make_user):
    """A held meeting with an adopted decision, an open written procedure, adopted rules of
    procedure, a work programme and an activity report adopted and sent to the Parliament."""
    rules = board.rules()
    voters = board.members(16)
    meeting = board.meeting()
    programme = services.create_programme(
        actor=board.chair, title="WP", period_start=board.today, period_end=board.today + timedelta(days=700)
    )
    report = services.create_report(
        actor=board.chair, title="AR", period_start=board.today - timedelta(days=700), period_end=board.today
    )
    decisions = {}
    for name, subject in (
        ("decision", {}),
        ("programme", {"programme": programme}),
        ("report", {"report": report}),
    ):
        motion = board.motion(procedure=Procedure.MEETING, meeting=meeting, title=name, **subject)
        for user in voters:
            services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
        decisions[name] = services.close_motion(actor=board.chair, motion=motion)
    services.mark_programme_sent(actor=board.chair, programme=programme)
    services.mark_report_sent(actor=board.chair, report=report)
    services.record_minutes(actor=board.chair, meeting=meeting, minutes="Held.")
    written = board.motion(title="Written")
    return {
        "meeting": meeting,
        "decision": decisions["decision"],
        "written": written,
        "rules": rules,
        "programme": programme,
        "report": report,
    }


# (url name, object key or None, roles allowed, status for an observer when allowed by role)
PAGES = [
    ("board:dashboard", None, DASHBOARD),
    ("board:member_list", None, MEMBER_LIST),
    ("board:member_export", None, MEMBER_LIST),
    ("board:membership_create", None, OFFICE),
    ("board:meeting_list", None, BOARD),
    ("board:meeting_create", None, OFFICE),
    ("board:meeting_detail", "meeting", BOARD),
    ("board:meeting_edit", "meeting", OFFICE),
    ("board:meeting_ics", "meeting", BOARD),
    ("board:motion_list", None, BOARD),
    ("board:motion_create", None, OFFICE),
    ("board:motion_detail", "written", BOARD),
    ("board:motion_amend", "written", OFFICE),
    ("board:motion_export", "decision", FULL),
    ("board:decision_list", None, NETWORK),
    ("board:decision_detail", "decision", NETWORK),
    ("board:dispatch_list", None, {R.DEPLOYING_AUTHORITY}),
    ("board:rules_list", None, RULES),
    ("board:rules_detail", "rules", RULES),
    ("board:rules_create", None, {R.CHAIR}),
    ("board:programme_list", None, REPORTS),
    ("board:programme_detail", "programme", REPORTS),
    ("board:programme_create", None, OFFICE),
    ("board:action_list", None, NETWORK),
    ("board:training_list", None, NETWORK),
    ("board:report_list", None, REPORTS),
    ("board:report_detail", "report", REPORTS),
    ("board:report_create", None, OFFICE),
    ("board:report_edit", "report", OFFICE),
]


def _url(name, key, objects):
    return reverse(name, args=[objects[key].pk]) if key else reverse(name)


@pytest.mark.parametrize(("name", "key", "allowed"), PAGES)
def test_anonymous_users_are_sent_to_login(client, objects, name, key, allowed):
    response = client.get(_url(name, key, objects))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "key", "allowed"), PAGES)
def test_each_board_page_follows_the_policy(make_user, client, objects, name, key, allowed):
    url = _url(name, key, objects)
    for role in Role:
        user = make_user(role, organisation="com" if role in OFFICE else "nl")
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        status = client.get(url).status_code
        expected = 200 if role in allowed else 403
        if role == R.OBSERVER and role in allowed and key in ("meeting", "written"):
            expected = SCOPED_FOR_OBSERVERS
        assert status == expected, (role, url, status)


def test_a_user_without_roles_sees_no_board_page(make_user, login, objects):
    client = login(make_user(None))
    for name, key, _allowed in PAGES:
        assert client.get(_url(name, key, objects)).status_code == 403, name


def test_an_invited_observer_sees_the_meeting_but_not_the_names(board, make_user, login):
    observer = make_user(R.OBSERVER, organisation="iom")
    member = board.appoint("nl")
    meeting = board.meeting()
    services.invite(actor=board.chair, meeting=meeting, user=observer, role="observer")
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting)
    services.comment(actor=member, motion=motion, text="We support it.")
    client = login(observer)
    page = client.get(reverse("board:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200 and member.email not in page.content.decode()
    page = client.get(reverse("board:motion_detail", args=[motion.pk]))
    assert page.status_code == 200 and "We support it." in page.content.decode()
    assert str(member) not in page.content.decode()
    assert client.get(reverse("board:meeting_minutes_pdf", args=[meeting.pk])).status_code == 403


def test_the_rules_link_an_observer_only_to_votes_it_may_open(board, make_user, login):
    """Art. 7(4): an observer sees the votes of the meetings it is invited to; the rules of
    procedure do not link it to the others (they would answer 404)."""
    rules = board.rules()  # adopted at a meeting the observer was not invited to
    adoption = rules.motions.get()
    observer = login(make_user(R.OBSERVER, organisation="iom"))
    page = observer.get(reverse("board:rules_detail", args=[rules.pk]))
    assert page.status_code == 200
    assert reverse("board:motion_detail", args=[adoption.pk]) not in page.content.decode()
    chair_page = login(board.chair).get(reverse("board:rules_detail", args=[rules.pk]))
    assert reverse("board:motion_detail", args=[adoption.pk]) in chair_page.content.decode()


def test_the_motion_history_names_people_only_to_readers_of_the_list_of_members(board, make_user, login):
    """Art. 7(4): observers attend; Art. 9(2)(c), Art. 9(3): names and e-mails of the board are for the
    readers of the list of members. Others see the role that acted ("the chair")."""
    observer = make_user(R.OBSERVER, organisation="iom")
    meeting = board.meeting()
    services.invite(actor=board.chair, meeting=meeting, user=observer, role="observer")
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting)
    page = login(observer).get(reverse("board:motion_detail", args=[motion.pk])).content.decode()
    assert board.chair.email not in page and str(board.chair) not in page
    assert "the chair" in page
    secretariat_member = board.appoint("nl")  # a member state's member reads the list of members
    page = login(secretariat_member).get(reverse("board:motion_detail", args=[motion.pk])).content.decode()
    assert board.chair.email in page


def test_the_parliament_reader_sees_only_documents_sent_to_the_parliament(board, make_user, login):
    sent = services.create_programme(
        actor=board.chair, title="Sent", period_start=board.today, period_end=board.today + timedelta(days=30)
    )
    draft = services.create_programme(
        actor=board.chair,
        title="Draft",
        period_start=board.today,
        period_end=board.today + timedelta(days=30),
    )
    voters = board.members(16)
    motion = board.motion(procedure=Procedure.MEETING, programme=sent)
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    services.close_motion(actor=board.chair, motion=motion)
    client = login(make_user(R.EP_READER, organisation="ep"))
    assert (
        client.get(reverse("board:programme_detail", args=[sent.pk])).status_code == 404
    )  # adopted, not sent
    sent.refresh_from_db()
    services.mark_programme_sent(actor=board.chair, programme=sent)
    listing = client.get(reverse("board:programme_list")).content.decode()
    assert "Sent" in listing and "Draft" not in listing
    assert client.get(reverse("board:programme_detail", args=[sent.pk])).status_code == 200
    assert client.get(reverse("board:programme_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("board:decision_list")).status_code == 403
    assert client.get(reverse("board:member_list")).status_code == 403
    ilo = login(make_user(R.ILO))
    assert ilo.get(reverse("board:programme_detail", args=[sent.pk])).status_code == 200
    assert ilo.get(reverse("board:programme_detail", args=[draft.pk])).status_code == 404


def test_reads_of_the_list_of_members_are_audited(board, make_user, login):
    board.members(3)
    client = login(make_user(R.ILO))
    client.get(reverse("board:member_list"))
    client.get(reverse("board:member_export")).getvalue()
    events = list(AuditEvent.objects.filter(action="personal_data.read").order_by("seq"))
    assert [e.details["format"] for e in events] == ["html", "csv"]
    assert all(e.details["list"] == "board_members" for e in events)


def test_the_csv_of_members_lists_the_current_members(board, make_user, login):
    member = board.appoint("nl")
    body = login(board.chair).get(reverse("board:member_export")).getvalue().decode()
    assert member.email in body and body.splitlines()[0].startswith("Seat,")


@pytest.mark.parametrize(
    ("name", "max_queries"),
    [
        ("board:dashboard", 30),
        ("board:member_list", 20),
        ("board:meeting_list", 15),
        ("board:motion_list", 16),
        ("board:decision_list", 15),
        ("board:programme_list", 15),
        ("board:report_list", 15),
        ("board:action_list", 16),
        ("board:training_list", 16),
        ("board:rules_list", 18),
    ],
)
def test_list_pages_run_a_bounded_number_of_queries(
    objects, board, login, django_assert_max_num_queries, name, max_queries
):
    board.members(26)
    for i in range(5):
        board.meeting(title=f"extra {i}", starts_in=timedelta(days=i + 1))
        services.record_training(actor=board.chair, kind="pre_deployment", title=f"t{i}")
        services.record_ad_hoc_action(
            actor=board.chair, title=f"a{i}", description="d", networks="n", agreed_on=board.today
        )
    client = login(board.chair)
    with django_assert_max_num_queries(max_queries):
        assert client.get(reverse(name)).status_code == 200


def test_dispatch_list_runs_a_bounded_number_of_queries(
    objects, make_user, login, django_assert_max_num_queries
):
    from ilonet.directory import demo as directory_demo

    directory_demo.ensure_authorities()
    client = login(make_user(R.DEPLOYING_AUTHORITY, scope="com"))
    with django_assert_max_num_queries(15):
        assert client.get(reverse("board:dispatch_list") + "?show=all").status_code == 200


# --- bad input on the pages: the reason, status 422 or 403, nothing written -----------------------


def test_a_meeting_ending_before_it_starts_is_a_form_error(board, login):
    client = login(board.chair)
    start = timezone.localtime() + timedelta(days=3)
    response = client.post(
        reverse("board:meeting_create"),
        {
            "title": "X",
            "kind": "regular",
            "location": "Brussels",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 422
    assert "must end after it starts" in response.content.decode()


def test_a_written_procedure_without_deadline_is_a_form_error(board, login):
    response = login(board.chair).post(
        reverse("board:motion_create"),
        {"title": "X", "text": "Y", "procedure": "written", "communicate_to_ilos": "on"},
    )
    assert response.status_code == 422 and "needs a deadline" in response.content.decode()


def test_a_non_voting_member_sees_why_the_vote_is_refused(board, login):
    norway = board.appoint("no")
    motion = board.motion()
    client = login(norway)
    page = client.get(reverse("board:motion_detail", args=[motion.pk])).content.decode()
    assert "Non-voting members (Art. 7(3))" in page
    response = client.post(reverse("board:motion_vote", args=[motion.pk]), {"choice": "for"})
    assert response.status_code == 403 and "Art. 7(3)" in response.content.decode()
    assert not motion.participations.exists()


def test_a_second_vote_on_the_page_is_a_422_with_the_reason(board, login):
    member = board.appoint("nl")
    motion = board.motion()
    client = login(member)
    assert client.post(reverse("board:motion_vote", args=[motion.pk]), {"choice": "for"}).status_code == 302
    response = client.post(reverse("board:motion_vote", args=[motion.pk]), {"choice": "against"})
    assert response.status_code == 422 and "already voted" in response.content.decode()
    assert motion.ballots.count() == 1


def test_an_alternate_after_the_member_on_the_page(board, login):
    member, alternate = board.appoint("nl"), board.appoint("nl", Capacity.ALTERNATE)
    motion = board.motion()
    services.cast_vote(actor=member, motion=motion, choice=Choice.FOR)
    response = login(alternate).post(reverse("board:motion_vote", args=[motion.pk]), {"choice": "for"})
    assert (
        response.status_code == 422
        and "alternate votes only when the member does not" in response.content.decode()
    )


def test_a_bad_upload_on_the_page_is_a_422(board, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = board.meeting()
    response = login(board.chair).post(
        reverse("board:document_upload", args=[meeting.pk]),
        {"title": "Malware", "file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")},
    )
    assert response.status_code == 415 and "programs are never accepted" in response.content.decode()
    response = login(board.chair).post(
        reverse("board:document_upload", args=[meeting.pk]),
        {"title": "Spreadsheet", "file": SimpleUploadedFile("x.pdf", make.ods_bytes())},
    )
    assert response.status_code == 415 and "PDF, ODT or DOCX" in response.content.decode()
    response = login(board.chair).post(
        reverse("board:document_upload", args=[meeting.pk]),
        {
            "title": "Macros",
            "file": SimpleUploadedFile("x.docx", make.docx_bytes(extra={"word/vbaProject.bin": b"x"})),
        },
    )
    assert response.status_code == 422 and "macros" in response.content.decode()
    assert not selectors.meeting_documents(user=board.chair, meeting=meeting)


def test_a_member_records_a_vote_and_the_chair_closes_it(board, login):
    voters = board.members(16)
    meeting = board.meeting()
    motion = board.motion(procedure=Procedure.MEETING, meeting=meeting, open=False)
    chair = login(board.chair)
    assert chair.post(reverse("board:motion_open", args=[motion.pk])).status_code == 302
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    assert chair.post(reverse("board:motion_close", args=[motion.pk])).status_code == 302
    page = chair.get(reverse("board:motion_detail", args=[motion.pk])).content.decode()
    assert "Adopted: 16 votes in favour reach the absolute majority of 16 of all 31 voting members" in page


def test_pdfs_render(objects, login):
    client = login(objects["meeting"].created_by)
    for name, key in (
        ("board:report_pdf", "report"),
        ("board:meeting_minutes_pdf", "meeting"),
        ("board:motion_pdf", "decision"),
    ):
        response = client.get(reverse(name, args=[objects[key].pk]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF-"), name


def test_the_minutes_pdf_and_vote_record_are_for_readers_of_the_members_list(objects, make_user, login):
    client = login(make_user(R.OBSERVER, organisation="iom"))
    for name, key in (("board:meeting_minutes_pdf", "meeting"), ("board:motion_pdf", "decision")):
        assert client.get(reverse(name, args=[objects[key].pk])).status_code in (403, 404)


def test_the_menu_shows_the_board_to_network_readers(make_user, login):
    client = login(make_user(R.EP_READER, organisation="ep"))
    urls = [item["url"] for item in client.get(reverse("home")).context["nav_items"]]
    assert reverse("board:dashboard") in urls
    client = login(make_user(R.RETURN_OFFICER))
    urls = [item["url"] for item in client.get(reverse("home")).context["nav_items"]]
    assert reverse("board:dashboard") not in urls


def test_a_document_downloads_as_an_attachment_for_the_board_only(board, make_user, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = board.meeting()
    pdf = make.pdf_bytes()
    document = services.upload_document(
        actor=board.chair,
        meeting=meeting,
        title="Agenda \u00e9t\u00e9",
        file=SimpleUploadedFile("a.pdf", pdf),
    )
    url = reverse("board:document_download", args=[meeting.pk, document.id])
    response = login(board.appoint("nl")).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith(
        "attachment"
    )
    outsider = login(make_user(R.ILO))
    assert outsider.get(url).status_code == 403


def test_csv_exports_neutralise_spreadsheet_formulas(board, login):
    voters = board.members(16)
    motion = board.motion(procedure=Procedure.MEETING, title='=HYPERLINK("http://evil.example","x")')
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    services.close_motion(actor=board.chair, motion=motion)
    body = login(board.chair).get(reverse("board:motion_export", args=[motion.pk])).getvalue().decode()
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


def test_the_proxy_form_appears_only_where_the_rules_allow_proxies(board, login):
    member = board.appoint("nl")
    motion = board.motion(title="No rules yet")
    client = login(member)
    assert "proxy_form" not in client.get(reverse("board:motion_detail", args=[motion.pk])).context
    response = client.post(
        reverse("board:motion_proxy", args=[motion.pk]), {"email": board.appoint("de").email}
    )
    assert response.status_code == 422 and "Art. 8(1)" in response.content.decode()
    board.rules(proxies_allowed=True)
    motion = board.motion(title="With rules")
    assert "proxy_form" in client.get(reverse("board:motion_detail", args=[motion.pk])).context


def test_a_nul_character_in_a_search_is_ignored_not_a_server_error(board, login):
    client = login(board.chair)
    assert client.get(reverse("board:member_list") + "?search=%00").status_code == 200
    assert client.get(reverse("board:member_export") + "?search=%00").status_code == 200
    assert client.get(reverse("board:decision_list") + "?search=%00").status_code == 200
