"""The facilitator rule (Art. 5(2)), its explanation, and the notifications to the steering
board when the facilitator is appointed, changes, or none is appointed (Art. 5(3))."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.deployments import hooks
from ilonet.deployments import services as deployment_services
from ilonet.deployments.models import Deployment
from ilonet.deployments.tests.helpers import days, deploy, desk, officer
from ilonet.networks import selectors, services
from ilonet.networks.models import FacilitatorAgreement, FacilitatorNotification
from ilonet.shared.dates import long_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT, organisation="com")


@pytest.fixture
def network(secretariat):
    return services.create_network(actor=secretariat, name="Morocco", kind="local", countries=["MA"])


def _place(make_user, authority, name, **kw):
    person = officer(make_user, authority, first_name=name, last_name="Officer")
    kind = "ms_mission" if authority.endswith("-auth") else "eu_delegation"
    return person, deploy(desk(make_user, authority), person, authority=authority, place_kind=kind, **kw)


def _decision(network):
    return selectors.facilitators_for([network])[network.pk]


def _notes(network):
    return list(
        FacilitatorNotification.objects.filter(network=network)
        .order_by("notified_at", "id")
        .values_list("kind", "basis", "officer_name")
    )


def test_commission_officer_facilitates_before_agency_officer(make_user, network):
    _place(make_user, "nl-auth", "Member", country="MA")
    _place(make_user, "frontex", "Agency", country="MA")
    _place(make_user, "com", "Commission", country="MA")
    decision = _decision(network)
    assert (decision.basis, decision.facilitator.name) == ("commission", "Commission Officer")
    assert "Art. 5(2), first sentence" in decision.explanation


def test_agency_officer_facilitates_where_the_commission_has_none(make_user, network):
    _place(make_user, "nl-auth", "Member", country="MA")
    _place(make_user, "europol", "Agency", country="MA")
    decision = _decision(network)
    assert (decision.basis, decision.facilitator.name) == ("agency", "Agency Officer")
    assert "Art. 5(2), second sentence" in decision.explanation and "Europol" in decision.explanation


def test_the_agreed_officer_facilitates_where_neither_commission_nor_agency_has_one(
    make_user, network, secretariat
):
    first, _ = _place(make_user, "nl-auth", "First", country="MA")
    second, _ = _place(make_user, "de-auth", "Second", country="MA")
    assert _decision(network).basis == "none"
    assert _decision(network).reason == "no_agreement"
    services.record_facilitator_agreement(
        actor=first, network=network, officer_id=second.pk, agreed_on=days(-1), note="Meeting of 3 March"
    )
    decision = _decision(network)
    assert (decision.basis, decision.facilitator.name) == ("agreement", "Second Officer")
    assert "Art. 5(2), third sentence" in decision.explanation and long_date(days(-1)) in decision.explanation


def test_an_agreement_cannot_override_a_commission_officer(make_user, network, secretariat):
    member, _ = _place(make_user, "nl-auth", "Member", country="MA")
    _place(make_user, "com", "Commission", country="MA")
    services.record_facilitator_agreement(actor=secretariat, network=network, officer_id=member.pk)
    assert _decision(network).facilitator.name == "Commission Officer"


def test_among_several_commission_officers_the_agreed_one_else_the_longest_serving(
    make_user, network, secretariat
):
    _place(make_user, "com", "Newer", country="MA", start=days(-10))
    older, _ = _place(make_user, "com", "Older", country="MA", start=days(-400))
    newer_person = selectors.members_by_network([network])[network.pk][1]
    decision = _decision(network)
    assert decision.facilitator.name == "Older Officer" and decision.reason == "commission_longest"
    services.record_facilitator_agreement(
        actor=secretariat, network=network, officer_id=newer_person.officer_id
    )
    decision = _decision(network)
    assert decision.facilitator.name == "Newer Officer" and decision.reason == "commission_agreed"
    assert older.pk != newer_person.officer_id


def test_a_network_without_members_has_no_facilitator_and_the_board_is_told(network):
    assert _decision(network).reason == "no_members"
    assert _notes(network) == [("none", "none", "")]
    assert AuditEvent.objects.filter(action="network.facilitator_notified").count() == 1


def test_a_facilitator_who_is_not_a_member_is_refused_and_nothing_changes(make_user, network, secretariat):
    member, _ = _place(make_user, "nl-auth", "Member", country="MA")
    outsider, _ = _place(make_user, "nl-auth", "Outsider", country="TN")
    before = (_notes(network), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.record_facilitator_agreement(actor=member, network=network, officer_id=outsider.pk)
    assert "not a member of this network" in error.value.message_dict["officer"][0]
    assert FacilitatorAgreement.objects.count() == 0
    assert (_notes(network), AuditEvent.objects.count()) == before


def test_agreements_in_the_future_or_by_outsiders_are_refused(make_user, network):
    member, _ = _place(make_user, "nl-auth", "Member", country="MA")
    outsider, _ = _place(make_user, "nl-auth", "Outsider", country="TN")
    with pytest.raises(ValidationError, match="future"):
        services.record_facilitator_agreement(
            actor=member, network=network, officer_id=member.pk, agreed_on=days(3)
        )
    with pytest.raises(PermissionDenied):
        services.record_facilitator_agreement(actor=outsider, network=network, officer_id=member.pk)
    assert FacilitatorAgreement.objects.count() == 0


def test_transitions_between_the_three_branches_notify_the_board_each_time(make_user, network, secretariat):
    """none -> agreed -> agency -> commission -> agency -> agreed -> none (agreed officer left)."""
    member, member_deployment = _place(make_user, "nl-auth", "Member", country="MA")
    assert _notes(network)[-1] == ("none", "none", "")
    services.record_facilitator_agreement(actor=member, network=network, officer_id=member.pk)
    assert _notes(network)[-1] == ("appointed", "agreement", "Member Officer")
    _agent, agency_deployment = _place(make_user, "frontex", "Agency", country="MA")
    assert _notes(network)[-1] == ("changed", "agency", "Agency Officer")
    _com, com_deployment = _place(make_user, "com", "Commission", country="MA")
    assert _notes(network)[-1] == ("changed", "commission", "Commission Officer")
    _place(make_user, "de-auth", "Another", country="MA")  # a member-state officer joins: no change
    assert len(_notes(network)) == 4
    deployment_services.end_deployment(actor=desk(make_user, "com"), deployment=com_deployment)
    assert _notes(network)[-1] == ("changed", "agency", "Agency Officer")
    deployment_services.end_deployment(actor=desk(make_user, "frontex"), deployment=agency_deployment)
    assert _notes(network)[-1] == ("changed", "agreement", "Member Officer")
    deployment_services.end_deployment(actor=desk(make_user, "nl-auth"), deployment=member_deployment)
    last = FacilitatorNotification.objects.filter(network=network).order_by("-notified_at", "-id").first()
    assert (last.kind, last.basis, last.previous_officer_name) == ("none", "none", "Member Officer")
    assert last.reason == "agreed_left" and "must agree on a new facilitator" in last.explanation
    assert len(_notes(network)) == 7
    assert AuditEvent.objects.filter(action="network.facilitator_notified").count() == 7


def test_the_notification_is_written_in_the_same_transaction_as_the_deployment(make_user, network):
    """If anything after the facilitator review fails, neither the deployment nor the
    notification to the board is left behind."""
    count = len(_notes(network))

    def failing_hook(*, actor, countries):
        assert FacilitatorNotification.objects.count() == count + 1  # the review already ran
        raise RuntimeError("a later step failed")

    hooks.register(failing_hook)
    try:
        with pytest.raises(RuntimeError):
            _place(make_user, "com", "Commission", country="MA")
    finally:
        hooks._hooks.remove(failing_hook)
    assert len(_notes(network)) == count
    assert not Deployment.objects.exists()


def test_the_network_page_explains_the_facilitator(make_user, login, network):
    _place(make_user, "euaa", "Asylum", country="MA")
    body = login(make_user(Role.ILO)).get(f"/networks/{network.pk}/").content.decode()
    assert "Asylum Officer" in body and "EU agency EUAA" in body and "second sentence" in body


def test_the_board_reads_the_facilitator_notifications(make_user, login, network):
    _place(make_user, "com", "Commission", country="MA")
    body = login(make_user(Role.BOARD_MEMBER, scope="nl")).get("/networks/facilitator-notifications/").content
    text = body.decode()
    assert (
        "Facilitator appointed" in text
        and "Commission Officer" in text
        and "No facilitator appointed" in text
    )


def test_facilitator_audit_events_hold_references_not_names(make_user, network, secretariat):
    """Issue 7: administrators read the trail; it holds officer ids, not names (Art. 9(3))."""
    person, _deployment = _place(make_user, "nl-auth", "Traceable")
    services.record_facilitator_agreement(actor=secretariat, network=network, officer_id=person.pk)
    events = AuditEvent.objects.filter(action__startswith="network.facilitator")
    assert events.filter(action="network.facilitator_agreed").exists()
    for event in events:
        assert "Traceable" not in str(event.details), event.action
