from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ilonet.audit import checkpoints
from ilonet.audit.keys import public_key_text
from ilonet.audit.models import AuditEvent, ChainHead
from ilonet.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit chain since the last checkpoint, then sign its head (sequence number, "
        "hash, time) and append it to the checkpoint file outside the database. Run it regularly "
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
        with transaction.atomic():
            head, _created = ChainHead.objects.select_for_update().get_or_create(id=1)
            report = verify_chain(
                checkpoints=known,
                start=max(known, key=lambda p: p.seq, default=None),
                accept_unkeyed=accept_unkeyed,
            )
            if not report.ok:
                raise CommandError(
                    f"Audit chain broken at event #{report.first_broken_seq}: {report.reason}; "
                    f"no checkpoint written."
                )
            key_id = AuditEvent.objects.filter(seq=head.seq).values_list("key_id", flat=True).first()
            point = checkpoints.append(seq=head.seq, hash=head.hash, key_id=key_id, key=key, path=target)
        self.stdout.write(
            self.style.SUCCESS(f"Checkpoint #{point.seq} {point.hash[:16]}… at {point.at} → {target}")
        )
