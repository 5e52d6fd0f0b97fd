"""Reading the personal data of Art. 10. **Every read of a personal field goes through this
module** (``open_record``, ``open_share``, ``open_biometric``, ``access_report``), and each writes
an entry of the access log: who, which record, which fields, for which purpose, through which
door (page, API, export, share). Lists and searches return no personal field: only references,
purposes, categories and dates. ``tests/test_access_log.py`` finds every page and API operation of
the app and proves it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, QuerySet
from django.utils import timezone

from ilonet import policy
from ilonet.audit import selectors as audit_selectors
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction

from . import files, vault
from .access import controller_id, purposes_of
from .law import Field
from .models import BiometricFile, PurposeAssignment, Record, Share, Transfer
from .payload import only

A = policy.Action
VIAS = ("page", "api", "export", "share", "report")


@dataclass
class RecordView:
    record: Record
    data: dict[str, Any]
    files: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


def _log_read(user: Any, record: Record, *, fields: list[str], purpose: str, via: str, **more: Any) -> None:
    audit.record(
        action=AuditAction.PERSONAL_RECORD_READ,
        actor=user,
        obj=record,
        details={
            "controller": record.controller_id,
            "record": record.ref,
            "fields": fields,
            "purpose": purpose,
            "via": via,
            **more,
        },
    )


def record_for(*, user: Any, ref: str, action: A = A.VIEW_PERSONAL_RECORDS) -> Record:
    """The record (no personal field opened) after the policy allowed ``action`` on it;
    ``ObjectDoesNotExist`` for an unknown reference, ``PermissionDenied`` (audited) otherwise."""
    policy.authorize(user, action)
    record = Record.objects.get(ref=ref)
    policy.authorize(user, action, record)
    return record


def record_list(*, user: Any, purpose: str = "", category: str = "", name: str = "") -> QuerySet[Record]:
    """The records the user works on (their controller, their purposes); by name through the
    blind index. The search is logged without its term."""
    qs = policy.scope(user, A.VIEW_PERSONAL_RECORDS, Record.objects.all())
    if purpose:
        qs = qs.filter(purpose=purpose)
    if category:
        qs = qs.filter(category=category)
    if name.strip():
        policy.authorize(user, A.SEARCH_PERSONAL_RECORDS)
        digest = vault.name_digest(name)
        qs = qs.filter(digests__digest=digest).distinct()
        audit.record(
            action=AuditAction.PERSONAL_RECORDS_SEARCHED,
            actor=user,
            details={"controller": controller_id(user), "by": "name", "purposes": sorted(purposes_of(user))},
        )
    return qs.order_by("-created_at", "-pk")


def find_by_name(name: str) -> list[int]:
    """Ids of the records with this name (all controllers): the blind-index lookup itself, for the
    benchmark and the access report; callers scope and log."""
    digest = vault.name_digest(name)
    if digest is None:
        return []
    return list(Record.objects.filter(digests__digest=digest).values_list("pk", flat=True).distinct())


def _decrypt(record: Record) -> dict[str, Any]:
    return vault.open_sealed(vault.load_key(record.ref), record.ref, record.sealed)


def _file_kinds(record: Record) -> list[str]:
    return list(record.files.values_list("kind", flat=True))


def open_record(*, user: Any, ref: str, via: str) -> RecordView:
    """Every personal field of one record, for a user who works on it; logged."""
    record = record_for(user=user, ref=ref)
    data = _decrypt(record)
    kinds = _file_kinds(record)
    present = [k for k, v in data.items() if v] + kinds
    _log_read(user, record, fields=present, purpose=record.purpose, via=via)
    return RecordView(record=record, data=data, files=kinds, fields=present)


def open_share(*, user: Any, ref: str, via: str) -> tuple[Share, RecordView]:
    """What the recipient of a share sees: only the fields shared; logged."""
    policy.authorize(user, A.VIEW_SHARED_RECORDS)
    share = Share.objects.select_related("record").get(ref=ref)
    policy.authorize(user, A.VIEW_SHARED_RECORDS, share)
    record = share.record
    data = only(_decrypt(record), share.fields)
    kinds = [k for k in _file_kinds(record) if k in share.fields]
    _log_read(user, record, fields=list(share.fields), purpose=share.purpose, via="share", share=share.ref)
    return share, RecordView(record=record, data=data, files=kinds, fields=list(share.fields))


def open_biometric(*, user: Any, ref: str, kind: str, via: str, share_ref: str = "") -> BiometricFile | tuple:
    """A biometric file, decrypted: for who works on the record, or the recipient of a share that
    names it; logged. Returns (file row, content)."""
    if share_ref:
        policy.authorize(user, A.VIEW_SHARED_RECORDS)
        share = Share.objects.select_related("record").get(ref=share_ref, record__ref=ref)
        policy.authorize(user, A.VIEW_SHARED_RECORDS, share)
        if kind not in share.fields:
            raise ObjectDoesNotExist
        record, purpose = share.record, share.purpose
    else:
        record = record_for(user=user, ref=ref)
        purpose = record.purpose
    row = BiometricFile.objects.get(record=record, kind=kind)
    content = files.read(vault.load_key(record.ref), record.ref, kind, row.storage_key)
    _log_read(
        user, record, fields=[kind], purpose=purpose, via=via, **({"share": share_ref} if share_ref else {})
    )
    return row, content


def shares_of(*, user: Any, record: Record) -> QuerySet[Share]:
    return policy.scope(user, A.SHARE_PERSONAL_RECORDS, Share.objects.filter(record=record)).order_by(
        "-created_at"
    )


def received_shares(*, user: Any) -> QuerySet[Share]:
    return policy.scope(user, A.VIEW_SHARED_RECORDS, Share.objects.select_related("record")).order_by(
        "expires_at"
    )


def transfers_of(*, record: Record) -> QuerySet[Transfer]:
    return record.transfers.order_by("-transferred_on")


def transfer_register(*, user: Any, country: str = "", basis: str = "") -> QuerySet[Transfer]:
    qs = policy.scope(user, A.VIEW_TRANSFER_REGISTER, Transfer.objects.all())
    if country:
        qs = qs.filter(country=country.upper())
    if basis:
        qs = qs.filter(basis=basis)
    return qs.order_by("-transferred_on", "-pk")


def transfer_totals(*, user: Any) -> list[dict[str, Any]]:
    """The register per country and basis."""
    qs = policy.scope(user, A.VIEW_TRANSFER_REGISTER, Transfer.objects.all())
    return list(
        qs.values("country", "international_organisation", "basis")
        .annotate(count=Count("pk"))
        .order_by("country", "basis")
    )


def assignments(*, user: Any) -> QuerySet[PurposeAssignment]:
    qs = policy.scope(user, A.ASSIGN_PURPOSES, PurposeAssignment.objects.select_related("user"))
    return qs.filter(revoked_at__isnull=True).order_by("user__email", "purpose")


def assignable_users(*, user: Any) -> list[Any]:
    """The people of the user's controller who may process records (ILOs, deploying authorities)."""
    from django.contrib.auth import get_user_model

    policy.authorize(user, A.ASSIGN_PURPOSES)
    own = controller_id(user)
    candidates = get_user_model().objects.filter(
        is_active=True, role_assignments__role__in=["ilo", "deploying_authority"]
    )
    return [
        u
        for u in candidates.select_related("organisation").distinct().order_by("email")
        if controller_id(u) == own and u.pk != user.pk
    ]


# --- the data protection officer ---------------------------------------------------------------------------


@dataclass
class Overview:
    due: list[Record]
    on_hold: list[Record]
    shares: list[Share]
    transfers: list[dict[str, Any]]
    records: int
    by_purpose: list[dict[str, Any]]


def dpo_overview(*, user: Any, today: date | None = None, horizon_days: int = 30) -> Overview:
    """What is due for erasure (within ``horizon_days``), on hold, shared and transferred."""
    policy.authorize(user, A.OVERSEE_PERSONAL_DATA)
    today = today or timezone.localdate()
    records = policy.scope(user, A.OVERSEE_PERSONAL_DATA, Record.objects.all())
    due = records.filter(erase_on__lte=today + timedelta(days=horizon_days)).exclude(hold_until__gte=today)
    shares = policy.scope(user, A.OVERSEE_PERSONAL_DATA, Share.objects.select_related("record", "recipient"))
    open_shares = shares.filter(withdrawn_at__isnull=True, expires_at__gt=timezone.now())
    transfers = Transfer.objects.filter(controller_id=controller_id(user))
    return Overview(
        due=list(due.order_by("erase_on")[:200]),
        on_hold=list(records.filter(hold_until__gte=today).order_by("hold_until")[:200]),
        shares=list(open_shares.order_by("expires_at")[:200]),
        transfers=list(
            transfers.values("country", "international_organisation", "basis")
            .annotate(count=Count("pk"))
            .order_by("country", "basis")
        ),
        records=records.count(),
        by_purpose=list(records.values("purpose").annotate(count=Count("pk")).order_by("purpose")),
    )


def access_log(*, user: Any, record: str = "", reader: str = "") -> QuerySet:
    """The access log of the controller's personal data, newest first (the DPO's)."""
    policy.authorize(user, A.OVERSEE_PERSONAL_DATA)
    qs = audit_selectors.domain_events(user=user, action=A.OVERSEE_PERSONAL_DATA, prefix="personaldata.")
    if record:
        qs = qs.filter(details__record=record.strip())
    if reader:
        qs = qs.filter(actor_label__icontains=reader.strip())
    return qs


def access_report(*, user: Any, ref: str, via: str = "report") -> dict[str, Any]:
    """A data subject's access report (GDPR Art. 15): every record of the controller with the
    same family name and date of birth, with its shares and transfers; each record read is logged."""
    record = record_for(user=user, ref=ref, action=A.OVERSEE_PERSONAL_DATA)
    subject = _decrypt(record)
    family = next((n["family"] for n in subject.get(Field.NAMES, []) if n["family"]), "")
    ids = set(find_by_name(family)) if family else set()
    ids.add(record.pk)
    candidates = Record.objects.filter(pk__in=ids, controller_id=record.controller_id).order_by("created_at")
    entries = []
    for other in candidates:
        data = subject if other.pk == record.pk else _decrypt(other)
        if other.pk != record.pk and data.get(Field.BIRTH_DATE) != subject.get(Field.BIRTH_DATE):
            continue
        kinds = _file_kinds(other)
        _log_read(
            user,
            other,
            fields=[k for k, v in data.items() if v] + kinds,
            purpose=other.purpose,
            via=via,
            report=record.ref,
        )
        entries.append(
            {
                "record": other.ref,
                "purpose": other.purpose,
                "category": other.category,
                "created_at": other.created_at.isoformat(),
                "erase_on": other.erase_on.isoformat(),
                "legal_hold_until": other.hold_until.isoformat() if other.hold_until else None,
                "data": data,
                "biometric_files": kinds,
                "shares": [
                    {
                        "recipient": s.recipient.email,
                        "purpose": s.purpose,
                        "fields": s.fields,
                        "justification": s.justification,
                        "created_at": s.created_at.isoformat(),
                        "expires_at": s.expires_at.isoformat(),
                        "withdrawn_at": s.withdrawn_at.isoformat() if s.withdrawn_at else None,
                    }
                    for s in other.shares.select_related("recipient").order_by("created_at")
                ],
                "transfers": [
                    {
                        "recipient": t.recipient,
                        "country": t.country,
                        "basis": t.basis,
                        "basis_detail": t.basis_detail,
                        "fields": t.fields,
                        "date": t.transferred_on.isoformat(),
                    }
                    for t in other.transfers.order_by("transferred_on")
                ],
            }
        )
    return {"subject_record": record.ref, "generated_at": timezone.now().isoformat(), "records": entries}
