"""Every free-text field passes the personal-data guard at save (Art. 3(4), Art. 9(3)): findings
refuse the save with the guard's translated report, and nothing is stored."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ilonet.audit.models import AuditEvent
from ilonet.situation_reports import services
from ilonet.situation_reports.models import ReportSection, SituationReport

pytestmark = pytest.mark.django_db

EMAIL = "jan.jansen@example.nl"


def test_an_email_address_in_a_section_refuses_the_save_and_stores_nothing(world, write):
    sections = {
        "d": {
            "text": f"The smuggler answers at {EMAIL} after payment.",
            "vulnerable_persons": "",
            "gender": "",
        }
    }
    with pytest.raises(ValidationError) as refused:
        write(world["member"], sections=sections)
    messages = refused.value.message_dict["d_text"]
    assert "no personal data" in messages[0]
    assert any("e-mail address" in line and "line 1" in line for line in messages[1:])
    assert not any(EMAIL in line for line in messages)  # masked, never the value
    assert SituationReport.objects.count() == 0 and ReportSection.objects.count() == 0
    event = AuditEvent.objects.get(action="situation_report.refused")
    assert event.outcome == "denied" and event.details["found"] == {"email": 1}
    assert EMAIL not in str(event.details)


def test_each_field_is_checked_the_summary_and_the_dimensions_too(world, write):
    with pytest.raises(ValidationError) as refused:
        write(
            world["member"],
            summary="Call the contact on +31 6 12345678.",
            sections={
                "b": {"text": "Flows stable.", "vulnerable_persons": "", "gender": f"Write to {EMAIL}"}
            },
        )
    assert set(refused.value.message_dict) == {"summary", "b_gender"}
    assert SituationReport.objects.count() == 0


def test_the_refusal_is_translated(world, write):
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        write(
            world["member"], sections={"b": {"text": f"Mail {EMAIL}", "vulnerable_persons": "", "gender": ""}}
        )
    assert "persoonsgegevens" in refused.value.message_dict["b_text"][0]


def test_a_revision_with_personal_data_leaves_the_saved_report_unchanged(world, write):
    report = write(world["member"])
    with pytest.raises(ValidationError):
        services.update_report(
            actor=world["member"],
            report=report,
            period_start=report.period_start,
            period_end=report.period_end,
            summary="Stable.",
            sections={"f": {"text": f"The forger is reachable at {EMAIL}.", "gender": ""}},
        )
    report.refresh_from_db()
    assert sorted(report.sections.values_list("topic", flat=True)) == ["b", "f"]
    assert report.sections.get(topic="f").text == "Forged residence permits at check-in."


def test_statistics_case_numbers_and_articles_pass(world, write):
    report = write(
        world["member"],
        sections={"b": {"text": "1,240 crossings in Q1 (+15%); case 2024/118; Art. 3(4)(b).", "gender": ""}},
    )
    assert report.sections.count() == 1


def test_the_reason_for_returning_is_checked_too(world, write):
    report = write(world["member"], submit=True)
    with pytest.raises(ValidationError) as refused:
        services.return_report(actor=world["secretariat"], report=report, reason=f"Ask {EMAIL}.")
    assert "reason" in refused.value.message_dict
    report.refresh_from_db()
    assert report.status == "submitted"
