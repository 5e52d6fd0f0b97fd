"""The personal-data guard at every upload and new version (Art. 9(3)), before anything is
stored: the file is inspected by the upload pipeline (type by content, refusals with reasons),
then its text is checked by ``ilonet.shared.personal_data_guard``. A document with findings is
refused with the translated report, unless a user the board authorised overrides each finding
with a reason; the override is audited and the document marked."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import Outcome
from ilonet.shared import personal_data_guard as guard
from ilonet.shared.personal_data_guard.detect import Finding
from ilonet.shared.uploads import EXCHANGE, JPEG, PNG, Inspected, UploadProfile, inspect_upload

from ..models import GuardOverride
from .common import A

NOT_READ = (PNG, JPEG)  # images: the guard does not read them (no OCR, docs/exchange.md)


class PersonalDataFound(ValidationError):
    """The guard found personal data (Art. 9(3)): nothing is stored. ``report`` holds what is
    left after the overrides given; the page offers the override to an authorised user."""

    status = 422

    def __init__(self, report: guard.GuardReport) -> None:
        super().__init__({"file": [report.summary(), *report.lines()]})
        self.report = report


@dataclass(frozen=True)
class CheckedFile:
    inspected: Inspected
    overridden: tuple[Finding, ...] = ()
    reason: str = ""


def _check_upload(
    *,
    actor: Any,
    file: IO[bytes],
    target: Any,
    name: str | None = None,
    overrides: Collection[str] = (),
    reason: str = "",
    profile: UploadProfile = EXCHANGE,
) -> CheckedFile:
    """Inspect ``file`` and run the guard on it. Raises ``UploadRefused`` (the file itself),
    ``ValidationError`` (unreadable text) or ``PersonalDataFound``; ``target`` (the space or
    document) is what an override is authorised against."""
    inspected = inspect_upload(file, profile=profile, name=name)
    if inspected.file_type in NOT_READ:
        return CheckedFile(inspected)
    file.seek(0)
    try:
        report = guard.scan(file, inspected.content_type)
    except guard.ExtractionError as error:
        raise ValidationError({"file": [ValidationError(error.message, code=error.code)]}) from None
    finally:
        file.seek(0)
    if report.clean:
        return CheckedFile(inspected)
    chosen = set(overrides or ()) & {finding.fingerprint for finding in report.findings}
    if chosen:
        policy.authorize(actor, A.OVERRIDE_GUARD, target)
        if not (reason or "").strip():
            raise ValidationError({"override_reason": _("Say why these findings are not personal data.")})
    remaining = report.remaining(chosen)
    if remaining:
        left = dataclasses.replace(report, findings=remaining)
        audit.record(
            action=AuditAction.EXCHANGE_DOCUMENT_REFUSED,
            actor=actor,
            obj=target,
            outcome=Outcome.FAILURE,
            details={"guard": left.as_dict(), "name": inspected.name[:200]},
        )
        raise PersonalDataFound(left)
    overridden = tuple(f for f in report.findings if f.fingerprint in chosen)
    return CheckedFile(inspected, overridden, reason.strip())


def _record_overrides(*, actor: Any, version: Any, checked: CheckedFile) -> None:
    """Keep each overridden finding (fingerprint and masked value, never the value) with the
    reason, audited, in the transaction that stores the version."""
    if not checked.overridden:
        return
    GuardOverride.objects.bulk_create(
        [
            GuardOverride(
                version=version,
                fingerprint=f.fingerprint,
                kind=f.kind,
                place=f.location.label()[:200],
                masked=f.masked[:120],
                reason=checked.reason[:1000],
                overridden_by=actor,
            )
            for f in checked.overridden
        ]
    )
    audit.record(
        action=AuditAction.EXCHANGE_GUARD_OVERRIDDEN,
        actor=actor,
        obj=version.document,
        details={
            "version": version.number,
            "reason": checked.reason[:1000],
            "findings": [
                {"kind": f.kind, "masked": f.masked, "fingerprint": f.fingerprint} for f in checked.overridden
            ],
        },
    )
