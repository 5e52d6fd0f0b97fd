"""Export one member state's return cases opened in a period, streamed to a file or standard
output (docs/returns-interchange.md).

    manage.py returns_export --member-state NL --from 2024-01-01 --to 2024-12-31 [--format jsonl|csv]
        [--shape ilonet|sis_return_alert|rcms_readmission_request|riat_reintegration_case|ees_overstay]
        [--output FILE]
"""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ilonet.returns.interchange import exports
from ilonet.returns.interchange.progress import Progress


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r}: give a date as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Export one member state's return cases and events for a period, streamed (issue 13)."

    def add_arguments(self, parser):
        parser.add_argument("--member-state", required=True)
        parser.add_argument(
            "--from", dest="opened_from", required=True, help="first opening date (YYYY-MM-DD)"
        )
        parser.add_argument("--to", dest="opened_to", required=True, help="last opening date (YYYY-MM-DD)")
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--shape", choices=exports.SHAPES, default="ilonet")
        parser.add_argument("--output", help="a file (default: standard output)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        try:
            lines = exports.export_for_operator(
                member_state=options["member_state"],
                opened_from=_date(options["opened_from"]),
                opened_to=_date(options["opened_to"]),
                fmt=options["format"],
                shape=options["shape"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        progress = None if options["no_progress"] or not options["output"] else Progress(label="bytes")
        out = open(options["output"], "w", encoding="utf-8", newline="") if options["output"] else sys.stdout  # noqa: SIM115
        written = 0
        try:
            for piece in lines:
                out.write(piece)
                written += len(piece)
                if progress:
                    progress.update(written)
        finally:
            if out is not sys.stdout:
                out.close()
            if progress:
                progress.close()
