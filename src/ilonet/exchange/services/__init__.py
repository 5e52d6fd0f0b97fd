"""Write-side functions of the exchange. Each takes the actor, asks the policy first and writes
its audit event in the same transaction; a refused or invalid write stores nothing."""

from .documents import (
    delete_document,
    expire_due_documents,
    move_document,
    record_download,
    record_folder_download,
    restore_document,
    sweep_orphaned_files,
    update_document,
    upload_document,
)
from .follows import follow, unfollow, unfollow_by_id
from .parliament import (
    authorise_overrides,
    open_to_parliament,
    revoke_override_authorisation,
    withdraw_opening,
)
from .spaces import (
    add_member,
    create_folder,
    create_working_group,
    delete_folder,
    ensure_board_space,
    ensure_network_spaces,
    remove_member,
    restore_folder,
    space_for_new_network,
)
from .versions import break_check_out, check_in, check_out, restore_version, upload_version

__all__ = [
    "add_member",
    "authorise_overrides",
    "break_check_out",
    "check_in",
    "check_out",
    "create_folder",
    "create_working_group",
    "delete_document",
    "delete_folder",
    "ensure_board_space",
    "ensure_network_spaces",
    "expire_due_documents",
    "follow",
    "move_document",
    "open_to_parliament",
    "record_download",
    "record_folder_download",
    "remove_member",
    "restore_document",
    "restore_folder",
    "restore_version",
    "revoke_override_authorisation",
    "space_for_new_network",
    "sweep_orphaned_files",
    "unfollow",
    "unfollow_by_id",
    "update_document",
    "upload_document",
    "upload_version",
    "withdraw_opening",
]
