"""One vocabulary of audit actions: every ``action=`` passed to the audit services in ``src`` is
an ``AuditAction``, and the services refuse anything else."""

import ast
from pathlib import Path

import pytest

from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import AuditEvent

SRC = Path(__file__).resolve().parents[3]  # src/
AUDIT_CALLS = {"record", "record_many", "record_change"}  # record_denial takes a permission
# Action names built at run time, and what they expand to (each construction site).
TEMPLATES = {
    # board.services._mark_sent(actor, obj, kind): called with "programme" and "report" (Art. 8(2))
    "board.{kind}.sent_to_ep": {"programme", "report"},
    # deployments.services._notify(kind=NotificationKind…) (Art. 4(1))
    "deployment.{kind}": "NotificationKind",
}
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


def _template(value: ast.JoinedStr) -> str:
    return "".join(
        part.value if isinstance(part, ast.Constant) else "{" + ast.unparse(part.value) + "}"
        for part in value.values
    )


def _expansions(template: str) -> set[str]:
    kinds = TEMPLATES[template]
    if kinds == "NotificationKind":
        from ilonet.deployments.models import NotificationKind

        kinds = {kind.value for kind in NotificationKind}
    return {template.format(kind=kind) for kind in kinds}


def test_every_action_passed_to_the_audit_services_is_an_audit_action():
    unknown, found = [], 0
    for path, line, value in _audit_calls():
        found += 1
        where = f"{path}:{line}"
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            names = {value.value}
        elif isinstance(value, ast.JoinedStr):
            template = _template(value)
            if template not in TEMPLATES:
                unknown.append(f"{where}: constructed name {template!r} (list it in TEMPLATES)")
                continue
            names = _expansions(template)
        elif isinstance(value, ast.Attribute) and ast.unparse(value).startswith("AuditAction."):
            names = {getattr(AuditAction, value.attr, None)}
        elif isinstance(value, ast.Name) and path in PASS_THROUGH:
            continue
        else:
            unknown.append(f"{where}: {ast.unparse(value)} is not a literal or an AuditAction member")
            continue
        unknown += [f"{where}: {name!r}" for name in names if name not in set(AuditAction)]
    assert found > 60, "the scan should see every audited call site"
    assert not unknown, "not in ilonet.audit.actions.AuditAction:\n" + "\n".join(unknown)


def test_every_constructed_action_name_expands_to_members():
    for template in TEMPLATES:
        assert _expansions(template) <= set(AuditAction), template


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
    by_value = audit.record(action="board.motion.open")
    assert AuditEvent.objects.get(seq=by_member.seq).action == "board.motion.open"
    assert AuditEvent.objects.get(seq=by_value.seq).action == "board.motion.open"
