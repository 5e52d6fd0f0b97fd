"""Who writes, reads and returns situation reports, per role (Art. 3(4), Art. 5(1)(b), Art. 9(4))."""

import pytest
from django.core.exceptions import PermissionDenied

from ilonet import policy
from ilonet.situation_reports import selectors, services

pytestmark = pytest.mark.django_db
A = policy.Action


def _visible(user) -> set[int]:
    return set(selectors.report_list(user=user).values_list("pk", flat=True))


def test_a_submitted_report_is_read_by_its_network_the_authorities_the_board_and_the_commission(world, write):
    w = world
    report = write(w["member"], submit=True)
    for reader in ("member", "colleague", "desk", "fr_desk", "secretariat", "chair", "board"):
        assert report.pk in _visible(w[reader]), reader
        assert policy.can(w[reader], A.VIEW_SITUATION_REPORTS, report), reader
    # an officer of another network (Tunisia) does not read the Moroccan report
    assert report.pk not in _visible(w["outsider"])
    assert not policy.can(w["outsider"], A.VIEW_SITUATION_REPORTS, report)


@pytest.mark.parametrize("role", ["ep", "observer", "coordinator", "admin"])
def test_other_roles_read_no_report(world, write, role):
    write(world["member"], submit=True)
    user = world[role]
    assert not policy.can(user, A.VIEW_SITUATION_REPORTS)
    assert _visible(user) == set()


def test_the_parliament_reader_is_refused_with_the_reason_that_nothing_was_opened(world):
    with pytest.raises(PermissionDenied) as refused:
        policy.authorize(world["ep"], A.VIEW_SITUATION_REPORTS)
    assert "Art. 9(4)" in str(refused.value) and "not opened" in str(refused.value)


def test_a_draft_is_read_only_by_those_who_may_write_it(world, write):
    w = world
    own = write(w["member"])
    network = write(w["member"], network=w["morocco"])
    assert {own.pk, network.pk} <= _visible(w["member"])
    assert _visible(w["colleague"]) == {network.pk}  # a member writes the network's, not another's own
    for reader in ("desk", "secretariat", "chair", "board", "outsider"):
        assert _visible(w[reader]) == set(), reader


def test_an_officer_writes_only_their_own_report_and_their_networks(world, write):
    w = world
    own = write(w["member"])
    assert policy.can(w["member"], A.WRITE_SITUATION_REPORTS, own)
    assert not policy.can(w["colleague"], A.WRITE_SITUATION_REPORTS, own)
    assert policy.can(w["colleague"], A.WRITE_SITUATION_REPORTS, w["morocco"])
    assert not policy.can(w["outsider"], A.WRITE_SITUATION_REPORTS, w["morocco"])
    with pytest.raises(PermissionDenied):
        write(w["outsider"], network=w["morocco"])
    for role in ("desk", "secretariat", "chair", "board", "ep"):
        assert not policy.can(w[role], A.WRITE_SITUATION_REPORTS), role


def test_a_facilitator_role_scoped_to_a_network_writes_its_report(world, make_user, write):
    from ilonet.accounts.models import RoleAssignment

    facilitator = make_user("facilitator", organisation="com")
    RoleAssignment.objects.filter(user=facilitator).update(scope_ref=f"network:{world['tunisia'].pk}")
    policy.forget_roles(facilitator)
    assert policy.can(facilitator, A.WRITE_SITUATION_REPORTS, world["tunisia"])
    assert not policy.can(facilitator, A.WRITE_SITUATION_REPORTS, world["morocco"])


def test_returning_is_for_the_boards_office_and_the_officers_deploying_authority(world, write):
    w = world
    report = write(w["member"], submit=True)
    assert policy.can(w["secretariat"], A.RETURN_SITUATION_REPORTS, report)
    assert policy.can(w["chair"], A.RETURN_SITUATION_REPORTS, report)
    assert policy.can(w["desk"], A.RETURN_SITUATION_REPORTS, report)  # deployed the officer
    assert not policy.can(w["fr_desk"], A.RETURN_SITUATION_REPORTS, report)  # another authority
    for role in ("member", "board", "ep"):
        assert not policy.can(w[role], A.RETURN_SITUATION_REPORTS, report), role
    with pytest.raises(PermissionDenied):
        services.return_report(actor=w["fr_desk"], report=report, reason="No.")


def test_a_returned_report_is_seen_by_its_authors_and_who_may_return_it(world, write):
    w = world
    report = services.return_report(
        actor=w["secretariat"], report=write(w["member"], submit=True), reason="Add c."
    )
    assert report.pk in _visible(w["member"]) and report.pk in _visible(w["secretariat"])
    assert report.pk in _visible(w["desk"])
    assert report.pk not in _visible(w["fr_desk"]) and report.pk not in _visible(w["board"])


def test_the_evidence_pack_is_for_the_board_and_the_commission(world):
    w = world
    for role in ("secretariat", "chair", "board"):
        assert policy.can(w[role], A.VIEW_EVIDENCE_PACK), role
    for role in ("member", "desk", "ep", "observer", "coordinator", "admin"):
        assert not policy.can(w[role], A.VIEW_EVIDENCE_PACK), role
