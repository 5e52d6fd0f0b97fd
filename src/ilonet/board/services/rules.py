"""Rules of procedure (Art. 8(1))."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction

from ..models import (
    MotionStatus,
    RulesOfProcedure,
    RulesStatus,
    SecretBallot,
)
from .common import A, _clean, _save_new

# --- rules of procedure (Art. 8(1)) ---------------------------------------------------------------

RULES_FIELDS = (
    "title",
    "text",
    "proxies_allowed",
    "max_proxies_per_holder",
    "quorum_percent",
    "secret_ballot",
    "written_procedure_allowed",
    "written_procedure_min_days",
)


def _check_rules(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("Give the rules a title.")
    if not (values.get("text") or "").strip():
        errors["text"] = _("Write the text of the rules of procedure.")
    if not 0 <= int(values.get("quorum_percent") or 0) <= 100:
        errors["quorum_percent"] = _("The quorum is a percentage between 0 and 100.")
    if not 1 <= int(values.get("max_proxies_per_holder") or 0) <= 5:
        errors["max_proxies_per_holder"] = _("A member may hold between 1 and 5 proxies.")
    if values.get("secret_ballot") not in SecretBallot.values:
        errors["secret_ballot"] = _("Choose how secret ballots are used.")
    if not 1 <= int(values.get("written_procedure_min_days") or 0) <= 60:
        errors["written_procedure_min_days"] = _("A written procedure runs between 1 and 60 days.")
    if errors:
        raise ValidationError(errors)


def propose_rules(*, actor, **values: Any) -> RulesOfProcedure:
    """A new version of the rules of procedure, on the chair's proposal (Art. 8(1))."""
    policy.authorize(actor, A.PROPOSE_RULES)
    with transaction.atomic():
        unknown = set(values) - set(RULES_FIELDS)
        if unknown:
            raise ValidationError(_("These fields cannot be set: %s") % ", ".join(sorted(unknown)))
        defaults = {f.name: f.default for f in RulesOfProcedure._meta.fields if f.name in RULES_FIELDS}
        merged = {**defaults, **values}
        _check_rules(merged)
        # Versions are numbered in order; the lock on the latest row serialises two proposals.
        latest = RulesOfProcedure.objects.select_for_update().order_by("-version").first()
        rules = RulesOfProcedure(version=(latest.version + 1) if latest else 1, proposed_by=actor, **merged)
        _save_new(rules, exclude=["proposed_by"])
        audit.record_change(
            actor=actor,
            action=AuditAction.BOARD_RULES_PROPOSED,
            obj=rules,
            changes={k: merged[k] for k in RULES_FIELDS if k != "text"},
        )
        return rules


def update_rules(*, actor, rules: RulesOfProcedure, **values: Any) -> RulesOfProcedure:
    policy.authorize(actor, A.PROPOSE_RULES)
    with transaction.atomic():
        rules = RulesOfProcedure.objects.select_for_update().get(pk=rules.pk)
        if rules.status != RulesStatus.DRAFT:
            raise ValidationError(_("Adopted rules of procedure are not changed: propose a new version."))
        if rules.motions.filter(status=MotionStatus.OPEN).exists():
            raise ValidationError(_("The rules are being voted on; they cannot be changed now."))
        unknown = set(values) - set(RULES_FIELDS)
        if unknown:
            raise ValidationError(_("These fields cannot be set: %s") % ", ".join(sorted(unknown)))
        merged = {name: values.get(name, getattr(rules, name)) for name in RULES_FIELDS}
        _check_rules(merged)
        changes: dict[str, Any] = {
            k: [getattr(rules, k), v] for k, v in merged.items() if getattr(rules, k) != v and k != "text"
        }
        if merged["text"] != rules.text:
            changes["text"] = "changed"
        for name, value in merged.items():
            setattr(rules, name, value)
        _clean(rules, exclude=["proposed_by"])
        rules.save()
        if changes:
            audit.record_change(
                actor=actor, action=AuditAction.BOARD_RULES_UPDATED, obj=rules, changes=changes
            )
        return rules
