from django.core.management.base import BaseCommand
from django.utils import translation

from ilonet.returns import diagrams


class Command(BaseCommand):
    help = "Write the Mermaid state diagrams of the return case machines into docs/returns-state-machines.md."

    def handle(self, *args, **options):
        with translation.override("en"):
            diagrams.path().write_text(diagrams.render(), encoding="utf-8")
        self.stdout.write(f"Wrote {diagrams.path()}")
