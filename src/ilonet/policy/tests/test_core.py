"""The policy core: the bottom layer (no domain imports), one rule per action, every scope a
selector asks for is registered, and docs/permissions.md matches the registered rules."""

import ast
import importlib
from pathlib import Path

import pytest
import rules
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ilonet import policy
from ilonet.policy import tables
from ilonet.policy.checks import every_action_has_one_rule
from ilonet.policy.registry import register_rule, rules_for, scope_fn

POLICY_DIR = Path(policy.__file__).parent
SRC_DIR = POLICY_DIR.parent
DOMAIN_APPS = ("accounts", "directory", "deployments", "networks", "board")


def _imported_modules(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):  # walks function bodies too: lazy imports count
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_no_policy_module_imports_a_domain_app():
    offending = []
    for path in sorted(POLICY_DIR.rglob("*.py")):
        for name in _imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            if any(name == f"ilonet.{app}" or name.startswith(f"ilonet.{app}.") for app in DOMAIN_APPS):
                offending.append(f"{path.relative_to(SRC_DIR)}: {name}")
    assert not offending, "The policy core must not import a domain app:\n" + "\n".join(offending)


def test_the_import_scan_sees_imports_inside_functions():
    tree = ast.parse("def f():\n    from ilonet.board.selectors import x\n    import ilonet.accounts\n")
    assert {"ilonet.board.selectors", "ilonet.accounts"} <= set(_imported_modules(tree))


def test_every_action_has_exactly_one_rule():
    assert every_action_has_one_rule() == []
    assert all(len(rules_for(action)) == 1 for action in policy.Action)


def test_a_second_rule_for_an_action_is_refused_at_start_up():
    with pytest.raises(ImproperlyConfigured):
        register_rule(policy.Action.VIEW_BOARD, rules.always_allow)
    assert len(rules_for(policy.Action.VIEW_BOARD)) == 1


def test_every_action_declares_whether_it_writes():
    assert all(isinstance(action.writes, bool) for action in policy.Action)
    assert all(action.writes for action in policy.Action if action.step_up)
    assert policy.Action.VOTE.writes and not policy.Action.VIEW_BOARD.writes


def _scope_calls():
    """(module, line, model name, action name) of each ``policy.scope(user, policy.Action.X,
    Model.objects...)`` in the source (calls with a computed action or model are skipped)."""
    for path in sorted(SRC_DIR.rglob("*.py")):
        if "tests" in path.parts or POLICY_DIR in path.parents:
            continue
        module = ".".join(path.relative_to(SRC_DIR.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "policy.scope"):
                continue
            if len(node.args) != 3:
                continue
            action, queryset = node.args[1], node.args[2]
            model = queryset
            while isinstance(model, ast.Call | ast.Attribute):
                model = model.func if isinstance(model, ast.Call) else model.value
            if isinstance(action, ast.Attribute) and isinstance(model, ast.Name):
                yield module, node.lineno, model.id, action.attr


def test_every_scope_a_selector_asks_for_is_registered():
    calls = list(_scope_calls())
    assert len(calls) > 20  # the scan finds the selectors' calls
    missing = []
    for module, line, model_name, action_name in calls:
        model = getattr(importlib.import_module(module), model_name, None)
        if not isinstance(model, type):  # a parameter (e.g. ``model.objects``): computed, skipped
            continue
        if scope_fn(model, policy.Action[action_name]) is None:
            missing.append(f"{module}:{line} ({model_name}, {action_name})")
    assert not missing, "No scope registered for:\n" + "\n".join(missing)


def test_docs_permissions_md_is_generated_from_the_rules():
    committed = (Path(settings.BASE_DIR) / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert committed == tables.render(), (
        "docs/permissions.md is stale: run `python manage.py permission_tables` and commit it."
    )


def test_the_tables_show_each_role_alone():
    text = tables.render()
    row = next(line for line in text.splitlines() if line.startswith("| `accounts.manage_users`"))
    assert row.count("✓") == 1  # the platform administrator only
