"""Reading return cases (RS 2(c)): the public read API.

Each function authorises, reads inside the member-state scope of ``rls.py`` (so on PostgreSQL
row-level security holds as a second wall) and returns materialised values (dataclasses, lists of
dicts): nothing lazy is left to evaluate outside the scope. Every read of a case writes an entry
of the personal-data access log (``personaldata.access.log_read``) in the same transaction.

- ``case_detail(user, reference, via)`` -> ``CaseView`` (the person opened, timeline, approvals,
  flags, worklist rules, obstacles, the kinds of event that may follow)
- ``read_person(user, case, via)`` -> the person opened from its seal (None once erased), the
  read logged in the access log (for a caller that has the case already, authorised)
- ``worklist(user, rule="", after=None, before=None, size=25, today=None)`` -> ``Page`` (keyset pages)
- ``case_list(user, stage="", status="", after=None, before=None, size=25)`` -> ``Page``
- ``find_by_reference(user, reference)`` -> reference or None
- ``search_by_name(user, name, via)`` -> list of case rows (blind index; a POST, never a URL)
- ``approvals_waiting(user, after=None, size=25)`` -> ``Page``
- ``obstacle_rollup(user=None, member_state="", third_country="")`` -> counts, no personal data
- ``case_rollup(user=None)`` -> counts per member state, case type, stage and status
- ``is_case_of(member_state, reference)``, ``keeps_cases_here(member_state)``,
  ``states_with_open_cases(country, among=...)``, ``open_case_references(...)``: for the
  cooperation's links, yes/no, state codes and references only
"""

from .cases import (
    CaseView,
    case_detail,
    case_list,
    find_by_reference,
    next_kinds,
    read_person,
    search_by_name,
)
from .paging import Page
from .rollups import (
    case_rollup,
    is_case_of,
    keeps_cases_here,
    obstacle_rollup,
    open_case_references,
    states_with_open_cases,
)
from .worklist import approvals_waiting, worklist

__all__ = [
    "CaseView",
    "Page",
    "approvals_waiting",
    "case_detail",
    "case_list",
    "case_rollup",
    "find_by_reference",
    "is_case_of",
    "keeps_cases_here",
    "next_kinds",
    "obstacle_rollup",
    "open_case_references",
    "read_person",
    "search_by_name",
    "states_with_open_cases",
    "worklist",
]
