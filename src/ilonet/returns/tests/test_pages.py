"""The return officers' pages: the worklist, the case file, quick event entry, approvals, flags,
the hold, opening and finding a case; isolation by member state; no lost update."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.returns import rls
from ilonet.returns.models import Approval, CaseEvent, CaseFlag
from ilonet.returns.services import cases as case_services
from ilonet.returns.services import timeline

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _the_tests_own_reads_see_every_state():
    """The test's own reads of the tables (``refresh_from_db``, counts) run under the system
    scope: on PostgreSQL row-level security shows nothing without one. The pages and the API
    set their own member-state scope inside it (``rls.member_state_scope`` nests)."""
    with rls.system_scope():
        yield


PERSON = {"names": [{"family": "Benali", "given": "Karim", "script": "latin"}], "nationalities": ["MA"]}


@pytest.fixture
def case(officer):
    opened = timezone.localdate() - timedelta(days=60)
    case = case_services.open_case(
        actor=officer, case_type="enforced", third_country="MA", person=PERSON, opened_on=opened
    )
    timeline.record_event(
        actor=officer,
        case=case,
        kind="legal_stay_ended",
        occurred_on=opened,
        fields={"reason": "negative_asylum_decision"},
    )
    case.refresh_from_db()
    return case


def _reads(case) -> int:
    return AuditEvent.objects.filter(
        action="personaldata.record_read", details__record=case.person_ref
    ).count()


def test_the_case_file_shows_the_person_stage_status_and_timeline_and_logs_the_read(officer, case):
    before = _reads(case)
    response = client_for(officer).get(reverse("returns:case_detail", args=[case.reference]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Benali" in page and "End of legal stay" in page
    assert response.context["file"].stage_label == "Pre-return"
    assert _reads(case) == before + 1


def test_the_worklist_lists_a_case_without_a_return_decision_after_its_delay(officer, case):
    response = client_for(officer).get(reverse("returns:worklist"), {"rule": "no_return_decision"})
    assert response.status_code == 200
    assert [row.entry.case.reference for row in response.context["rows"]] == [case.reference]
    other_rule = client_for(officer).get(reverse("returns:worklist"), {"rule": "on_hold"})
    assert other_rule.context["rows"] == []


def test_another_member_states_officer_gets_404_on_every_case_page(belgian, case):
    client = client_for(belgian)
    approval_id = 1
    for name, args in [
        ("returns:case_detail", [case.reference]),
        ("returns:record_event", [case.reference]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name, args in [
        ("returns:record_event", [case.reference]),
        ("returns:set_flag", [case.reference]),
        ("returns:clear_flag", [case.reference]),
        ("returns:release_hold", [case.reference]),
        ("returns:decide_approval", [case.reference, approval_id, "approve"]),
    ]:
        assert client.post(reverse(name, args=args), {"version": case.version}).status_code == 404, name
    assert client.get(reverse("returns:worklist")).context["rows"] == []


@pytest.mark.parametrize(
    ("role", "organisation"),
    [(Role.RETURN_COORDINATOR, "com"), (Role.SECRETARIAT, "com"), (Role.BOARD_MEMBER, "frontex")],
)
def test_the_coordinator_the_commission_and_agencies_get_403_on_every_case_page(
    make_user, case, role, organisation
):
    client = client_for(make_user(role, organisation=organisation))
    for name, args in [
        ("returns:worklist", []),
        ("returns:case_list", []),
        ("returns:search", []),
        ("returns:case_open", []),
        ("returns:case_detail", [case.reference]),
        ("returns:record_event", [case.reference]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert _reads(case) == 0


def test_the_event_form_has_exactly_the_fields_of_the_chosen_kind(officer, case):
    response = client_for(officer).get(
        reverse("returns:record_event", args=[case.reference]), {"kind": "readmission_requested"}
    )
    names = set(response.context["event_form"].fields)
    assert names == {"version", "kind", "occurred_on", "supersedes", "f_channel", "f_rcms_reference"}
    assert (
        'type="date"'
        in client_for(officer)
        .get(reverse("returns:record_event", args=[case.reference]), {"kind": "detention_ordered"})
        .content.decode()
    )


def test_the_event_form_keeps_the_version_the_page_was_loaded_at_and_only_a_number(officer, case):
    url = reverse("returns:record_event", args=[case.reference])
    kept = client_for(officer).get(url, {"kind": "counselling_session", "version": "0"})
    assert kept.context["event_form"].initial["version"] == 0  # a newer version is never taken silently
    for junk in ("x<script>", "-1", "99999999999999"):
        answer = client_for(officer).get(url, {"kind": "counselling_session", "version": junk})
        assert answer.status_code == 200 and answer.context["event_form"].initial["version"] == case.version


def test_quick_event_entry_records_the_event(officer, case):
    response = client_for(officer).post(
        reverse("returns:record_event", args=[case.reference]),
        {"version": case.version, "kind": "absconding_risk_assessed", "f_risk": "high"},
    )
    assert response.status_code == 302
    assert CaseEvent.objects.filter(
        case=case, kind="absconding_risk_assessed", fields={"risk": "high"}
    ).exists()


def test_a_bad_field_is_shown_on_its_field(officer, case):
    response = client_for(officer).post(
        reverse("returns:record_event", args=[case.reference]),
        {"version": case.version, "kind": "return_decision", "f_voluntary_departure_days": "99"},
    )
    assert response.status_code == 422
    assert response.context["event_form"].errors["f_voluntary_departure_days"]


def test_two_officers_saving_at_once_the_second_is_refused_and_sees_the_first_change(
    officer, colleague, case
):
    seen = case.version
    first = client_for(officer).post(
        reverse("returns:record_event", args=[case.reference]),
        {"version": seen, "kind": "absconding_risk_assessed", "f_risk": "low"},
    )
    assert first.status_code == 302
    second = client_for(colleague).post(
        reverse("returns:record_event", args=[case.reference]),
        {"version": seen, "kind": "absconding_risk_assessed", "f_risk": "high"},
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "absconding_risk_assessed" in page  # the change made first, named
    assert "Absconding-risk assessment" in page  # and on the timeline shown with it
    assert not CaseEvent.objects.filter(case=case, fields={"risk": "high"}).exists()


def test_a_step_is_approved_by_another_officer_never_by_its_requester(officer, colleague, case):
    timeline.record_event(
        actor=officer, case=case, kind="return_decision", fields={"voluntary_departure_days": 0}
    )
    approval = Approval.objects.get(case=case)
    case.refresh_from_db()
    url = reverse("returns:decide_approval", args=[case.reference, approval.pk, "approve"])
    own = client_for(officer).post(url, {"version": case.version})
    assert own.status_code == 422
    approval.refresh_from_db()
    assert approval.status == "requested"
    assert client_for(colleague).post(url, {"version": case.version}).status_code == 302
    approval.refresh_from_db()
    assert approval.status == "approved"
    case.refresh_from_db()
    revoke = reverse("returns:decide_approval", args=[case.reference, approval.pk, "revoke"])
    assert (
        client_for(colleague).post(revoke, {"version": case.version}).status_code == 422
    )  # a reason is needed
    assert (
        client_for(colleague).post(revoke, {"version": case.version, "reason": "Wrong person"}).status_code
        == 302
    )
    approval.refresh_from_db()
    assert approval.status == "revoked"


def test_flags_are_set_and_cleared_and_a_hold_released(officer, case):
    client = client_for(officer)
    assert (
        client.post(
            reverse("returns:set_flag", args=[case.reference]),
            {"version": case.version, "kind": "vulnerable_person"},
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert CaseFlag.objects.filter(case=case, kind="vulnerable_person", cleared_at__isnull=True).exists()
    assert (
        client.post(
            reverse("returns:clear_flag", args=[case.reference]),
            {"version": case.version, "kind": "vulnerable_person"},
        ).status_code
        == 302
    )
    assert not CaseFlag.objects.filter(case=case, cleared_at__isnull=True).exists()
    case_services.update_identity(actor=officer, case=case, person={**PERSON, "birth_place": "Oujda"})
    case.refresh_from_db()
    assert case.on_hold
    assert (
        client.post(
            reverse("returns:release_hold", args=[case.reference]), {"version": case.version}
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert not case.on_hold


def test_an_officer_opens_a_case_with_the_identity_fields(officer):
    response = client_for(officer).post(
        reverse("returns:case_open"),
        {
            "case_type": "voluntary",
            "third_country": "GE",
            "family_name": "Beridze",
            "given_names": "Nino",
            "script": "latin",
            "nationality": "GE",
        },
    )
    assert response.status_code == 302
    detail = client_for(officer).get(response["Location"])
    assert "Beridze" in detail.content.decode()
    assert detail.context["case"].member_state == "NL"


def test_opening_a_case_towards_a_member_state_is_refused_on_its_field(officer):
    response = client_for(officer).post(
        reverse("returns:case_open"),
        {
            "case_type": "voluntary",
            "third_country": "BE",
            "family_name": "Beridze",
            "script": "latin",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["third_country"]


def test_search_finds_by_reference_or_by_name_in_the_own_member_state_only(officer, belgian, case):
    client = client_for(officer)
    by_name = client.post(reverse("returns:search"), {"q": "benali"})
    assert [c.reference for c in by_name.context["found"]] == [case.reference]
    by_reference = client.post(reverse("returns:search"), {"q": case.reference[:8]})
    assert case.reference in [c.reference for c in by_reference.context["found"]]
    assert client_for(belgian).post(reverse("returns:search"), {"q": "Benali"}).context["found"] == []
    assert not AuditEvent.objects.filter(details__icontains="benali").exists()
