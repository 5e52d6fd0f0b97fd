from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ilonet.audit import checkpoints, deferred
from ilonet.audit.keys import public_key_text
from ilonet.audit.models import GENESIS_HASH, AuditEvent, ChainHead
from ilonet.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit chain since the last checkpoint, up to its head as it is now (no lock: "
        "writes go on), then sign that head (sequence number, hash, time) and append it to the "
        "checkpoint file outside the database. Run it regularly "
        "(cron, systemd timer): a rewrite of events before the last checkpoint is detectable."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", help="checkpoint file (default: ILONET_AUDIT_CHECKPOINT_DIR/checkpoints.jsonl)"
        )
        parser.add_argument(
            "--accept-unkeyed",
            action="store_true",
            help="accept events written before the chain was keyed (plain SHA-256)",
        )
        parser.add_argument(
            "--export-public-key",
            action="store_true",
            help="print the public key that verifies the checkpoints, and stop",
        )

    def handle(self, *args, path=None, export_public_key=False, accept_unkeyed=False, **options):
        key = checkpoints.signing_key()
        if export_public_key:
            self.stdout.write(public_key_text(key))
            return
        target = Path(path) if path else checkpoints.default_path()
        try:
            known = checkpoints.read(path=target, public_key=key.public_key())
        except checkpoints.CheckpointError as error:
            raise CommandError(f"Audit checkpoints invalid: {error}.") from error
        # The head as it is now; the events up to it are never changed again, so they are
        # verified without holding the chain's lock (appends go on meanwhile; they are left for
        # the next checkpoint).
        deferred.flush()  # nothing queued outside a transaction; kept for a caller inside one
        head = ChainHead.objects.filter(id=1).values_list("seq", "hash").first() or (0, GENESIS_HASH)
        report = verify_chain(
            checkpoints=known,
            start=max(known, key=lambda p: p.seq, default=None),
            accept_unkeyed=accept_unkeyed,
            workers=None,
            head=head,
        )
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event #{report.first_broken_seq}: {report.reason}; "
                f"no checkpoint written."
            )
        key_id = AuditEvent.objects.filter(seq=head[0]).values_list("key_id", flat=True).first()
        point = checkpoints.append(seq=head[0], hash=head[1], key_id=key_id, key=key, path=target)
        self.stdout.write(
            self.style.SUCCESS(f"Checkpoint #{point.seq} {point.hash[:16]}… at {point.at} → {target}")
        )
