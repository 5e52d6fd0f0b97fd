"""Rebuild the case indicators from the return-case timelines: ``manage.py rebuild_case_indicators``
(``--fold`` folds the events since the watermark instead, as the job every minute does)."""

import time

from django.core.management.base import BaseCommand

from ilonet.indicators.cases import fold


class Command(BaseCommand):
    help = "Rebuild the case indicators (facts, counters, figures) from the return-case timelines."

    def add_arguments(self, parser):
        parser.add_argument("--fold", action="store_true", help="Fold the new events only.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        done = fold.fold() if options.get("fold") else fold.rebuild()
        elapsed = time.perf_counter() - started
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in done.items()) + f" ({elapsed:.1f} s)")
