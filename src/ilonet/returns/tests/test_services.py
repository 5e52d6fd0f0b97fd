"""The services of return cases: events, approvals, concurrency, identity and its hold, and bad
input refused with a clear reason and nothing half-written (RS 2(a), RS 2(c))."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ilonet.audit.models import AuditEvent
from ilonet.personaldata import vault
from ilonet.returns import identity, rls
from ilonet.returns.derive import StaleVersion
from ilonet.returns.models import Approval, CaseEvent, NameDigest, ReturnCase
from ilonet.returns.selectors import case_detail
from ilonet.returns.services import approvals, cases, timeline

from .conftest import PERSON, peek

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _approved(case, officer, approver, kind, fields, **more):
    event = timeline.record_event(actor=officer, case=case.reference, kind=kind, fields=fields, **more)
    approvals.approve_step(actor=approver, approval=event.approval.pk)
    return event


def _with_decision(open_case, officer, approver, case_type="enforced", days=0):
    case = open_case(case_type)
    timeline.record_event(
        actor=officer,
        case=case.reference,
        kind="legal_stay_ended",
        fields={"reason": "negative_asylum_decision"},
    )
    _approved(case, officer, approver, "return_decision", {"voluntary_departure_days": days})
    return _fresh(case)


def _fresh(case):
    with rls.system_scope():
        return ReturnCase.objects.get(pk=case.pk)


def test_opening_a_case_seals_the_person_and_starts_the_timeline(open_case, officer):
    case = open_case("voluntary")
    assert (case.member_state, case.stage, case.status, case.version) == ("NL", "counselling", "open", 1)
    assert "Benali" not in case.identity_sealed and case.identity_sealed
    assert identity.open_identity(case.person_ref, case.identity_sealed)["names"][0]["family"] == "Benali"
    assert peek(NameDigest.objects.filter(case=case, digest=vault.name_digest("benali")).exists)
    assert AuditEvent.objects.filter(action="returns.case_opened", object_id=str(case.pk)).count() == 1


def test_an_unknown_or_member_state_third_country_is_refused(open_case):
    for code, words in (("XX", "Unknown country code"), ("FR", "member state")):
        with pytest.raises(ValidationError) as refused:
            open_case(third_country=code)
        assert words in str(refused.value.message_dict["third_country"])
    assert not peek(ReturnCase.objects.exists)


def test_bad_identity_fields_are_named_and_nothing_is_written(open_case, key_dir):
    with pytest.raises(ValidationError) as refused:
        open_case(person={"names": [], "birth_date": "2999-01-01", "nationalities": ["ZZ"]})
    assert {"names", "birth_date", "nationalities"} <= set(refused.value.message_dict)
    assert not peek(ReturnCase.objects.exists) and vault.key_count() == 0


def test_an_event_dated_in_the_future_is_refused(open_case, officer):
    case = open_case()
    with pytest.raises(ValidationError) as refused:
        timeline.record_event(
            actor=officer,
            case=case.reference,
            kind="legal_stay_ended",
            fields={"reason": "other"},
            occurred_on=TODAY() + timedelta(days=1),
        )
    assert "future" in refused.value.message_dict["occurred_on"][0]
    assert peek(CaseEvent.objects.filter(case=case).count) == 1


def test_an_event_with_bad_fields_names_each_field(open_case, officer):
    case = open_case()
    with pytest.raises(ValidationError) as refused:
        timeline.record_event(
            actor=officer,
            case=case.reference,
            kind="return_decision",
            fields={"voluntary_departure_days": 90, "colour": "red"},
        )
    assert set(refused.value.message_dict) == {"voluntary_departure_days", "colour"}


def test_a_readmission_answer_without_a_request_is_refused_with_its_rule(open_case, officer, second_officer):
    case = _with_decision(open_case, officer, second_officer)
    with pytest.raises(ValidationError) as refused:
        timeline.record_event(
            actor=officer, case=case.reference, kind="readmission_answered", fields={"answer": "accepted"}
        )
    assert refused.value.rule == "answer_needs_request"
    assert "readmission request" in refused.value.message_dict["kind"][0]
    assert _fresh(case).version == case.version


def test_an_event_on_a_closed_case_is_refused(open_case, officer):
    case = open_case()
    timeline.record_event(actor=officer, case=case.reference, kind="case_closed", fields={"outcome": "other"})
    with pytest.raises(ValidationError) as refused:
        timeline.record_event(actor=officer, case=case.reference, kind="counselling_session", fields={})
    assert refused.value.rule == "closed_case"
    assert _fresh(case).erase_on == TODAY() + timedelta(days=1825)


def test_an_event_out_of_order_is_refused(open_case, officer, second_officer):
    case = _with_decision(open_case, officer, second_officer)
    timeline.record_event(
        actor=officer,
        case=case.reference,
        kind="readmission_requested",
        fields={"channel": "rcms"},
        occurred_on=TODAY(),
    )
    with pytest.raises(ValidationError) as refused:
        timeline.record_event(
            actor=officer,
            case=case.reference,
            kind="readmission_answered",
            fields={"answer": "refused"},
            occurred_on=TODAY() - timedelta(days=3),
        )
    assert refused.value.rule == "answer_needs_request"


def test_a_step_takes_effect_only_once_approved_by_someone_else(open_case, officer, second_officer):
    case = open_case()
    timeline.record_event(
        actor=officer, case=case.reference, kind="legal_stay_ended", fields={"reason": "other"}
    )
    event = timeline.record_event(
        actor=officer, case=case.reference, kind="return_decision", fields={"voluntary_departure_days": 0}
    )
    assert _fresh(case).status == "awaiting_approval"
    with pytest.raises(ValidationError) as refused:
        approvals.approve_step(actor=officer, approval=event.approval.pk)
    assert "someone other than" in refused.value.message_dict["approval"][0]
    assert peek(lambda: Approval.objects.get(pk=event.approval.pk)).status == "requested"
    # the step does not count yet: an enforced return needs the decision
    with pytest.raises(ValidationError) as refused:
        timeline.record_event(
            actor=officer,
            case=case.reference,
            kind="enforced_return_scheduled",
            fields={"departure_on": "2026-05-01"},
        )
    assert refused.value.rule == "needs_return_decision"
    approvals.approve_step(actor=second_officer, approval=event.approval.pk)
    assert _fresh(case).status == "preparing_return"


def test_approvals_go_in_order_and_are_revocable_with_a_reason(open_case, officer, second_officer):
    case = open_case()
    timeline.record_event(
        actor=officer, case=case.reference, kind="legal_stay_ended", fields={"reason": "other"}
    )
    event = _approved(case, officer, second_officer, "return_decision", {"voluntary_departure_days": 0})
    with pytest.raises(ValidationError):  # decided already
        approvals.refuse_step(actor=second_officer, approval=event.approval.pk, reason="late")
    with pytest.raises(ValidationError) as refused:
        approvals.revoke_approval(actor=second_officer, approval=event.approval.pk, reason="")
    assert "reason" in refused.value.message_dict
    approvals.revoke_approval(actor=second_officer, approval=event.approval.pk, reason="Decision annulled")
    approval = peek(lambda: Approval.objects.get(pk=event.approval.pk))
    assert (approval.status, approval.revoke_reason) == ("revoked", "Decision annulled")
    with pytest.raises(ValidationError):
        approvals.approve_step(actor=second_officer, approval=approval.pk)


def test_a_revocation_that_later_events_depend_on_is_refused(open_case, officer, second_officer):
    case = _with_decision(open_case, officer, second_officer, case_type="own_means", days=30)
    decision = peek(lambda: Approval.objects.get(case=case, step="return_decision"))
    timeline.record_event(
        actor=officer, case=case.reference, kind="voluntary_departure", fields={"assisted": False}
    )
    with pytest.raises(ValidationError) as refused:
        approvals.revoke_approval(actor=second_officer, approval=decision.pk, reason="error")
    assert refused.value.rule == "needs_return_decision"
    assert peek(lambda: Approval.objects.get(pk=decision.pk)).status == "approved"


def test_a_refused_step_never_takes_effect(open_case, officer, second_officer):
    case = open_case()
    timeline.record_event(
        actor=officer, case=case.reference, kind="legal_stay_ended", fields={"reason": "other"}
    )
    event = timeline.record_event(
        actor=officer, case=case.reference, kind="return_decision", fields={"voluntary_departure_days": 0}
    )
    with pytest.raises(ValidationError):
        approvals.refuse_step(actor=second_officer, approval=event.approval.pk, reason="  ")
    approvals.refuse_step(actor=second_officer, approval=event.approval.pk, reason="Wrong person")
    assert _fresh(case).status == "preparing_return"
    assert case_detail(user=officer, reference=case.reference).worklist[0]["rule"] == "no_return_decision"


def test_a_stale_version_is_refused_naming_the_other_change(open_case, officer, second_officer):
    case = open_case()
    seen = case.version
    timeline.record_event(
        actor=second_officer, case=case.reference, kind="counselling_session", fields={}, version=seen
    )
    with pytest.raises(StaleVersion) as refused:
        timeline.record_event(
            actor=officer,
            case=case.reference,
            kind="absconding_risk_assessed",
            fields={"risk": "high"},
            version=seen,
        )
    message = refused.value.message_dict["version"][0]
    assert "counselling_session" in message and "Bram Jansen" in message
    assert not peek(CaseEvent.objects.filter(case=case, kind="absconding_risk_assessed").exists)


def test_a_correction_supersedes_and_the_timeline_is_append_only(open_case, officer):
    case = open_case()
    first = timeline.record_event(
        actor=officer, case=case.reference, kind="absconding_risk_assessed", fields={"risk": "low"}
    )
    timeline.record_event(
        actor=officer,
        case=case.reference,
        kind="absconding_risk_assessed",
        fields={"risk": "high"},
        supersedes=first.seq,
    )
    view = case_detail(user=officer, reference=case.reference)
    assert [e["superseded"] for e in view.events if e["kind"] == "absconding_risk_assessed"] == [True, False]
    with pytest.raises(ValueError):
        first.save()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_maintenance")  # the guards on, as in production
    for statement in ("UPDATE returns_caseevent SET kind = 'x'", "DELETE FROM returns_caseevent"):
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            rls.system_scope(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)


def test_a_change_of_identity_puts_the_case_on_hold_until_an_officer_releases_it(open_case, officer):
    case = open_case("own_means")
    changed = {**PERSON, "birth_date": "1991-04-01"}
    case = cases.update_identity(actor=officer, case=case.reference, person=changed, version=case.version)
    assert (case.on_hold, case.status) == (True, "on_hold")
    kinds = peek(
        lambda: list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("kind", "fields"))
    )
    assert kinds[-2:] == [
        ("identity_changed", {"changed": "birth_date"}),
        ("hold_placed", {"reason": "identity_changed"}),
    ]
    timeline.record_event(actor=officer, case=case.reference, kind="hold_released")
    assert not _fresh(case).on_hold


def test_erasure_destroys_the_key_of_closed_cases_past_retention(open_case, officer):
    case = open_case()
    timeline.record_event(actor=officer, case=case.reference, kind="case_closed", fields={"outcome": "other"})
    assert cases.erase_due_cases(today=TODAY()) == 0
    assert cases.erase_due_cases(today=TODAY() + timedelta(days=1825)) == 1
    case = _fresh(case)
    assert case.erased_at and not case.identity_sealed and not vault.key_exists(case.person_ref)
    assert not peek(NameDigest.objects.filter(case=case).exists)
    assert case_detail(user=officer, reference=case.reference).person is None


def test_another_member_states_officer_can_neither_read_nor_write(open_case, german_officer):
    case = open_case()
    with pytest.raises(PermissionDenied) as refused:
        case_detail(user=german_officer, reference=case.reference)
    assert "own member state" in str(refused.value)
    with pytest.raises(PermissionDenied):
        timeline.record_event(actor=german_officer, case=case.reference, kind="counselling_session")
    assert peek(CaseEvent.objects.filter(case=case).count) == 1


@pytest.mark.parametrize("role", ["return_coordinator", "chair", "platform_admin", "data_protection_officer"])
def test_the_commission_agencies_and_coordinator_never_see_a_case(open_case, make_user, role):
    case = open_case()
    with pytest.raises(PermissionDenied):
        case_detail(user=make_user(role, organisation="nl"), reference=case.reference)


def test_every_case_read_is_in_the_access_log(open_case, officer):
    case = open_case()
    case_detail(user=officer, reference=case.reference, via="api")
    entry = AuditEvent.objects.filter(action="personaldata.record_read").latest("seq")
    assert (entry.actor_id, entry.details["record"], entry.details["via"]) == (
        officer.pk,
        case.person_ref,
        "api",
    )
    assert "Benali" not in str(entry.details)


def test_a_retraction_supersedes_the_event_and_is_refused_when_later_events_need_it(
    open_case, officer, second_officer
):
    case = _with_decision(open_case, officer, second_officer)
    request = timeline.record_event(
        actor=officer, case=case.reference, kind="readmission_requested", fields={"channel": "diplomatic"}
    )
    timeline.record_event(
        actor=officer, case=case.reference, kind="readmission_answered", fields={"answer": "refused"}
    )
    with pytest.raises(ValidationError) as refused:
        timeline.retract_event(actor=officer, case=case.reference, seq=request.seq)
    assert refused.value.rule == "answer_needs_request"
    risk = timeline.record_event(
        actor=officer, case=case.reference, kind="absconding_risk_assessed", fields={"risk": "medium"}
    )
    timeline.retract_event(actor=officer, case=case.reference, seq=risk.seq)
    view = case_detail(user=officer, reference=case.reference)
    assert [e["superseded"] for e in view.events if e["seq"] == risk.seq] == [True]
    with pytest.raises(ValidationError):
        timeline.record_event(
            actor=officer, case=case.reference, kind="retracted"
        )  # the platform's, not by hand


def test_the_same_identity_again_changes_nothing(open_case, officer):
    case = open_case()
    same = cases.update_identity(actor=officer, case=case.reference, person=PERSON, version=case.version)
    assert (same.version, same.on_hold) == (case.version, False)


def test_the_demo_makes_cases_in_several_states_and_stages(
    officer, second_officer, german_officer, make_user
):
    from ilonet.returns.demo import seed_demo_cases
    from ilonet.returns.selectors import case_rollup

    german_approver = make_user("return_officer", organisation="de")
    made = seed_demo_cases(
        officers={"NL": [officer, second_officer], "DE": [german_officer, german_approver]}, count=22
    )
    rows = case_rollup()
    assert made == 22 and sum(r["count"] for r in rows) == 22
    assert {r["member_state"] for r in rows} == {"NL", "DE"}
    assert len({r["stage"] for r in rows}) >= 6
