"""Every role x action cell of the access policy, including every denial.

The expected table is written out here by hand, independently of the rules the apps register
in their ``policies`` modules: a change of the rules that is not also made here fails this test.
"""

import time

import pytest

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.policy import Action

A = Action
EVERY_ROLE = frozenset(Role)
ADMIN = frozenset({Role.PLATFORM_ADMIN})
R = Role
# Art. 9(3): ILOs, steering board members and duly authorised staff (secretariat, deploying
# authorities). Not: observers, the European Parliament reader, return officers, the return
# coordinator, the platform administrator.
ART_9_3 = frozenset(
    {R.ILO, R.FACILITATOR, R.BOARD_MEMBER, R.BOARD_ALTERNATE, R.NON_VOTING_MEMBER, R.CHAIR,
     R.SECRETARIAT, R.DEPLOYING_AUTHORITY}
)  # fmt: skip
BOARD_OFFICE = frozenset({R.CHAIR, R.SECRETARIAT})
# Steering board (Art. 7, 8, 9): the board proper; observers see only the meetings they are
# invited to (Art. 7(4)); the list of members (Art. 9(2)(c)) is for ILOs, board members and duly
# authorised staff incl. platform administrators (Art. 9(3)); decisions, work programmes and
# reports are shared with the network (Art. 9(2)(b), (e)), the latter two also with the
# European Parliament reader (Art. 8(2) last paragraph, 9(4)).
STEERING_BOARD = frozenset(
    {Role.BOARD_MEMBER, Role.BOARD_ALTERNATE, Role.NON_VOTING_MEMBER, Role.CHAIR, Role.SECRETARIAT}
)
STEERING_NETWORK = STEERING_BOARD | {Role.ILO, Role.FACILITATOR, Role.DEPLOYING_AUTHORITY}

# action -> the roles that may do it (everyone else is refused)
EXPECTED: dict[Action, frozenset[str]] = {
    A.VIEW_DIRECTORY: EVERY_ROLE,
    A.MANAGE_DIRECTORY: ADMIN,
    A.VIEW_USERS: ADMIN,
    A.MANAGE_USERS: ADMIN,
    A.MANAGE_ROLES: ADMIN,
    # a deploying authority invites the officers of its own member state (object-level, Art. 4(1))
    A.INVITE_USERS: ADMIN | {R.DEPLOYING_AUTHORITY},
    A.USE_API_TOKENS: EVERY_ROLE,
    # only from a browser session with a recent second factor (see the step-up tests below)
    A.MANAGE_API_TOKENS: EVERY_ROLE,
    # one's own notifications and e-mail preferences (object-level: the recipient only)
    A.VIEW_NOTIFICATIONS: EVERY_ROLE,
    A.MANAGE_NOTIFICATIONS: EVERY_ROLE,
    A.VIEW_AUDIT: ADMIN,
    A.EXPORT_AUDIT: ADMIN,
    # priority countries (Art. 8(2)(e); RS 1): no personal data, so the return coordinator too
    A.VIEW_PRIORITY_COUNTRIES: ART_9_3 | {R.RETURN_COORDINATOR},
    A.MANAGE_PRIORITY_COUNTRIES: frozenset({R.CHAIR, R.SECRETARIAT, R.RETURN_COORDINATOR}),
    # deployment registry (Art. 4), contact list (Art. 9(2)(d)), gaps (Art. 8(2)(e))
    A.VIEW_DEPLOYMENTS: ART_9_3,
    A.MANAGE_DEPLOYMENTS: frozenset({R.DEPLOYING_AUTHORITY}),
    A.VIEW_CONTACT_LIST: ART_9_3,
    A.VIEW_DEPLOYMENT_GAPS: ART_9_3 | {R.RETURN_COORDINATOR},
    # networks (Art. 5) and the list of deployed ILOs (Art. 8(2)(d))
    A.VIEW_NETWORKS: ART_9_3,
    A.MANAGE_NETWORKS: BOARD_OFFICE,
    A.CONTRIBUTE_TO_NETWORK: frozenset({R.ILO, R.FACILITATOR, R.CHAIR, R.SECRETARIAT}),
    A.VIEW_OFFICER_LISTS: ART_9_3,
    A.UPDATE_OFFICER_LIST: BOARD_OFFICE,
    A.VIEW_BOARD: STEERING_BOARD | {Role.OBSERVER},
    A.MANAGE_BOARD: frozenset({Role.CHAIR, Role.SECRETARIAT}),
    # object-level: a planned meeting's agenda; a vote the rules allow to close now (Art. 7(8))
    A.MANAGE_AGENDA: BOARD_OFFICE,
    A.CLOSE_VOTE: BOARD_OFFICE,
    A.PROPOSE_RULES: frozenset({Role.CHAIR}),
    A.VOTE: frozenset({Role.BOARD_MEMBER, Role.BOARD_ALTERNATE}),
    A.SPEAK: STEERING_BOARD | {Role.OBSERVER},
    A.VIEW_BOARD_MEMBERS: STEERING_NETWORK,
    A.VIEW_DECISIONS: STEERING_NETWORK,
    A.VIEW_PROGRAMMES_AND_REPORTS: STEERING_NETWORK | {Role.EP_READER},
    A.PASS_ON_DECISIONS: frozenset({Role.DEPLOYING_AUTHORITY}),
    # ILO situation reports (Art. 3(4), Art. 5(1)(b)): the networks, the deploying authorities, the board
    # and the Commission read; officers and facilitators write (object-level: their own, their network's);
    # the board's office and the officer's deploying authority return (object-level); not the
    # Parliament's reader (nothing opened to it, Art. 9(4)). The evidence pack (Art. 12(2)): board and
    # Commission.
    A.VIEW_SITUATION_REPORTS: STEERING_BOARD | {R.ILO, R.FACILITATOR, R.DEPLOYING_AUTHORITY},
    A.WRITE_SITUATION_REPORTS: frozenset({R.ILO, R.FACILITATOR}),
    A.RETURN_SITUATION_REPORTS: BOARD_OFFICE | {R.DEPLOYING_AUTHORITY},
    A.VIEW_EVIDENCE_PACK: STEERING_BOARD,
    # personal data of Art. 10: processed by ILOs and deploying authorities (object-level: their
    # controller's records of a purpose assigned to them); purposes assigned by the deploying
    # authority; the data protection officer oversees; a share opens to its named recipient only
    A.VIEW_PERSONAL_RECORDS: frozenset({R.ILO, R.DEPLOYING_AUTHORITY}),
    A.MANAGE_PERSONAL_RECORDS: frozenset({R.ILO, R.DEPLOYING_AUTHORITY}),
    A.SEARCH_PERSONAL_RECORDS: frozenset({R.ILO, R.DEPLOYING_AUTHORITY}),
    A.ASSIGN_PURPOSES: frozenset({R.DEPLOYING_AUTHORITY}),
    A.SHARE_PERSONAL_RECORDS: frozenset({R.ILO, R.DEPLOYING_AUTHORITY}),
    A.VIEW_SHARED_RECORDS: EVERY_ROLE,
    A.TRANSFER_PERSONAL_DATA: frozenset({R.ILO, R.DEPLOYING_AUTHORITY}),
    A.VIEW_TRANSFER_REGISTER: frozenset({R.DEPLOYING_AUTHORITY, R.DATA_PROTECTION_OFFICER}),
    A.MANAGE_LEGAL_HOLDS: frozenset({R.DEPLOYING_AUTHORITY}),
    A.OVERSEE_PERSONAL_DATA: frozenset({R.DATA_PROTECTION_OFFICER}),
    # the information exchange (Art. 9): the space or document decides at object level (members
    # of the space, its managers, what the board opened to the Parliament, the board's
    # authorisation to override the personal-data guard)
    A.VIEW_EXCHANGE: STEERING_BOARD | {R.ILO, R.FACILITATOR, R.EP_READER},
    A.CONTRIBUTE_TO_EXCHANGE: STEERING_BOARD | {R.ILO, R.FACILITATOR},
    A.MANAGE_SPACE: STEERING_BOARD | {R.ILO, R.FACILITATOR},
    A.MANAGE_SPACES: BOARD_OFFICE,
    A.OPEN_TO_PARLIAMENT: BOARD_OFFICE,
    A.AUTHORISE_GUARD_OVERRIDES: BOARD_OFFICE,
    A.OVERRIDE_GUARD: STEERING_BOARD | {R.ILO, R.FACILITATOR},
    # following a space, folder or topic: its readers (object-level: the space or folder they read)
    A.FOLLOW_EXCHANGE: STEERING_BOARD | {R.ILO, R.FACILITATOR, R.EP_READER},
    # return coordination (RS 1, RS 2(c)): aggregates only; a return officer keeps their own member
    # state's register entries and reports its obstacles (object-level)
    A.VIEW_RETURN_INDICATORS: frozenset({R.RETURN_COORDINATOR, R.RETURN_OFFICER, R.CHAIR, R.SECRETARIAT}),
    A.LOAD_EUROSTAT: frozenset({R.RETURN_COORDINATOR}),
    A.MANAGE_RETURN_REGISTER: frozenset({R.RETURN_COORDINATOR, R.RETURN_OFFICER}),
    A.MANAGE_RETURN_COORDINATION: frozenset({R.RETURN_COORDINATOR}),
    A.REPORT_RETURN_OBSTACLE: frozenset({R.RETURN_COORDINATOR, R.RETURN_OFFICER}),
    # aggregates of a member state that keeps its own case system (RS, closing list): its own state
    A.SUBMIT_RETURN_AGGREGATES: frozenset({R.RETURN_OFFICER}),
    # return cases (RS 2(c)): a member state's return officers, their own state's cases only
    # (object-level); the Commission, agencies and the coordinator see aggregates only
    A.VIEW_RETURN_CASES: frozenset({R.RETURN_OFFICER}),
    A.RECORD_RETURN_EVENTS: frozenset({R.RETURN_OFFICER}),
    A.APPROVE_RETURN_STEPS: frozenset({R.RETURN_OFFICER}),
    A.SEARCH_RETURN_CASES: frozenset({R.RETURN_OFFICER}),
    # return cooperation between member states (RS 1, RS 2(b)): a return officer offers and
    # requests for their own member state only (object-level); the coordinator hosts joint
    # missions, keeps the directory and trainings, and reads the quarterly sums
    A.VIEW_RETURN_COOPERATION: frozenset({R.RETURN_COORDINATOR, R.RETURN_OFFICER}),
    A.OFFER_RETURN_CAPACITY: frozenset({R.RETURN_OFFICER}),
    A.REQUEST_RETURN_CAPACITY: frozenset({R.RETURN_OFFICER}),
    A.MANAGE_RETURN_MISSIONS: frozenset({R.RETURN_COORDINATOR, R.RETURN_OFFICER}),
    A.MANAGE_REINTEGRATION_DIRECTORY: frozenset({R.RETURN_COORDINATOR, R.RETURN_OFFICER}),
    A.MANAGE_PEER_SUPPORT: frozenset({R.RETURN_COORDINATOR, R.RETURN_OFFICER}),
    A.VIEW_COOPERATION_OVERVIEW: frozenset({R.RETURN_COORDINATOR}),
    # the operations page of the job queue
    A.VIEW_JOBS: ADMIN,
    A.MANAGE_JOBS: ADMIN,
}


def test_the_matrix_covers_every_action():
    assert set(EXPECTED) == set(Action)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_role_gets_exactly_the_expected_actions(make_user, role):
    user = make_user(role)
    policy.note_second_factor(user, time.time())  # a browser session, second factor just given
    granted = {action for action in Action if policy.can(user, action)}
    expected = {action for action, roles in EXPECTED.items() if role in roles}
    assert granted == expected


@pytest.mark.django_db
def test_a_user_without_roles_may_do_nothing(make_user):
    user = make_user(None)
    assert not any(policy.can(user, action) for action in Action)


@pytest.mark.django_db
def test_anonymous_and_inactive_users_are_denied_everything(make_user):
    from django.contrib.auth.models import AnonymousUser

    admin = make_user(Role.PLATFORM_ADMIN, is_active=False)
    for action in Action:
        assert not policy.can(AnonymousUser(), action)
        assert not policy.can(None, action)
        assert not policy.can(admin, action)


@pytest.mark.django_db
def test_an_expired_role_grants_nothing(make_user):
    from datetime import timedelta

    from django.utils import timezone

    user = make_user(Role.PLATFORM_ADMIN)
    today = timezone.localdate()
    user.role_assignments.update(valid_from=today - timedelta(days=30), valid_until=today - timedelta(days=1))
    policy.forget_roles(user)
    assert not policy.can(user, Action.MANAGE_USERS)


@pytest.mark.django_db
def test_a_read_only_token_cannot_write_even_for_an_admin(make_user):
    user = make_user(Role.PLATFORM_ADMIN)
    setattr(user, policy.TOKEN_SCOPE_ATTR, "read")
    assert policy.can(user, Action.VIEW_USERS)
    policy.note_second_factor(user, time.time())
    writing = [action for action in Action if action.writes]
    assert writing and not any(policy.can(user, action) for action in writing)


@pytest.mark.django_db
def test_step_up_actions_need_a_fresh_second_factor_and_no_token(make_user, settings):
    settings.SECOND_FACTOR_MAX_AGE_MINUTES = 10
    user = make_user(Role.ILO)
    assert not policy.can(user, Action.MANAGE_API_TOKENS)  # no second factor noted
    policy.note_second_factor(user, time.time() - 11 * 60)
    assert not policy.can(user, Action.MANAGE_API_TOKENS)  # too old
    policy.note_second_factor(user, time.time() - 9 * 60)
    assert policy.can(user, Action.MANAGE_API_TOKENS)
    setattr(user, policy.TOKEN_SCOPE_ATTR, "write")
    assert not policy.can(user, Action.MANAGE_API_TOKENS)  # never with an API token


def test_an_unknown_action_is_denied():
    class Fake:
        is_authenticated = True
        is_active = True

    user = Fake()
    policy.request_cache(user, "roles", lambda: [(Role.PLATFORM_ADMIN, None, "")])
    assert policy.can(user, Action.VIEW_USERS)
    assert not policy.can(user, "no.such.action")


@pytest.mark.django_db
def test_django_superuser_flag_grants_nothing(make_user):
    user = make_user(None, is_superuser=True, is_staff=True)
    assert not any(policy.can(user, action) for action in Action)


@pytest.mark.django_db
def test_denials_through_authorize_are_audited(make_user):
    from django.core.exceptions import PermissionDenied

    from ilonet.audit.models import AuditEvent

    user = make_user(Role.ILO)
    with pytest.raises(PermissionDenied):
        policy.authorize(user, Action.MANAGE_USERS)
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "permission.denied" and event.outcome == "denied"
    assert event.actor_id == user.pk and event.details["permission"] == "accounts.manage_users"


@pytest.mark.django_db
def test_scope_returns_nothing_without_a_scope_rule(make_user):
    from ilonet.accounts.models import RoleAssignment

    user = make_user(Role.PLATFORM_ADMIN)
    # VIEW_DIRECTORY is granted, but no scope rule exists for RoleAssignment rows.
    assert policy.scope(user, Action.VIEW_DIRECTORY, RoleAssignment.objects.all()).count() == 0


@pytest.mark.django_db
def test_a_refused_service_call_leaves_its_denial_in_the_audit_trail(make_user):
    """Services authorise before their transaction, so the refusal is not rolled back."""
    from django.core.exceptions import PermissionDenied

    from ilonet.accounts import services
    from ilonet.audit.models import AuditEvent
    from ilonet.directory import services as directory_services
    from ilonet.directory.models import Organisation

    officer = make_user(Role.ILO)
    with pytest.raises(PermissionDenied):
        services.create_user(actor=officer, email="x@example.eu", organisation=officer.organisation)
    with pytest.raises(PermissionDenied):
        directory_services.update_organisation(
            actor=officer, organisation=Organisation.objects.get(code="dk"), acronym="DK"
        )
    from ilonet.board import services as board_services

    with pytest.raises(PermissionDenied):
        board_services.propose_rules(actor=officer)
    denials = AuditEvent.objects.filter(action="permission.denied", actor_id=officer.pk)
    assert denials.count() == 3
