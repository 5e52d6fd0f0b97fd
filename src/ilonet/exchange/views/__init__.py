from .access import (
    authorisation_list,
    authorisation_revoke,
    opening_create,
    opening_list,
    opening_withdraw,
)
from .documents import (
    break_check_out,
    check_in,
    check_out,
    document_delete,
    document_detail,
    document_download,
    document_edit,
    document_move,
    document_restore,
    document_upload,
    folder_upload,
    version_restore,
    version_upload,
)
from .spaces import (
    folder_create,
    folder_delete,
    folder_detail,
    folder_restore,
    folder_zip,
    space_bin,
    space_detail,
    space_list,
    space_members,
    space_zip,
    working_group_create,
)

__all__ = [
    "authorisation_list", "authorisation_revoke", "break_check_out", "check_in", "check_out",
    "document_delete", "document_detail", "document_download", "document_edit", "document_move",
    "document_restore", "document_upload", "folder_create", "folder_delete", "folder_detail",
    "folder_restore", "folder_upload", "folder_zip", "opening_create", "opening_list",
    "opening_withdraw", "space_bin", "space_detail", "space_list", "space_members", "space_zip",
    "version_restore", "version_upload", "working_group_create",
]  # fmt: skip
