"""Close the written procedures whose deadline has passed and count them (Art. 7(8)). For the
scheduler; the board's pages and API also close due motions when they are opened."""

from django.core.management.base import BaseCommand

from ilonet.board import services


class Command(BaseCommand):
    help = "Close and count the written procedures whose deadline has passed."

    def handle(self, *args, **options):
        closed = services.close_due_motions()
        for motion in closed:
            self.stdout.write(f"{motion.pk}: {motion.title} – {motion.outcome}")
        self.stdout.write(
            f"{len(closed)} motion closed." if len(closed) == 1 else f"{len(closed)} motions closed."
        )
