"""Pages of return case management for the member states' return officers (RS 2(c))."""

from .case import (
    case_detail,
    clear_flag,
    decide_approval,
    open_case,
    record_event,
    release_hold,
    set_flag,
)
from .imports import decide_duplicate, duplicate_queue, import_detail, import_list, import_progress
from .lists import case_list, search, worklist

__all__ = [
    "case_detail",
    "case_list",
    "clear_flag",
    "decide_approval",
    "decide_duplicate",
    "duplicate_queue",
    "import_detail",
    "import_list",
    "import_progress",
    "open_case",
    "record_event",
    "release_hold",
    "search",
    "set_flag",
    "worklist",
]
