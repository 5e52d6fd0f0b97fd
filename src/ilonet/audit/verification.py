"""Verify the audit chain from the first event to the head."""

from dataclasses import dataclass

from .chain import event_hash
from .models import GENESIS_HASH, AuditEvent, ChainHead


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk every event in sequence order; stop at the first one that does not fit.

    Catches edited content (hash mismatch), removed or reordered events (sequence gap or
    prev_hash mismatch) and removed tail events (head does not match the last event).
    """
    prev_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    fields = (
        "seq", "occurred_at", "actor_id", "actor_label", "action", "outcome", "object_type",
        "object_id", "object_repr", "ip_address", "user_agent", "request_id", "details",
        "prev_hash", "hash",
    )  # fmt: skip
    rows = AuditEvent.objects.order_by("seq").values(*fields).iterator(chunk_size=batch_size)
    for row in rows:
        if row["seq"] != expected_seq:
            return ChainReport(False, checked, expected_seq, "missing event (sequence gap)")
        if row["prev_hash"] != prev_hash:
            return ChainReport(False, checked, row["seq"], "does not link to the previous event")
        if event_hash(prev_hash, row) != row["hash"]:
            return ChainReport(False, checked, row["seq"], "content changed after it was written")
        prev_hash, expected_seq, checked = row["hash"], expected_seq + 1, checked + 1
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return ChainReport(False, checked, expected_seq, "events missing at the end of the chain")
    return ChainReport(True, checked)
