"""Writing the personal data of Art. 10: records, purposes, legal holds, shares, transfers,
erasure. Every function authorises first (before its transaction) or is a marked system
operation; every change writes an audit event in its transaction, holding references (the
record's opaque reference, purpose, category, field names), never personal data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.audit.models import Outcome
from ilonet.policy.markers import system_operation
from ilonet.shared.wipe import flush_erased_pages

from . import files, law, vault
from .access import controller_id
from .law import ADEQUATE_COUNTRIES, BIOMETRIC_FIELDS, Field, Purpose, TransferBasis, pair_refusal
from .models import BiometricFile, NameDigest, PurposeAssignment, Record, Share, Transfer
from .payload import clean_payload, fields_present, searchable_names

A = policy.Action
MAX_SHARE_DAYS = 90
ERASURE_BATCH = 5000
# SQLite's page cache for the erasure's connection, in KiB, while the job runs (SQLite's default
# is 2 MiB): the name digests' index of a large register does not fit the default, and deleting
# 15,000 digests a batch then rereads its pages (profiled: the digests' DELETE took half the
# time; a 64 MiB cache halves it). Bounded, and given back when the job ends.
ERASURE_SQLITE_CACHE_KIB = 65536


def _details(record: Record, **more: Any) -> dict[str, Any]:
    return {
        "controller": record.controller_id,
        "record": record.ref,
        "purpose": record.purpose,
        "category": record.category,
        **more,
    }


def create_record(
    *,
    actor: Any,
    purpose: str,
    category: str,
    data: dict[str, Any],
    biometrics: dict[str, IO[bytes]] | None = None,
    today: date | None = None,
) -> Record:
    """A record of one data subject (or one passenger list), sealed with a new data key. Refused
    with the reason: a purpose and category pair Art. 10(3) does not allow, a purpose not assigned
    to the actor, bad fields, a biometric file that is not a JPEG or PNG image within the limit."""
    policy.authorize(actor, A.MANAGE_PERSONAL_RECORDS)
    reason = pair_refusal(purpose, category)
    if reason:
        raise ValidationError({"category": reason})
    draft = Record(controller_id=controller_id(actor), purpose=purpose, category=category)
    policy.authorize(actor, A.MANAGE_PERSONAL_RECORDS, draft)
    payload = clean_payload(category, data)
    checked = [files.check(kind, upload) for kind, upload in (biometrics or {}).items() if upload]
    if checked and category == "b":
        raise ValidationError({"facial_image": _("A passenger list holds no biometric files.")})
    today = today or timezone.localdate()
    draft.erase_on = today + timedelta(days=law.retention_days(purpose))
    draft.created_by = actor
    stored: list[str] = []
    data_key = vault.create_key(draft.ref)
    try:
        with transaction.atomic():
            draft.sealed = vault.seal(data_key, draft.ref, payload)
            draft.save()
            digests = set().union(*(vault.name_digests(name) for name in searchable_names(payload)))
            NameDigest.objects.bulk_create(NameDigest(record=draft, digest=d) for d in digests)
            for item in checked:
                key = files.store(data_key, draft.ref, item)
                stored.append(key)
                BiometricFile.objects.create(
                    record=draft,
                    kind=item.kind,
                    storage_key=key,
                    content_type=item.content_type,
                    size=len(item.content),
                )
            audit.record(
                action=AuditAction.PERSONAL_RECORD_CREATED,
                actor=actor,
                obj=draft,
                details=_details(
                    draft, fields=fields_present(payload, [c.kind for c in checked]), erase_on=draft.erase_on
                ),
            )
    except BaseException:
        vault.destroy_key(draft.ref)
        for key in stored:
            files.delete(key)
        raise
    return draft


# --- purposes (who works on what) ---------------------------------------------------------------


def assign_purpose(
    *, actor: Any, user: Any, purpose: str, valid_until: date | None = None
) -> PurposeAssignment:
    """The deploying authority assigns a purpose of Art. 3(6) to a user of its controller."""
    policy.authorize(actor, A.ASSIGN_PURPOSES)
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Choose a purpose of Art. 3(6).")})
    if user.pk == actor.pk:
        raise ValidationError({"user": _("Purposes are assigned by another person, not to oneself.")})
    if controller_id(user) != controller_id(actor):
        raise ValidationError({"user": _("This user does not work for your member state or body.")})
    if valid_until and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("The end of the assignment cannot be in the past.")})
    with transaction.atomic():
        assignment = PurposeAssignment.objects.create(
            user=user,
            purpose=purpose,
            valid_until=valid_until,
            controller_id=controller_id(actor),
            granted_by=actor,
        )
        audit.record(
            action=AuditAction.PERSONAL_PURPOSE_ASSIGNED,
            actor=actor,
            obj=assignment,
            details={"controller": assignment.controller_id, "user": user.pk, "purpose": purpose},
        )
    policy.forget_roles(user, "personaldata.purposes")
    return assignment


def revoke_purpose(*, actor: Any, assignment: PurposeAssignment) -> None:
    policy.authorize(actor, A.ASSIGN_PURPOSES)
    if assignment.controller_id != controller_id(actor):
        raise PermissionDenied(_("This assignment is another controller's."))
    with transaction.atomic():
        PurposeAssignment.objects.filter(pk=assignment.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit.record(
            action=AuditAction.PERSONAL_PURPOSE_REVOKED,
            actor=actor,
            obj=assignment,
            details={
                "controller": assignment.controller_id,
                "user": assignment.user_id,
                "purpose": assignment.purpose,
            },
        )


# --- legal hold ------------------------------------------------------------------------------------------


def place_hold(*, actor: Any, record: Record, reason: str, until: date) -> Record:
    """A legal hold pauses the erasure until its end date (Art. 10(2)): a reason is required."""
    policy.authorize(actor, A.MANAGE_LEGAL_HOLDS, record)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _(
            "Give the reason for the legal hold (e.g. the proceedings), without personal data."
        )
    if not until or until <= timezone.localdate():
        errors["until"] = _("A legal hold ends on a date after today.")
    elif until > timezone.localdate() + timedelta(days=5 * 366):
        errors["until"] = _("A legal hold ends within five years; extend it later if needed.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record.hold_reason, record.hold_until = reason[:300], until
        record.save(update_fields=["hold_reason", "hold_until"])
        audit.record(
            action=AuditAction.PERSONAL_HOLD_PLACED,
            actor=actor,
            obj=record,
            details=_details(record, until=until),
        )
    return record


def lift_hold(*, actor: Any, record: Record) -> Record:
    policy.authorize(actor, A.MANAGE_LEGAL_HOLDS, record)
    with transaction.atomic():
        record.hold_reason, record.hold_until = "", None
        record.save(update_fields=["hold_reason", "hold_until"])
        audit.record(
            action=AuditAction.PERSONAL_HOLD_LIFTED, actor=actor, obj=record, details=_details(record)
        )
    return record


# --- shares (Art. 10(4), Art. 3(6)(d)) ---------------------------------------------------------------------


def share_record(
    *,
    actor: Any,
    record: Record,
    recipient: Any,
    purpose: str,
    fields: list[str],
    justification: str,
    days: int,
) -> Share:
    """Share the chosen fields of a record with a named recipient, for a limited time."""
    policy.authorize(actor, A.SHARE_PERSONAL_RECORDS, record)
    errors = {}
    if purpose not in Purpose.values:
        errors["purpose"] = _("Give the purpose of the exchange (Art. 3(6)).")
    elif purpose != record.purpose and purpose != Purpose.EXCHANGE:
        errors["purpose"] = _(
            "A record is shared for its own purpose or for the exchange of Art. 3(6)(d), not another."
        )
    elif record.category == "e" and purpose != Purpose.EXCHANGE:
        errors["purpose"] = _("Data of Art. 10(3)(e) is shared solely for the purpose of Art. 3(6)(d).")
    chosen = [f for f in dict.fromkeys(fields or []) if f in Field.values]
    if not chosen or len(chosen) != len(set(fields or [])):
        errors["fields"] = _(
            "Choose the fields to share, one by one: only what is strictly necessary (Art. 10(4))."
        )
    if not (justification or "").strip():
        errors["justification"] = _(
            "Say why each field is strictly necessary for the recipient (Art. 10(4))."
        )
    if recipient is None or not getattr(recipient, "is_active", False):
        errors["recipient"] = _(
            "Name the recipient: an active account of the network or of a member-state authority."
        )
    elif recipient.pk == actor.pk:
        errors["recipient"] = _("A record is not shared with oneself.")
    if not isinstance(days, int) or not 1 <= days <= MAX_SHARE_DAYS:
        errors["days"] = _("A share is open for 1 to %(max)d days.") % {"max": MAX_SHARE_DAYS}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        share = Share.objects.create(
            record=record,
            recipient=recipient,
            purpose=purpose,
            fields=chosen,
            justification=justification.strip()[:2000],
            created_by=actor,
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit.record(
            action=AuditAction.PERSONAL_SHARE_CREATED,
            actor=actor,
            obj=record,
            details=_details(
                record,
                share=share.ref,
                recipient=recipient.pk,
                fields=chosen,
                share_purpose=purpose,
                expires_at=share.expires_at,
            ),
        )
    return share


def withdraw_share(*, actor: Any, share: Share) -> Share:
    policy.authorize(actor, A.SHARE_PERSONAL_RECORDS, share.record)
    with transaction.atomic():
        if share.withdrawn_at is None:
            share.withdrawn_at = timezone.now()
            share.save(update_fields=["withdrawn_at"])
            audit.record(
                action=AuditAction.PERSONAL_SHARE_WITHDRAWN,
                actor=actor,
                obj=share.record,
                details=_details(share.record, share=share.ref),
            )
    return share


# --- transfers to third countries (Art. 10(5), chapter V of the GDPR) ------------------------------


def record_transfer(
    *,
    actor: Any,
    record: Record,
    recipient: str,
    country: str,
    basis: str,
    fields: list[str],
    transferred_on: date,
    basis_detail: str = "",
    international_organisation: bool = False,
) -> Transfer:
    """Records a transfer with its legal basis; a transfer without one is refused (and the refusal
    is audited, with no personal data)."""
    policy.authorize(actor, A.TRANSFER_PERSONAL_DATA, record)
    errors = {}
    country = (country or "").strip().upper()
    if not (recipient or "").strip():
        errors["recipient"] = _("Name the receiving authority or international organisation.")
    if not international_organisation:
        from django_countries import countries

        if country not in dict(countries):
            errors["country"] = _("Give the third country of the recipient.")
    if basis not in TransferBasis.values:
        errors["basis"] = _(
            "A transfer needs a legal basis of chapter V of the GDPR: an adequacy decision (Art. 45), "
            "appropriate "
            "safeguards (Art. 46) or a derogation of Art. 49 (Art. 10(5))."
        )
    elif basis == TransferBasis.ADEQUACY and (
        international_organisation or country not in ADEQUATE_COUNTRIES
    ):
        errors["basis"] = _(
            "The Commission has adopted no adequacy decision for this recipient (GDPR Art. 45)."
        )
    elif basis == TransferBasis.SAFEGUARDS and not (basis_detail or "").strip():
        errors["basis_detail"] = _(
            "Name the instrument giving the safeguards (GDPR Art. 46(2)), e.g. the agreement."
        )
    chosen = [f for f in dict.fromkeys(fields or []) if f in Field.values]
    if not chosen:
        errors["fields"] = _("Name the data sent, field by field.")
    if not transferred_on or transferred_on > timezone.localdate():
        errors["transferred_on"] = _("The date of the transfer is today or earlier.")
    if errors:
        audit.record(
            action=AuditAction.PERSONAL_TRANSFER_REFUSED,
            actor=actor,
            obj=record,
            outcome=Outcome.DENIED,
            details=_details(record, problems=sorted(errors)),
        )
        raise ValidationError(errors)
    with transaction.atomic():
        transfer = Transfer.objects.create(
            record=record,
            controller_id=record.controller_id,
            recipient=recipient.strip()[:200],
            country="" if international_organisation else country,
            basis=basis,
            international_organisation=international_organisation,
            basis_detail=(basis_detail or "").strip()[:300],
            fields=chosen,
            transferred_on=transferred_on,
            created_by=actor,
        )
        audit.record(
            action=AuditAction.PERSONAL_TRANSFER_RECORDED,
            actor=actor,
            obj=record,
            details=_details(
                record, transfer=transfer.ref, country=transfer.country, basis=basis, fields=chosen
            ),
        )
    return transfer


# --- erasure (Art. 10(2)) -----------------------------------------------------------------------------------


def _where_in(sql: str, model: type[models.Model], column: str, ids: list[int]) -> Any:
    """Run ``sql`` (``{table}``, ``{column}`` and ``{marks}`` filled in) for ``column IN ids``: a
    batch in one statement, without Django's deletion collector (which loads and re-queries every
    row and took three quarters of the erasure's time) nor its per-value lookup preparation."""
    quote = connection.ops.quote_name
    marks = ",".join(["%s"] * len(ids))
    cursor = connection.cursor()
    cursor.execute(sql.format(table=quote(model._meta.db_table), column=quote(column), marks=marks), ids)
    return cursor


def _delete_where_in(model: type[models.Model], column: str, ids: list[int]) -> None:
    _where_in("DELETE FROM {table} WHERE {column} IN ({marks})", model, column, ids).close()


def _erase_batch(rows: list[tuple[int, str, int, str, str]], *, reason: str) -> int:
    """Destroy each subject's key first (crypto-shredding: from then on nothing of the person can be
    read, in this database or in any backup of it), then delete the rows, digests and files, one
    statement per table in one transaction. One audit event per controller and batch, naming the
    erased records by reference and purpose only. ``rows``: (pk, ref, controller, purpose, category)."""
    ids = [row[0] for row in rows]
    with _where_in(
        "SELECT storage_key FROM {table} WHERE {column} IN ({marks})", BiometricFile, "record_id", ids
    ) as c:
        file_keys = [key for (key,) in c.fetchall()]
    vault.destroy_keys([row[1] for row in rows])
    with transaction.atomic():
        for model in (NameDigest, BiometricFile, Share):
            _delete_where_in(model, "record_id", ids)
        # the register of transfers stays, without its record
        _where_in(
            "UPDATE {table} SET {column} = NULL WHERE {column} IN ({marks})", Transfer, "record_id", ids
        ).close()
        _delete_where_in(Record, "id", ids)
        by_controller: dict[int, list[tuple]] = {}
        for row in rows:
            by_controller.setdefault(row[2], []).append(row)
        for controller, erased in by_controller.items():
            audit.record(
                action=AuditAction.PERSONAL_RECORD_ERASED,
                details={
                    "controller": controller,
                    "count": len(erased),
                    "records": [
                        {"record": ref, "purpose": purpose, "category": category}
                        for _pk, ref, _c, purpose, category in erased
                    ],
                    "reason": reason,
                    "basis": "Art. 10(2)",
                },
            )
    for key in file_keys:
        files.delete(key)
    return len(rows)


@system_operation
def erase_due_records(*, today: date | None = None, batch: int = ERASURE_BATCH) -> int:
    """Erase every record past its erasure date and not on legal hold; returns how many. Works in
    batches (bounded memory: one batch of ids and references at a time); each batch commits on its
    own, and a batch interrupted after its keys were destroyed is finished by the next run (the
    rows are still due)."""
    today = today or timezone.localdate()
    due = Record.objects.filter(erase_on__lte=today).exclude(hold_until__gte=today)
    erased, last = 0, 0
    with _sqlite_page_cache(ERASURE_SQLITE_CACHE_KIB):
        while True:
            rows = list(
                due.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", "ref", "controller_id", "purpose", "category")[:batch]
            )
            if not rows:
                if erased:
                    flush_erased_pages()  # no copy of the erased rows left in the database's log
                return erased
            last = rows[-1][0]
            erased += _erase_batch(rows, reason="retention")


@contextmanager
def _sqlite_page_cache(kib: int) -> Iterator[None]:
    """On SQLite, a larger page cache for this connection while the block runs (a no-op on
    PostgreSQL, whose shared buffers are the server's)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


@system_operation
def note_rotation(*, counts: dict[str, int], at: datetime | None = None) -> None:
    """The audit event of a key rotation (run from the command line, by an operator)."""
    audit.record(action=AuditAction.PERSONAL_KEYS_ROTATED, details={"counts": counts, "controller": None})


BIOMETRIC_KINDS = tuple(str(f) for f in BIOMETRIC_FIELDS)


@system_operation
def note_access_log_export(*, actor: Any) -> None:
    """The data protection officer exported the access log (after the page authorised them)."""
    audit.record(
        action=AuditAction.PERSONAL_ACCESS_LOG_EXPORTED,
        actor=actor,
        details={"controller": controller_id(actor)},
    )
