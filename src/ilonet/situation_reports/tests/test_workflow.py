"""Draft, submit, return for revision, revise and submit again (Art. 3(4), Art. 5(1)(b))."""

import pytest
from django.core.exceptions import ValidationError

from ilonet.audit.models import AuditEvent
from ilonet.deployments.tests.helpers import days
from ilonet.situation_reports import services
from ilonet.situation_reports.models import SituationReport

pytestmark = pytest.mark.django_db


def test_a_report_goes_from_draft_to_submitted_to_returned_and_back(world, write):
    w = world
    report = write(w["member"])
    assert report.status == "draft" and report.subject == "officer"
    assert [c.country.code for c in report.countries.all()] == ["MA"]  # from the officer's deployment
    assert report.deploying_authority.code == "nl-auth"
    report = services.submit_report(actor=w["member"], report=report)
    assert report.status == "submitted" and report.submitted_at
    with pytest.raises(ValidationError):
        services.update_report(actor=w["member"], report=report, period_start=report.period_start,
                               period_end=report.period_end, summary="Changed.")  # fmt: skip
    report = services.return_report(actor=w["desk"], report=report, reason="Add the routes (c).")
    assert report.status == "returned" and report.return_reason == "Add the routes (c)."
    report = services.update_report(
        actor=w["member"], report=report, period_start=report.period_start, period_end=report.period_end,
        summary="Stable.", sections={"c": {"text": "The sea route is used again."}},
    )  # fmt: skip
    assert list(report.sections.values_list("topic", flat=True)) == [
        "c"
    ]  # the sections given replace the old
    report = services.submit_report(actor=w["member"], report=report)
    assert report.status == "submitted"
    actions = list(
        AuditEvent.objects.filter(object_type="situation_reports.situationreport")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "situation_report.created", "situation_report.submitted", "situation_report.returned",
        "situation_report.updated", "situation_report.submitted",
    ]  # fmt: skip


def test_a_network_report_covers_the_networks_countries_and_any_member_writes_it(world, write):
    report = write(world["member"], network=world["morocco"])
    assert [c.country.code for c in report.countries.all()] == ["MA"] and report.officer is None
    services.submit_report(actor=world["colleague"], report=report)  # another member submits it


def test_one_report_per_author_and_period(world, write):
    write(world["member"])
    with pytest.raises(ValidationError) as refused:
        write(world["member"])
    assert "already a report for this period" in str(refused.value)
    assert SituationReport.objects.count() == 1


def test_a_report_needs_content_a_sane_period_and_a_deployed_officer(world, write, make_user):
    with pytest.raises(ValidationError) as refused:
        write(world["member"], sections={}, summary="")
    assert "sections" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        write(world["member"], period=(days(-10), days(-20)))
    assert "period_end" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        write(world["member"], period=(days(-500), days(-10)))
    assert "at most a year" in refused.value.message_dict["period_end"][0]
    with pytest.raises(ValidationError) as refused:
        write(world["member"], period=(days(5), days(60)))
    assert "period_start" in refused.value.message_dict
    undeployed = make_user("ilo")
    with pytest.raises(ValidationError) as refused:
        write(undeployed)
    assert "deployed now" in refused.value.message_dict["subject"][0]


def test_a_section_with_dimensions_but_no_assessment_is_refused(world, write):
    with pytest.raises(ValidationError) as refused:
        write(world["member"], sections={"b": {"text": "", "vulnerable_persons": "Minors.", "gender": ""}})
    assert "b_text" in refused.value.message_dict


def test_only_a_submitted_report_is_returned(world, write):
    draft = write(world["member"])
    with pytest.raises(ValidationError):
        services.return_report(actor=world["secretariat"], report=draft, reason="Too early.")
