"""Nobody is told what they may not open: every producer goes through the one notifier
(``ilonet.jobs.notify.notify`` → ``services.deliver_notice``), which keeps only the users for
whom ``policy.can(user, <the action that opens the subject>, subject)`` holds.

The test finds every producer in the code (every call of ``notify``) and every declared kind,
runs the real producer of each kind, and hands each notice it made to the notifier once more
with *everybody* as its audience: exactly the users the policy allows are told."""

import ast
import dataclasses
import pathlib
import tempfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.board import services as board_services
from ilonet.board.models import DecisionDispatch
from ilonet.cooperation.tests import scenarios as cooperation
from ilonet.deployments import jobs as deployment_jobs
from ilonet.deployments import services as deployment_services
from ilonet.deployments.tests.helpers import days, deploy, desk, officer
from ilonet.directory import demo as directory_demo
from ilonet.exchange import services as exchange_services
from ilonet.exchange.models import Category, Marking, Space
from ilonet.jobs import clock
from ilonet.jobs import notify as hook
from ilonet.networks import services as network_services
from ilonet.notifications import kinds, services
from ilonet.notifications.models import Notification, OutboxMail
from ilonet.situation_reports import services as report_services
from ilonet.situation_reports.tests.conftest import last_quarter

pytestmark = pytest.mark.django_db
SOURCE = pathlib.Path(__file__).resolve().parents[2]


def _producers() -> list[tuple[str, str]]:
    """(module path, the kind or the literal start of an f-string kind) of every ``notify(...)``."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "notify"
            ):
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant):
                    found.append((str(path.relative_to(SOURCE)), first.value))
                elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                    found.append((str(path.relative_to(SOURCE)), first.values[0].value))
                else:
                    found.append((str(path.relative_to(SOURCE)), "<not a literal>"))
    return found


PRODUCERS = _producers()


def test_the_discovery_finds_the_producers_of_every_domain():
    modules = {module for module, _kind in PRODUCERS}
    assert {"deployments/notices.py", "networks/notices.py", "board/notices.py",
            "board/services/reminders.py", "exchange/notices.py",
            "cooperation/notices.py"} <= modules  # fmt: skip


@pytest.mark.parametrize(("module", "kind"), PRODUCERS)
def test_every_producer_names_a_declared_kind(module, kind):
    assert any(name == kind or name.startswith(kind) for name in kinds.KINDS), (
        f"{module}: notify({kind!r}) — declare the kind in ilonet/notifications/kinds.py"
    )


def test_every_declared_kind_has_a_producer_and_a_scenario_here():
    for name in kinds.KINDS:
        assert any(name == kind or name.startswith(kind) for _m, kind in PRODUCERS), name
    assert set(SCENARIOS) == set(kinds.KINDS)


# --- the real producers ------------------------------------------------------------------------


@pytest.fixture
def people(make_user, board):
    """One user for each role (and one without), and another state's deploying authority."""
    directory_demo.ensure_authorities()
    crowd = {role: make_user(role, organisation="com" if role != Role.ILO else "nl") for role in Role.values}
    crowd["nobody"] = make_user(None)
    crowd["de_desk"] = desk(make_user, "de-auth")
    return crowd


def _written_procedure(board, *, adopt: bool):
    members = board._all_voting_members()
    motion = board.motion(title="Common approach to document checks", days=1)
    if adopt:
        for member in members:
            board_services.cast_vote(actor=member, motion=motion, choice="for")
    board_services.close_due_motions(now=timezone.now() + timedelta(days=2))
    return motion


def _deployment(make_user, **kwargs):
    return deploy(desk(make_user), officer(make_user), **kwargs)


def _network(board, make_user, countries):
    secretariat = make_user(Role.SECRETARIAT, organisation="com")
    return network_services.create_network(
        actor=secretariat, name=f"Network {'-'.join(countries)}", kind="local", countries=countries
    )


def _detention_review_due(make_user):
    """RS 2(a): a detention re-assessment due within a week is reminded to the case's member
    state's return officers."""
    from ilonet.returns.services import approvals as return_approvals
    from ilonet.returns.services import cases as return_cases
    from ilonet.returns.services import reminders as return_reminders
    from ilonet.returns.services import timeline as return_timeline

    with override_settings(PERSONAL_DATA_KEY_DIR=tempfile.mkdtemp()):
        first, second = (make_user(Role.RETURN_OFFICER, organisation="nl") for _ in range(2))
        case = return_cases.open_case(actor=first, case_type="enforced", third_country="MA",
                                      person={"names": [{"family": "Test"}]})  # fmt: skip
        steps = [
            ("legal_stay_ended", {"reason": "other"}),
            ("return_decision", {"voluntary_departure_days": 0}),
            ("detention_ordered", {"measure": "reporting"}),
        ]
        for kind, fields in steps:
            event = return_timeline.record_event(actor=first, case=case.reference, kind=kind, fields=fields)
            if getattr(event, "approval", None) is not None:
                return_approvals.approve_step(actor=second, approval=event.approval.pk)
        return_reminders.remind_detention_reviews(today=timezone.localdate() + timedelta(days=30))


SCENARIOS = {
    "returns.detention_review_due": lambda mu, b: _detention_review_due(mu),
    "deployment.planned": lambda mu, b: _deployment(mu, status="planned", start=days(10), end=days(300)),
    "deployment.started": lambda mu, b: deployment_services.start_deployment(
        actor=desk(mu),
        deployment=_deployment(mu, status="planned", start=days(10), end=days(300)),
        start_date=days(0),
    ),
    "deployment.changed": lambda mu, b: deployment_services.update_deployment(
        actor=desk(mu), deployment=_deployment(mu), city="Rabat"
    ),
    "deployment.ended": lambda mu, b: deployment_services.end_deployment(
        actor=desk(mu), deployment=_deployment(mu)
    ),
    "deployment.cancelled": lambda mu, b: deployment_services.cancel_deployment(
        actor=desk(mu), deployment=_deployment(mu, status="planned", start=days(10), end=days(300))
    ),
    "deployment.ended_at_planned_end": lambda mu, b: _ended_at_planned_end(mu),
    "network.facilitator_appointed": lambda mu, b: (_eu_officer(mu, "frontex"), _network(b, mu, ["MA"])),
    "network.facilitator_none": lambda mu, b: _network(b, mu, ["TN"]),
    "network.facilitator_changed": lambda mu, b: _facilitator_changes(mu, b),
    "board.written_procedure_closed": lambda mu, b: _written_procedure(b, adopt=False),
    "board.decision_to_pass_on": lambda mu, b: _written_procedure(b, adopt=True),
    "board.decision_passed_on": lambda mu, b: _passed_on(mu, b),
    "exchange.document_added": lambda mu, b: _followed_upload(mu, b),
    "exchange.version_added": lambda mu, b: _followed_upload(mu, b, version=True),
    "situation_report.submitted": lambda mu, b: _followed_report(mu, b),
    "board.reminder.rules_deadline": lambda mu, b: (
        b.meeting(starts_in=timedelta(days=-10)),
        board_services.issue_due_reminders(now=timezone.now() + timedelta(days=85)),
    ),
    "board.reminder.meeting_cadence": lambda mu, b: board_services.issue_due_reminders(
        now=timezone.now().replace(year=timezone.now().year + 1, month=4, day=2, hour=7)
    ),
    "cooperation.offer_published": lambda mu, b: cooperation.offer(mu),
    "cooperation.flight_announced": lambda mu, b: cooperation.flight(mu),
    "cooperation.places_accepted": lambda mu, b: cooperation.answered(mu, accept=True),
    "cooperation.places_declined": lambda mu, b: cooperation.answered(mu, accept=False),
    "cooperation.seats_allocated": lambda mu, b: cooperation.allocated(mu),
    "cooperation.seats_offered_again": lambda mu, b: cooperation.released(mu),
    "cooperation.deadline_near": lambda mu, b: cooperation.deadline(mu),
    "board.reminder.officer_list": lambda mu, b: (
        b.meeting(starts_in=timedelta(days=-30)),
        b.meeting(starts_in=timedelta(days=10)),
        board_services.issue_due_reminders(now=timezone.now() + timedelta(days=7)),
    ),
}


def _followers(make_user, board):
    """A network in Morocco with two officers, each following the network's space and the topic
    Art. 3(4)(c); and an officer in Tunisia who follows the topic too (may not open it)."""
    network = _network(board, make_user, ["MA"])
    authority = desk(make_user)
    writer, follower, afar = officer(make_user), officer(make_user), officer(make_user)
    for person, country in ((writer, "MA"), (follower, "MA"), (afar, "TN")):
        deploy(authority, person, country=country, start=days(-100))
    space = Space.objects.get(network=network)
    exchange_services.follow(actor=follower, space=space)
    for person in (follower, afar):
        exchange_services.follow(actor=person, topic="c")
    return writer, space


def _followed_upload(make_user, board, *, version=False):
    writer, space = _followers(make_user, board)
    with tempfile.TemporaryDirectory() as media, override_settings(STORAGES={
        **settings.STORAGES, "default": {"BACKEND": "ilonet.shared.uploads.storage.PrivateFileSystemStorage",
                                         "OPTIONS": {"location": media}}}):  # fmt: skip
        document = exchange_services.upload_document(
            actor=writer, space=space, file=SimpleUploadedFile("n.txt", b"Flows rose.\n", "text/plain"),
            title="Routes", category=Category.OTHER, marking=Marking.NORMAL, topics=["c"],
        )  # fmt: skip
        if version:
            exchange_services.upload_version(
                actor=writer, document=document, file=SimpleUploadedFile("n.txt", b"Fell.\n", "text/plain")
            )


def _followed_report(make_user, board):
    writer, _space = _followers(make_user, board)
    start, end = last_quarter()
    report = report_services.create_report(
        actor=writer, subject="officer", period_start=start, period_end=end, summary="Stable.",
        sections={"c": {"text": "A new route by sea.", "vulnerable_persons": "", "gender": ""}},
    )  # fmt: skip
    report_services.submit_report(actor=writer, report=report)


def _ended_at_planned_end(make_user):
    _deployment(make_user, start=days(-100), end=days(3))
    with clock.frozen(timezone.now() + timedelta(days=5)):
        deployment_jobs.end_deployments_at_planned_end()


def _eu_officer(make_user, authority: str):
    """An officer deployed by the Commission or an EU agency facilitates (Art. 5(2))."""
    return deploy(
        desk(make_user, authority), officer(make_user, authority), authority=authority, country="MA"
    )


def _facilitator_changes(make_user, board):
    _eu_officer(make_user, "frontex")
    _network(board, make_user, ["MA"])
    _eu_officer(make_user, "com")  # a Commission officer comes first (Art. 5(2))


def _passed_on(make_user, board):
    authority = desk(make_user)
    deploy(authority, officer(make_user))
    _written_procedure(board, adopt=True)
    dispatch = DecisionDispatch.objects.get(authority__code="nl-auth")
    board_services.mark_passed_on(actor=authority, dispatch=dispatch)


@pytest.fixture
def made():
    """The notices the producers make, delivered as usual, and kept."""
    seen: list = []

    def keep(notice):
        seen.append(notice)
        services.deliver_notice(notice)

    previous = hook.register_notifier(keep)
    yield seen
    hook.register_notifier(previous)


@pytest.mark.parametrize("kind", sorted(kinds.KINDS))
def test_only_those_allowed_to_open_the_subject_are_told(kind, make_user, board, people, made):
    SCENARIOS[kind](make_user, board)
    produced = [notice for notice in made if notice.kind == kind]
    assert produced, f"the scenario of {kind} made no notice of that kind"
    User = get_user_model()
    everybody = set(User.objects.values_list("pk", flat=True))
    someone = False
    for notice in produced:
        allowed = {u.pk for u in User.objects.all() if policy.can(u, notice.audience_action, notice.obj)}
        assert allowed < everybody, "the policy keeps some people out"
        someone = someone or bool(allowed)
        # What the producer's own audience got: no one outside the policy.
        told = set(Notification.objects.filter(key=notice.key).values_list("recipient_id", flat=True))
        assert told <= allowed
        # Everybody as the audience: exactly the allowed are told, on the site and by e-mail.
        widened = dataclasses.replace(notice, key=f"widened:{notice.key}", recipients=hook.Audience(
            user_ids=tuple(everybody)))  # fmt: skip
        assert set(services.deliver_notice(widened)) == allowed
        rows = Notification.objects.filter(key=widened.key)
        assert set(rows.values_list("recipient_id", flat=True)) == allowed
        assert set(OutboxMail.objects.filter(notification__key=widened.key).values_list(
            "recipient_id", flat=True)) <= allowed  # fmt: skip
        assert people["nobody"].pk not in allowed and people[Role.EP_READER].pk not in allowed
    assert someone, "somebody may open the subject of at least one of these notices"
