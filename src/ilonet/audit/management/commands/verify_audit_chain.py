from django.core.management.base import BaseCommand, CommandError

from ilonet.audit.verification import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail; name the first broken event."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at event #{report.first_broken_seq}: {report.reason} "
                f"({report.checked} events verified before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events."))
