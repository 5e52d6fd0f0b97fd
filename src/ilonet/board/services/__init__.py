"""Write-side functions of the steering board, one module per seam. Each checks the policy, validates
everything, writes inside one transaction and records its audit event in the same transaction."""

from ..selectors.composition import AGENCY_CODES, COMMISSION_CODE, COMMISSION_SEATS
from .agenda import (
    move_agenda_item,
    remove_agenda_item,
    update_agenda_item,
)
from .composition import (
    SyncResult,
    appoint,
    end_membership,
    record_members_list_read,
    sync_composition,
)
from .meetings import (
    add_agenda_item,
    cancel_meeting,
    create_meeting,
    invite,
    record_attendance,
    record_minutes,
    record_past_meeting,
    update_meeting,
    upload_document,
)
from .motions import (
    amend_motion,
    close_due_motions,
    close_motion,
    create_motion,
    extend_deadline,
    mark_passed_on,
    open_motion,
    withdraw_motion,
)
from .programme import (
    add_evaluation,
    add_programme_item,
    create_programme,
    mark_programme_sent,
    record_ad_hoc_action,
    record_training,
    set_item_status,
    update_ad_hoc_action,
)
from .reminders import issue_due_reminders
from .reports import (
    create_report,
    mark_report_sent,
    update_report,
)
from .rules import (
    RULES_FIELDS,
    propose_rules,
    update_rules,
)
from .votes import (
    CastVote,
    cast_vote,
    comment,
    grant_proxy,
)

__all__ = [
    "move_agenda_item",
    "remove_agenda_item",
    "update_agenda_item",
    "AGENCY_CODES",
    "COMMISSION_CODE",
    "COMMISSION_SEATS",
    "CastVote",
    "RULES_FIELDS",
    "SyncResult",
    "add_agenda_item",
    "add_evaluation",
    "add_programme_item",
    "amend_motion",
    "appoint",
    "cancel_meeting",
    "cast_vote",
    "close_due_motions",
    "close_motion",
    "comment",
    "create_meeting",
    "create_motion",
    "create_programme",
    "create_report",
    "end_membership",
    "extend_deadline",
    "grant_proxy",
    "invite",
    "issue_due_reminders",
    "mark_passed_on",
    "mark_programme_sent",
    "mark_report_sent",
    "open_motion",
    "propose_rules",
    "record_ad_hoc_action",
    "record_attendance",
    "record_members_list_read",
    "record_minutes",
    "record_past_meeting",
    "record_training",
    "set_item_status",
    "sync_composition",
    "update_ad_hoc_action",
    "update_meeting",
    "update_report",
    "update_rules",
    "upload_document",
    "withdraw_motion",
]
