"""Rebuild the search index from the registered sources (after a restore, a change of
stemmer or of database). Idempotent: a second run changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from ilonet.search import services, sources


class Command(BaseCommand):
    help = "Rebuild the search index from the objects of the apps that register search sources."

    def add_arguments(self, parser):
        parser.add_argument("--kind", help="Only this kind (for example exchange.document).")

    def handle(self, *args, kind=None, **options):
        try:
            counts = services.reindex(kind=kind)
        except sources.UnknownKind as error:
            raise CommandError(str(error)) from error
        if not counts:
            self.stdout.write("No search sources are registered: nothing to index.")
        for name, result in counts.items():
            self.stdout.write(f"{name}: {result['indexed']} indexed, {result['removed']} removed")
