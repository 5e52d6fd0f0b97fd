"""One vocabulary of audit actions: every ``action=`` passed to the audit services in ``src`` is
an ``AuditAction``, and the services refuse anything else."""

import ast
import importlib
from pathlib import Path

import pytest

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import AuditEvent

SRC = Path(__file__).resolve().parents[3]  # src/
AUDIT_CALLS = {"record", "record_many", "record_change"}  # record_denial takes a permission
# Where a variable is passed on: the audit services themselves.
PASS_THROUGH = {Path("ilonet/audit/services.py")}


def _audit_calls():
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in AUDIT_CALLS:
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    yield path.relative_to(SRC), node.lineno, keyword.value


def _members_in(value: ast.expr, path: Path) -> list[str] | None:
    """The members an ``action=`` expression names: ``AuditAction.X``, a choice between members
    (``AuditAction.A if … else AuditAction.B``), or a lookup in a module-level table whose
    values are all members (``ACTIONS[kind]``); None for anything else."""
    if isinstance(value, ast.Attribute) and ast.unparse(value.value) == "AuditAction":
        return [value.attr]
    if isinstance(value, ast.IfExp):
        body, orelse = _members_in(value.body, path), _members_in(value.orelse, path)
        return None if body is None or orelse is None else body + orelse
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
        module = importlib.import_module(".".join(path.with_suffix("").parts))
        table = getattr(module, value.value.id, None)
        if isinstance(table, dict) and table and all(isinstance(v, AuditAction) for v in table.values()):
            return [v.name for v in table.values()]
    return None


def test_every_action_passed_to_the_audit_services_is_an_audit_action_member():
    """No free strings: a call site names a member, so a typo fails at import, not in the trail."""
    wrong, found = [], 0
    for path, line, value in _audit_calls():
        if "tests" in path.parts or (isinstance(value, ast.Name) and path in PASS_THROUGH):
            continue
        found += 1
        members = _members_in(value, path)
        if members is None:
            wrong.append(f"{path}:{line}: {ast.unparse(value)} (pass an AuditAction member)")
        else:
            wrong += [
                f"{path}:{line}: AuditAction.{m} does not exist"
                for m in members
                if m not in AuditAction.__members__
            ]
    assert found > 60, "the scan should see every audited call site"
    assert not wrong, "\n".join(wrong)


def test_audit_action_names_follow_one_style():
    """``domain.object_verb``: lower case, one dot."""
    import re

    odd = [a.value for a in AuditAction if not re.fullmatch(r"[a-z_]+\.[a-z_]+", a.value)]
    assert not odd, odd


@pytest.mark.django_db
@pytest.mark.parametrize("call", ["record", "record_many", "record_change"])
def test_the_audit_services_refuse_an_action_that_is_not_an_audit_action(call):
    before = AuditEvent.objects.count()
    kwargs = {
        "record": {},
        "record_many": {"actor": None, "objects": [None]},
        "record_change": {"actor": None, "obj": None},
    }[call]
    with pytest.raises(ValueError, match="'board.motion.teleport' is not an audit action"):
        getattr(audit, call)(action="board.motion.teleport", **kwargs)
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_member_and_its_value_record_the_same_action():
    by_member = audit.record(action=AuditAction.BOARD_MOTION_OPENED)
    by_value = audit.record(action="board.motion_opened")
    assert AuditEvent.objects.get(seq=by_member.seq).action == "board.motion_opened"
    assert AuditEvent.objects.get(seq=by_value.seq).action == "board.motion_opened"
