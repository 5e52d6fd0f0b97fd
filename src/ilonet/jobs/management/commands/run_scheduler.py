import signal
import threading

from django.core.management.base import BaseCommand

from ilonet.jobs import registry
from ilonet.jobs.scheduler import Scheduler


class Command(BaseCommand):
    help = (
        "Run the scheduler of periodic jobs: enqueue each periodic job when it is due, and put back "
        "on the queue the jobs of a worker that died. Safe to start twice: one scheduler is active "
        "at a time (a lease in the database), the other takes over when it stops."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between ticks (default 5)")
        parser.add_argument(
            "--lease",
            type=float,
            default=30.0,
            help="seconds before a silent scheduler is replaced (default 30)",
        )
        parser.add_argument("--once", action="store_true", help="one tick, then stop (cron, tests)")

    def handle(self, *args, interval: float, lease: float, once: bool, **options):
        if not 0.1 <= interval < lease:
            self.stderr.write("--interval must be at least 0.1 s and shorter than --lease.")
            raise SystemExit(2)
        scheduler = Scheduler(lease_seconds=lease)
        if once:
            tick = scheduler.tick()
            state = "active" if tick.active else "standing by"
            self.stdout.write(
                f"Scheduler {state}; enqueued {len(tick.enqueued)}, recovered {len(tick.recovered)}."
            )
            return
        jobs = registry.periodic_jobs()
        self.stdout.write(f"Scheduler {scheduler.holder} started with {len(jobs)} periodic jobs:")
        for definition in jobs:
            self.stdout.write(f"  {definition.schedule}: {definition.label}")
        self.stdout.flush()
        stop = threading.Event()

        def _stop(signum, frame):
            stop.set()

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        scheduler.run(interval=interval, stop=stop)
        self.stdout.write("Scheduler stopped.")
