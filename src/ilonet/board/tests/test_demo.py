"""The demo: a board with past meetings, an adopted decision with its vote, a written procedure
open, adopted rules of procedure, a work programme and a draft activity report whose PDF
renders."""

import pytest
from django.urls import reverse

from ilonet.accounts import demo as accounts_demo
from ilonet.board import demo, selectors
from ilonet.board.models import ActivityReport, Meeting, Motion, RulesOfProcedure, WorkProgramme
from ilonet.directory import demo as directory_demo

pytestmark = pytest.mark.django_db


def test_the_demo_board_tells_the_story(client):
    accounts_demo.seed_accounts(directory_demo.ensure_authorities())
    demo.seed_board()
    assert Meeting.objects.filter(status="held").count() == 3
    decision = Motion.objects.get(title__startswith="Common approach")
    assert decision.outcome == "adopted" and decision.participations.count() == 31
    assert decision.dispatches.filter(passed_on_at__isnull=False).exists()
    assert Motion.objects.filter(status="open", procedure="written", secret=True).count() == 1
    rules = RulesOfProcedure.objects.get()
    assert rules.status == "adopted" and selectors.rules_deadline().adopted_in_time
    assert WorkProgramme.objects.get().sent_to_ep_on is not None
    report = ActivityReport.objects.get()
    assert report.status == "draft"

    from ilonet.accounts.models import User

    client.force_login(
        User.objects.get(email=f"chair@{accounts_demo.DEMO_DOMAIN}"),
        backend="allauth.account.auth_backends.AuthenticationBackend",
    )
    response = client.get(reverse("board:report_pdf", args=[report.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert client.get(reverse("board:dashboard")).status_code == 200
