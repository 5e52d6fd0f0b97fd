"""Accounts owns the role vocabulary; the policy core only sees plain role names."""

from ilonet import policy
from ilonet.accounts.roles import Role
from ilonet.accounts.selectors import current_role_tuples
from ilonet.policy.registry import referenced_roles, role_provider


def test_every_role_name_a_rule_asks_for_is_a_role():
    assert referenced_roles, "the apps' policies modules were not loaded"
    unknown = referenced_roles - set(Role.values)
    assert not unknown, f"Rules ask for roles that do not exist: {sorted(unknown)}"


def test_accounts_registers_the_source_of_roles_at_start_up():
    assert role_provider.lookup is current_role_tuples
    assert [value for value, _label in role_provider.choices] == list(Role.values)


def test_without_a_role_source_nobody_holds_a_role(monkeypatch):
    class Person:
        is_authenticated = True
        is_active = True

    monkeypatch.setattr(role_provider, "lookup", None)
    assert policy.roles_of(Person()) == []
    assert not policy.can(Person(), policy.Action.VIEW_DIRECTORY)
