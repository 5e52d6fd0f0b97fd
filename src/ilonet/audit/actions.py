"""Every audit action name, in one enumeration: ``audit.services.record`` refuses any other.

One style: ``domain.object_verb``, the verb as a past participle (an audit event records a
fact: ``board.meeting_created``, ``auth.logged_in``). Call sites pass members
(``AuditAction.BOARD_MEETING_CREATED``), never strings.

A new audited action is added here first; ``tests/test_actions.py`` scans every ``action=``
passed to ``record``, ``record_many`` and ``record_change`` in ``src`` and fails on anything
that is not a member. (``record_denial(action=…)`` takes a policy permission, stored in the
details of a ``permission.denied`` event; it is not an audit action.) Events written before the
names were unified (a development database) keep their old names: re-seed the demo.
"""

from enum import StrEnum


class AuditAction(StrEnum):
    # generic record changes (directory, accounts, networks)
    RECORD_CREATED = "record.created"
    RECORD_UPDATED = "record.updated"
    PERSONAL_DATA_READ = "personal_data.read"
    PERMISSION_DENIED = "permission.denied"
    AUDIT_EXPORTED = "audit.exported"
    DEMO_SEEDED = "demo.seeded"

    # accounts, sign-in and second factor
    ROLE_GRANTED = "role.granted"
    ROLE_REVOKED = "role.revoked"
    ROLE_GRANT_REFUSED = "role.grant_refused"  # a self-grant (issue 7)
    ROLE_GRANT_REQUESTED = "role.grant_requested"  # pending a second administrator
    ROLE_CONFIRMED = "role.confirmed"
    ACCOUNT_INVITATION_SENT = "account.invitation_sent"  # a new invitation voids the earlier ones
    ACCOUNT_INVITATION_REVOKED = "account.invitation_revoked"
    ACCOUNT_INVITATION_ACCEPTED = "account.invitation_accepted"  # the invitee set a password
    ACCOUNT_INVITATION_REFUSED = "account.invitation_refused"  # an expired, used or revoked link
    API_TOKEN_ISSUED = "api_token.issued"
    API_TOKEN_REVOKED = "api_token.revoked"
    AUTH_LOGGED_IN = "auth.logged_in"
    AUTH_LOGGED_OUT = "auth.logged_out"
    AUTH_LOGIN_FAILED = "auth.login_failed"
    AUTH_LOCKED_OUT = "auth.locked_out"
    AUTH_LOGIN_LOCKED_OUT = "auth.login_locked_out"  # a sign-in refused during a lockout
    MFA_ADDED = "mfa.added"
    MFA_REMOVED = "mfa.removed"
    MFA_RESET = "mfa.reset"
    MFA_FAILED = "mfa.failed"

    # deployments: one per notification kind (f"deployment.{kind}", NotificationKind, Art. 4(1))
    DEPLOYMENT_PLANNED = "deployment.planned"
    DEPLOYMENT_STARTED = "deployment.started"
    DEPLOYMENT_CHANGED = "deployment.changed"
    DEPLOYMENT_ENDED = "deployment.ended"
    DEPLOYMENT_CANCELLED = "deployment.cancelled"
    DEPLOYMENT_CONTACTS_ERASED = "deployment.contacts_erased"  # Art. 9(2)(d): officers' keys destroyed

    # directory
    DIRECTORY_PARTICIPATION_SET = "directory.participation_set"  # recital 31, 33

    # networks
    NETWORK_FACILITATOR_NOTIFIED = "network.facilitator_notified"
    NETWORK_FACILITATOR_AGREED = "network.facilitator_agreed"
    NETWORK_ASSOCIATE_ADDED = "network.associate_added"
    NETWORK_ASSOCIATE_LEFT = "network.associate_left"

    # steering board
    BOARD_COMPOSITION_SYNCED = "board.composition_synced"
    BOARD_MEMBERSHIP_CREATED = "board.membership_created"
    BOARD_MEMBERSHIP_ENDED = "board.membership_ended"
    BOARD_MEMBER_DETAILS_ERASED = "board.member_details_erased"  # Art. 9(2)(c): members' keys destroyed
    BOARD_MEMBER_LIST_NAME_UPDATED = "board.member_list_name_updated"  # Art. 9(2)(c): the account's new name
    BOARD_MEETING_CREATED = "board.meeting_created"
    BOARD_MEETING_UPDATED = "board.meeting_updated"
    BOARD_MEETING_CANCELLED = "board.meeting_cancelled"
    BOARD_MEETING_INVITED = "board.meeting_invited"
    BOARD_MEETING_ATTENDANCE_RECORDED = "board.attendance_recorded"
    BOARD_MEETING_MINUTES_RECORDED = "board.minutes_recorded"
    BOARD_AGENDA_ITEM_ADDED = "board.agenda_item_added"
    BOARD_AGENDA_ITEM_UPDATED = "board.agenda_item_updated"
    BOARD_AGENDA_ITEM_MOVED = "board.agenda_item_moved"
    BOARD_AGENDA_ITEM_REMOVED = "board.agenda_item_removed"
    BOARD_DOCUMENT_UPLOADED = "board.document_uploaded"

    # information exchange (Art. 9)
    EXCHANGE_SPACE_CREATED = "exchange.space_created"
    EXCHANGE_SPACE_MEMBER_ADDED = "exchange.space_member_added"
    EXCHANGE_SPACE_MEMBER_REMOVED = "exchange.space_member_removed"
    EXCHANGE_FOLDER_CREATED = "exchange.folder_created"
    EXCHANGE_FOLDER_DELETED = "exchange.folder_deleted"
    EXCHANGE_FOLDER_RESTORED = "exchange.folder_restored"
    EXCHANGE_DOCUMENT_UPLOADED = "exchange.document_uploaded"
    EXCHANGE_DOCUMENT_REFUSED = "exchange.document_refused"  # personal data found (Art. 9(3))
    EXCHANGE_DOCUMENT_UPDATED = "exchange.document_updated"
    EXCHANGE_VERSION_UPLOADED = "exchange.version_uploaded"
    EXCHANGE_VERSION_RESTORED = "exchange.version_restored"
    EXCHANGE_DOCUMENT_DOWNLOADED = "exchange.document_downloaded"
    EXCHANGE_FOLDER_DOWNLOADED = "exchange.folder_downloaded"
    EXCHANGE_DOCUMENT_CHECKED_OUT = "exchange.document_checked_out"
    EXCHANGE_DOCUMENT_CHECKED_IN = "exchange.document_checked_in"
    EXCHANGE_CHECK_OUT_BROKEN = "exchange.check_out_broken"
    EXCHANGE_DOCUMENT_MOVED = "exchange.document_moved"
    EXCHANGE_DOCUMENT_DELETED = "exchange.document_deleted"
    EXCHANGE_DOCUMENT_RESTORED = "exchange.document_restored"
    EXCHANGE_DOCUMENT_EXPIRED = "exchange.document_expired"
    EXCHANGE_GUARD_OVERRIDDEN = "exchange.guard_overridden"
    EXCHANGE_OVERRIDE_AUTHORISED = "exchange.override_authorised"
    EXCHANGE_OVERRIDE_REVOKED = "exchange.override_revoked"
    EXCHANGE_PARLIAMENT_OPENED = "exchange.parliament_opened"
    EXCHANGE_PARLIAMENT_WITHDRAWN = "exchange.parliament_withdrawn"
    BOARD_RULES_PROPOSED = "board.rules_proposed"
    BOARD_RULES_UPDATED = "board.rules_updated"
    BOARD_MOTION_CREATED = "board.motion_created"
    BOARD_MOTION_AMENDED = "board.motion_amended"
    BOARD_MOTION_OPENED = "board.motion_opened"
    BOARD_MOTION_DEADLINE_CHANGED = "board.motion_deadline_changed"
    BOARD_MOTION_WITHDRAWN = "board.motion_withdrawn"
    BOARD_MOTION_COMMENTED = "board.motion_commented"
    BOARD_MOTION_CLOSED = "board.motion_closed"
    BOARD_VOTE_CAST = "board.vote_cast"
    BOARD_PROXY_GRANTED = "board.proxy_granted"
    BOARD_DECISION_PASSED_ON = "board.decision_passed_on"
    BOARD_VOTE_RECORD_EXPORTED = "board.vote_record_exported"
    BOARD_PROGRAMME_CREATED = "board.programme_created"
    BOARD_PROGRAMME_ITEM_ADDED = "board.programme_item_added"
    BOARD_PROGRAMME_ITEM_STATUS_CHANGED = "board.programme_item_status_changed"
    BOARD_PROGRAMME_EVALUATED = "board.programme_evaluated"
    BOARD_PROGRAMME_SENT_TO_EP = "board.programme_sent_to_ep"
    BOARD_REPORT_SENT_TO_EP = "board.report_sent_to_ep"
    BOARD_AD_HOC_ACTION_CREATED = "board.ad_hoc_action_created"
    BOARD_AD_HOC_ACTION_UPDATED = "board.ad_hoc_action_updated"
    BOARD_TRAINING_CREATED = "board.training_created"
    BOARD_REPORT_CREATED = "board.report_created"
    BOARD_REPORT_UPDATED = "board.report_updated"
    BOARD_REMINDER_ISSUED = "board.reminder_issued"  # Art. 7(7), Art. 8(1), Art. 8(2)(d): to the chair

    # ILO situation reports (Art. 3(4)) and the Commission's evidence pack (Art. 12)
    SITUATION_REPORT_CREATED = "situation_report.created"
    SITUATION_REPORT_UPDATED = "situation_report.updated"
    SITUATION_REPORT_SUBMITTED = "situation_report.submitted"
    SITUATION_REPORT_RETURNED = "situation_report.returned"
    SITUATION_REPORT_REFUSED = (
        "situation_report.refused"  # the personal-data guard found something (Art. 9(3))
    )
    EVIDENCE_PACK_EXPORTED = "evidence_pack.exported"  # Art. 12(2)
    # personal data of Art. 10: every read of a record is an event (the access log)
    PERSONAL_RECORD_CREATED = "personaldata.record_created"
    PERSONAL_RECORD_READ = "personaldata.record_read"
    PERSONAL_RECORD_REFUSED = "personaldata.record_refused"
    PERSONAL_RECORDS_SEARCHED = "personaldata.records_searched"
    PERSONAL_RECORD_ERASED = "personaldata.record_erased"
    PERSONAL_HOLD_PLACED = "personaldata.hold_placed"
    PERSONAL_HOLD_LIFTED = "personaldata.hold_lifted"
    PERSONAL_PURPOSE_ASSIGNED = "personaldata.purpose_assigned"
    PERSONAL_PURPOSE_REVOKED = "personaldata.purpose_revoked"
    PERSONAL_SHARE_CREATED = "personaldata.share_created"
    PERSONAL_SHARE_WITHDRAWN = "personaldata.share_withdrawn"
    PERSONAL_TRANSFER_RECORDED = "personaldata.transfer_recorded"
    PERSONAL_TRANSFER_REFUSED = "personaldata.transfer_refused"
    PERSONAL_KEYS_ROTATED = "personaldata.keys_rotated"
    PERSONAL_ACCESS_LOG_EXPORTED = "personaldata.access_log_exported"
    # return coordination (RS 1, RS 2(c), the strategy's indicators)
    INDICATORS_EUROSTAT_LOADED = "indicators.eurostat_loaded"
    INDICATORS_CAPABILITY_RECORDED = "indicators.capability_recorded"
    INDICATORS_TARGET_UPDATED = "indicators.target_updated"
    INDICATORS_MEETING_RECORDED = "indicators.meeting_recorded"
    INDICATORS_PRIORITY_SET = "indicators.priority_set"
    INDICATORS_JOINT_ACTION_RECORDED = "indicators.joint_action_recorded"
    INDICATORS_OBSTACLE_REPORTED = "indicators.obstacle_reported"
    INDICATORS_OBSTACLE_UPDATED = "indicators.obstacle_updated"
    INDICATORS_REPORT_REQUESTED = "indicators.report_requested"
    INDICATORS_REPORT_BUILT = "indicators.report_built"
    INDICATORS_AGGREGATES_SUBMITTED = "indicators.aggregates_submitted"
    # return cases (RS 2(a), RS 2(b), RS 2(c)): references and kinds only, never the person
    RETURN_CASE_OPENED = "returns.case_opened"
    RETURN_EVENT_RECORDED = "returns.event_recorded"
    RETURN_IDENTITY_CHANGED = "returns.identity_changed"
    RETURN_APPROVAL_DECIDED = "returns.approval_decided"
    RETURN_APPROVAL_REVOKED = "returns.approval_revoked"
    RETURN_FLAG_SET = "returns.flag_set"
    RETURN_FLAG_CLEARED = "returns.flag_cleared"
    RETURN_OBSTACLE_FLAGGED = "returns.obstacle_flagged"
    RETURN_OBSTACLE_RESOLVED = "returns.obstacle_resolved"
    RETURN_CASES_ERASED = "returns.cases_erased"
    RETURN_CASES_SEARCHED = "returns.cases_searched"
    RETURN_REMINDER_SENT = "returns.reminder_sent"

    # return cooperation between member states (RS 1, RS 2(b))
    COOPERATION_OFFER_PUBLISHED = "cooperation.offer_published"
    COOPERATION_OFFER_WITHDRAWN = "cooperation.offer_withdrawn"
    COOPERATION_PLACES_REQUESTED = "cooperation.places_requested"
    COOPERATION_PLACES_ANSWERED = "cooperation.places_answered"
    COOPERATION_PLACE_USED = "cooperation.place_used"
    COOPERATION_FLIGHT_ANNOUNCED = "cooperation.flight_announced"
    COOPERATION_SEATS_REQUESTED = "cooperation.seats_requested"
    COOPERATION_SEATS_ALLOCATED = "cooperation.seats_allocated"
    COOPERATION_SEATS_TAKEN = "cooperation.seats_taken"
    COOPERATION_SEATS_RELEASED = "cooperation.seats_released"
    COOPERATION_MISSION_RECORDED = "cooperation.mission_recorded"
    COOPERATION_MISSION_UPDATED = "cooperation.mission_updated"
    COOPERATION_OPPORTUNITY_RECORDED = "cooperation.opportunity_recorded"
    COOPERATION_OPPORTUNITY_REVIEWED = "cooperation.opportunity_reviewed"
    COOPERATION_SUPPORT_RECORDED = "cooperation.support_recorded"
    COOPERATION_UPTAKE_RECORDED = "cooperation.uptake_recorded"
    COOPERATION_DEADLINES_NOTIFIED = "cooperation.deadlines_notified"

    # background work: what administrators do on the operations page
    JOB_RETRIED = "job.retried"
    JOB_CANCELLED = "job.cancelled"

    # notifications: a user's choices of e-mail per kind
    NOTIFICATION_PREFERENCES_CHANGED = "notification.preferences_changed"

    # return-case interchange (issue 13, items 7 and 8): one event per import batch, not per row
    RETURN_IMPORT_STARTED = "returns.import_started"
    RETURN_IMPORT_BATCH_COMMITTED = "returns.import_batch_committed"
    RETURN_CASES_EXPORTED = "returns.cases_exported"
    RETURN_DUPLICATE_MERGED = "returns.duplicate_merged"
    RETURN_DUPLICATE_SEPARATED = "returns.duplicate_separated"


def checked(action: str) -> AuditAction:
    """The member for ``action``; a ``ValueError`` naming the module to extend otherwise."""
    try:
        return AuditAction(action)
    except ValueError:
        raise ValueError(
            f"{action!r} is not an audit action: add it to ilonet.audit.actions.AuditAction."
        ) from None
