"""Work programme and activity report (Art. 8(2)(a), Art. 8(2)(b), Art. 8(2)(c),
Art. 4(1)): the overview of deployments is
generated from the registry (counts only), the PDF is in the EU look, and both go to the
European Parliament once adopted."""

import re
import zlib
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ilonet.board import services
from ilonet.board.models import Choice, Procedure
from ilonet.deployments import reporting
from ilonet.deployments.models import Deployment, DeploymentStatus, Representation
from ilonet.directory import demo as directory_demo
from ilonet.directory.models import Organisation

pytestmark = pytest.mark.django_db


def _deploy(officer, authority, country, start, end=None, status=DeploymentStatus.ACTIVE, place="ms_mission"):
    return Deployment.objects.create(
        deploying_authority=Organisation.objects.get(code=authority),
        officer=officer,
        country=country,
        place_kind=place,
        place_name="Embassy",
        city="City",
        task_summary="Tasks",
        start_date=start,
        planned_end_date=start + timedelta(days=1000),
        end_date=end,
        status=status,
    )


@pytest.fixture
def registry(make_user):
    directory_demo.ensure_authorities()
    a, b, c = make_user("ilo"), make_user("ilo"), make_user("ilo", organisation="de")
    joint = _deploy(a, "nl-auth", "MA", date(2024, 3, 1))
    Representation.objects.create(deployment=joint, member_state=Organisation.objects.get(code="be"))
    _deploy(b, "nl-auth", "MA", date(2022, 1, 1), end=date(2024, 6, 30), status=DeploymentStatus.ENDED)
    _deploy(b, "frontex", "TR", date(2024, 7, 1), place="eu_delegation")
    _deploy(
        c, "de-auth", "NE", date(2021, 1, 1), end=date(2022, 12, 31), status=DeploymentStatus.ENDED
    )  # before
    _deploy(c, "de-auth", "SN", date(2026, 1, 1), status=DeploymentStatus.PLANNED)


def test_overview_counts_deployments_under_way_in_the_period(registry):
    overview = reporting.deployment_overview(period_start=date(2024, 1, 1), period_end=date(2025, 12, 31))
    assert overview["deployments"] == 3 and overview["officers"] == 2 and overview["countries"] == 2
    assert overview["started_in_period"] == 2 and overview["ended_in_period"] == 1
    assert overview["joint_deployments"] == 1 and overview["planned_now"] == 1
    assert overview["by_deployer"] == [{"code": "NL", "count": 2}, {"code": "Frontex", "count": 1}]
    assert {r["code"]: r["count"] for r in overview["by_country"]} == {"MA": 2, "TR": 1}
    assert overview["represented_states"] == [{"code": "BE", "count": 1}]


def test_overview_holds_no_personal_data(registry, make_user):
    overview = reporting.deployment_overview(period_start=date(2020, 1, 1), period_end=date(2026, 12, 31))
    text = str(overview)
    from ilonet.accounts.models import User

    for user in User.objects.all():
        assert user.email not in text and (not user.last_name or user.last_name not in text)


def test_the_report_draft_gets_its_overview_from_the_registry(board, registry):
    report = services.create_report(
        actor=board.chair,
        title="AR 2024-2025",
        period_start=date(2024, 1, 1),
        period_end=date(2025, 12, 31),
        body="Text",
    )
    assert report.overview["deployments"] == 3 and report.overview_generated_at is not None
    _deploy(Deployment.objects.first().officer, "frontex", "LY", date(2025, 2, 1))
    report = services.update_report(actor=board.chair, report=report, regenerate_overview=True)
    assert report.overview["deployments"] == 4


def test_a_biannual_document_covers_at_most_two_years(board):
    with pytest.raises(ValidationError):
        services.create_report(
            actor=board.chair, title="Too long", period_start=date(2020, 1, 1), period_end=date(2023, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.create_programme(
            actor=board.chair, title="Backwards", period_start=date(2024, 1, 1), period_end=date(2023, 1, 1)
        )


def test_the_activity_report_pdf_is_in_the_eu_look(board, registry, login):
    from django.urls import reverse

    report = services.create_report(
        actor=board.chair,
        title="Activity report 2024–2025",
        period_start=date(2024, 1, 1),
        period_end=date(2025, 12, 31),
    )
    response = login(board.chair).get(reverse("board:report_pdf", args=[report.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert {b"Inter", b"Inter-Bold"} <= _embedded_fonts(response.content)  # the self-hosted font


def _embedded_fonts(pdf: bytes) -> set[bytes]:
    """Font names in the PDF's (compressed) objects, without the subset prefix."""
    names = set()
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            data = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        names |= {n.split(b"+")[-1] for n in re.findall(rb"/FontName\s*/([A-Za-z+\-]+)", data)}
    return names


def test_only_an_adopted_document_goes_to_the_parliament(board):
    programme = services.create_programme(
        actor=board.chair, title="WP", period_start=board.today, period_end=board.today + timedelta(days=700)
    )
    with pytest.raises(ValidationError):
        services.mark_programme_sent(actor=board.chair, programme=programme)
    voters = board.members(16)
    motion = board.motion(procedure=Procedure.MEETING, programme=programme)
    for user in voters:
        services.cast_vote(actor=user, motion=motion, choice=Choice.FOR)
    services.close_motion(actor=board.chair, motion=motion)
    programme.refresh_from_db()
    assert programme.status == "adopted" and programme.adopted_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.add_programme_item(actor=board.chair, programme=programme, kind="activity", title="Late")
    services.mark_programme_sent(actor=board.chair, programme=programme)
    with pytest.raises(ValidationError):
        services.mark_programme_sent(actor=board.chair, programme=programme)


def test_an_evaluation_proposes_changes(board):
    programme = services.create_programme(
        actor=board.chair, title="WP", period_start=board.today, period_end=board.today + timedelta(days=700)
    )
    evaluation = services.add_evaluation(
        actor=board.chair,
        programme=programme,
        evaluated_on=board.today,
        findings="On track.",
        proposed_changes="Add an activity.",
    )
    assert programme.evaluations.get() == evaluation
    with pytest.raises(ValidationError):
        services.add_evaluation(
            actor=board.chair,
            programme=programme,
            findings="Future.",
            evaluated_on=board.today + timedelta(days=1),
        )


def test_ad_hoc_actions_and_trainings_are_recorded(board):
    action = services.record_ad_hoc_action(
        actor=board.chair,
        title="Joint assessment",
        description="D",
        networks="Senegal",
        agreed_on=board.today,
    )
    services.update_ad_hoc_action(
        actor=board.chair, action=action, status="completed", result="Report shared."
    )
    with pytest.raises(ValidationError):
        services.update_ad_hoc_action(actor=board.chair, action=action, status="unknown")
    training = services.record_training(actor=board.chair, kind="fundamental_rights", title="FR")
    assert training.get_kind_display().startswith("Fundamental rights")
    with pytest.raises(ValidationError):
        services.record_training(
            actor=board.chair,
            kind="pre_deployment",
            title="X",
            starts_on=board.today,
            ends_on=board.today - timedelta(days=1),
        )
