"""Which member states a return officer acts for (RS 2(c)): the scope of each of their
return-officer roles, else their own organisation's member state. Cached for the request."""

from __future__ import annotations

from typing import Any

from ilonet import policy
from ilonet.directory import selectors as directory

RETURN_OFFICER = "return_officer"


def member_states_of(user: Any) -> frozenset[str]:
    """ISO codes of the member states whose cases the user works on (empty for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()

    def compute() -> frozenset[str]:
        ids = [
            org_id if org_id is not None else user.organisation_id
            for role, org_id, _ref in policy.roles_of(user)
            if role == RETURN_OFFICER
        ]
        return frozenset(directory.member_state_codes([i for i in ids if i is not None]))

    return policy.request_cache(user, "returns.member_states", compute)
