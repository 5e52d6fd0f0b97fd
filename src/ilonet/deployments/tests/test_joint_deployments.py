"""Joint deployments (Art. 6): an officer also represents other member states (6(1)), tasks
divided between them (6(2)), listed and reported because they can get EU funding (6(3))."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.deployments import selectors, services

from .helpers import deploy, desk, officer

pytestmark = pytest.mark.django_db


def test_an_officer_may_also_represent_other_member_states_with_divided_tasks(make_user):
    deployment = deploy(
        desk(make_user),
        officer(make_user),
        represented=[("be", "Visa fraud advice for Belgium"), ("lu", "")],
        eu_funding_reference="ISF-2025-1",
    )
    reps = {r.member_state.code: r.tasks for r in deployment.representations.all()}
    assert reps == {"be": "Visa fraud advice for Belgium", "lu": ""}
    assert deployment.notifications.get().data["represented"][0] == {
        "member_state": "be",
        "tasks": "Visa fraud advice for Belgium",
    }


def test_representations_can_be_changed_and_the_change_is_notified(make_user):
    actor = desk(make_user)
    deployment = deploy(actor, officer(make_user), represented=[("be", "")])
    services.update_deployment(actor=actor, deployment=deployment, represented=[("lu", "Return cases")])
    assert list(deployment.representations.values_list("member_state__code", "tasks")) == [
        ("lu", "Return cases")
    ]
    change = deployment.notifications.get(version=2).changes["represented"]
    assert change == [
        [{"member_state": "be", "tasks": ""}],
        [{"member_state": "lu", "tasks": "Return cases"}],
    ]


def test_denmark_which_takes_no_part_cannot_be_represented(make_user):
    with pytest.raises(ValidationError, match="not a member state taking part"):
        deploy(desk(make_user), officer(make_user), represented=[("dk", "")])


def test_the_joint_report_lists_joint_deployments_only(make_user):
    actor = desk(make_user)
    joint = deploy(actor, officer(make_user), represented=[("be", "")])
    deploy(actor, officer(make_user))
    reader = make_user(Role.SECRETARIAT)
    assert list(selectors.joint_deployment_list(user=reader)) == [joint]
    assert selectors.deployment_list(user=reader, joint=False).count() == 1


def test_the_joint_report_exports_as_csv_with_funding_reference_and_is_audited(make_user, login):
    actor = desk(make_user)
    deploy(
        actor,
        officer(make_user, first_name="Joint", last_name="Officer"),
        represented=[("be", "Visa fraud"), ("lu", "Returns")],
        eu_funding_reference="ISF-2025-ILO-7",
    )
    deploy(actor, officer(make_user, first_name="Solo", last_name="Officer"))
    client = login(make_user(Role.CHAIR, organisation="com"))
    response = client.get("/deployments/joint/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Deployment" and len(rows) == 2
    assert rows[1][3] == "NL" and rows[1][4] == "BE, LU" and rows[1][5] == "BE: Visa fraud | LU: Returns"
    assert rows[1][6] == "Joint Officer" and rows[1][-1] == "ISF-2025-ILO-7"
    assert AuditEvent.objects.get(action="personal_data.read").details["list"] == "joint_deployments"
    page = client.get("/deployments/joint/").content.decode()
    assert "Joint Officer" in page and "Solo Officer" not in page
