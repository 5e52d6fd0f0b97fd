"""Import return cases and their timelines from a CSV or JSON lines file (docs/returns-interchange.md).

    manage.py returns_import FILE --member-state NL [--user officer@example.org] [--batch-size 10000]

Streams the file in batches, one transaction each, with a progress line on standard error.
Run it again after a crash (or a kill): it resumes after the last committed batch. Run it again
after it finished: nothing changes (every row's external id is already held).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from ilonet.returns import rls
from ilonet.returns.interchange import importing, reading, services
from ilonet.returns.interchange.progress import Progress, count_lines


class Command(BaseCommand):
    help = "Import return cases and events from a CSV or JSON lines file, resumably (issue 13)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--member-state", required=True, help="ISO code of the member state the file is for"
        )
        parser.add_argument("--user", help="e-mail of the return officer importing (default: the platform)")
        parser.add_argument("--batch-size", type=int, default=importing.DEFAULT_BATCH)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        total = None if options["no_progress"] else count_lines(path)
        progress = None if options["no_progress"] else Progress(total=total, label="lines")
        on_batch = (lambda run: progress.update(run.checkpoint_line)) if progress else None
        common = {
            "path": path,
            "member_state": options["member_state"],
            "batch_size": options["batch_size"],
            "total_lines": total,
            "on_batch": on_batch,
        }
        try:
            if options["user"]:
                user = get_user_model().objects.filter(email__iexact=options["user"]).first()
                if user is None:
                    raise CommandError(f"no user {options['user']}")
                run = services.import_file(actor=user, **common)
            else:
                run = services.import_file_as_system(**common)
        except reading.MalformedFile as error:
            raise CommandError(f"{path.name}: {error}") from None
        except PermissionDenied as error:
            raise CommandError(f"refused: {error}") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        finally:
            if progress:
                progress.close()
        self.stdout.write(
            f"import {run.pk} {run.status}: {run.cases_created} cases and "
            f"{run.events_created} events created, "
            f"{run.rows_unchanged} rows already held, {run.rows_rejected} refused, "
            f"{run.duplicates_suspected} suspected duplicate persons to review"
        )
        with rls.member_state_scope([run.member_state]):  # row-level security on PostgreSQL
            errors = list(run.row_errors.order_by("line")[:20])
        for error in errors:
            self.stdout.write(f"  line {error.line}: {error.reason}")
        if run.rows_rejected > 20:
            self.stdout.write(f"  … and {run.rows_rejected - 20} more refused rows (see the import's page)")
