"""Who sees and acts on the job queue: the platform administrators (the operations page).
Role names are plain strings (the jobs app sits below accounts; accounts tests check them)."""

from ilonet import policy
from ilonet.policy.predicates import has_role

from .models import Job

PLATFORM_ADMIN = "platform_admin"

policy.register_rule(policy.Action.VIEW_JOBS, has_role(PLATFORM_ADMIN), basis="Platform administrators.")
policy.register_rule(policy.Action.MANAGE_JOBS, has_role(PLATFORM_ADMIN), basis="Platform administrators.")


@policy.register_scope(Job, policy.Action.VIEW_JOBS)
def _jobs_visible(user, qs):
    return qs
