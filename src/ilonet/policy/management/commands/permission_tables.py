from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ilonet.policy import tables

DEFAULT_PATH = Path(settings.BASE_DIR) / "docs" / "permissions.md"


class Command(BaseCommand):
    help = "Write docs/permissions.md (role x action tables) from the registered policy rules."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default=str(DEFAULT_PATH), help="file to write")

    def handle(self, *args, output: str, **options) -> None:
        Path(output).write_text(tables.render(), encoding="utf-8")
        self.stdout.write(f"Wrote {output}")
