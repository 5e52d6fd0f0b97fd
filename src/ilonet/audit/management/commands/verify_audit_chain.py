from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ilonet.audit import checkpoints
from ilonet.audit.keys import parse_public_key
from ilonet.audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit chain (HMAC with the chain key, links, sequence) and compare it with the "
        "signed checkpoints; name the first broken event."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--public-key",
            help="file with the checkpoints' public key "
            "(default: ILONET_AUDIT_PUBLIC_KEY, else derived from ILONET_AUDIT_SIGNING_KEY)",
        )
        parser.add_argument(
            "--checkpoints", help="checkpoint file (default: ILONET_AUDIT_CHECKPOINT_DIR/checkpoints.jsonl)"
        )
        parser.add_argument(
            "--accept-unkeyed",
            action="store_true",
            help="accept events written before the chain was keyed (plain SHA-256)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes that verify segments of the chain in parallel "
            "(default: one per core, up to 4, from 200,000 events on)",
        )
        parser.add_argument(
            "--without-chain-key",
            action="store_true",
            help="verify as an outside auditor: links, sequence and checkpoints only",
        )

    def handle(
        self,
        *args,
        public_key=None,
        checkpoints=None,
        without_chain_key=False,
        accept_unkeyed=False,
        workers=None,
        **options,
    ):
        path = Path(checkpoints) if checkpoints else _default_path()
        if checkpoints and not path.exists():
            raise CommandError(f"No checkpoint file at {path}.")
        points = _read_checkpoints(path, public_key)
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1.")
        report = verify_chain(
            keyed=not without_chain_key, checkpoints=points, accept_unkeyed=accept_unkeyed, workers=workers
        )
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event #{report.first_broken_seq}: {report.reason} "
                f"({report.checked} events verified before it)."
            )
        notes = [f"compared with {report.checkpoints} signed checkpoints ({path})"]
        if report.unkeyed:
            notes.append(f"{report.unkeyed} early events written before the chain key (plain SHA-256)")
        if not report.content_checked:
            notes.append("content of keyed events not checked (no chain key)")
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {report.checked} events; " + "; ".join(notes) + ".")
        )


def _default_path() -> Path:
    return checkpoints.default_path()


def _read_checkpoints(path: Path, public_key_file: str | None) -> list[checkpoints.Checkpoint]:
    if not path.exists():
        return []
    key = (
        parse_public_key(Path(public_key_file).read_text())
        if public_key_file
        else checkpoints.configured_public_key()
    )
    try:
        return checkpoints.read(path=path, public_key=key)
    except checkpoints.CheckpointError as error:
        raise CommandError(f"Audit checkpoints invalid: {error}.") from error
