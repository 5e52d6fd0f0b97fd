from django.core.management.base import BaseCommand

from ilonet.returns.interchange import schema


class Command(BaseCommand):
    help = (
        "Write the JSON Schema of the return case interchange format (docs/returns-interchange.schema.json)."
    )

    def handle(self, *args, **options):
        schema.path().write_text(schema.render(), encoding="utf-8")
        self.stdout.write(f"Wrote {schema.path()}")
