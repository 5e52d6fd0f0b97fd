"""Start-up checks: every action has exactly one rule (``manage.py check``, and every test
run through Django's start-up)."""

from django.core import checks

from .actions import Action
from .registry import rules_for


@checks.register("policy")
def every_action_has_one_rule(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for action in Action:
        found = rules_for(action)
        if len(found) != 1:
            errors.append(
                checks.Error(
                    f"Action {action} has {len(found)} rules; it needs exactly one.",
                    hint="Register it with policy.register_rule in its app's policies.py.",
                    id="ilonet.policy.E001",
                )
            )
    return errors
