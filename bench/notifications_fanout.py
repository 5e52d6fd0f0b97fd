"""Benchmark of the notifications (``ilonet.notifications``): one event told to 10,000 officers
and delivered by e-mail to a real SMTP server on loopback.

On a fresh database (a temporary SQLite file, or PostgreSQL via DATABASE_URL):
1. 10,000 liaison officers (role ``ilo``; a tenth prefer Dutch) are made;
2. **notice**: one board decision passed on to every officer (``board.decision_passed_on``,
   Art. 7(9)) goes through the one notifier, in one transaction as a producer would: the
   audience resolved, every user checked with ``policy.can``, a notification and an outbox
   mail per officer, the sending jobs enqueued;
3. **delivery**: the worker (django-tasks-db's own loop; ``--workers N`` forks more, as
   production may run several ``db_worker``) runs the sending jobs (20 of 500 mails): each
   mail claimed, rendered (once per language), handed to the SMTP server (aiosmtpd, in its own
   process on 127.0.0.1, counting what arrives) and marked sent.

The budget (issue 10): the whole fan-out delivered in under 60 s on the 2-core machine.

Usage: .venv/bin/python bench/notifications_fanout.py [--officers 10000] [--write-docs]
"""

import argparse
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

# make bench: the 10,000 officers in a full run
BENCH_RUN = {"quick": ["--officers", "500"]}

from _docs import database_version, replace_section  # noqa: E402  (bench/ is the script's own directory)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilonet.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='ilonet-bench-')}/bench.sqlite3"

BUDGET_SECONDS = 60


def smtp_server(port, arrived, ready, stop) -> None:
    """aiosmtpd on loopback, in its own process: counts the mails that arrive."""
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with arrived.get_lock():
                arrived.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (db_worker) sending")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    from ilonet.notifications.testing import free_port

    port = free_port()
    arrived, ready, stop = multiprocessing.Value("i", 0), multiprocessing.Event(), multiprocessing.Event()
    server = multiprocessing.Process(target=smtp_server, args=(port, arrived, ready, stop), daemon=True)
    server.start()
    ready.wait(10)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    from django_tasks_db.management.commands.db_worker import Worker

    from ilonet import policy
    from ilonet.accounts.models import RoleAssignment, User
    from ilonet.directory.models import Organisation
    from ilonet.jobs.notify import Audience, Notice
    from ilonet.notifications import services
    from ilonet.notifications.models import MailState, OutboxMail

    n = args.officers
    organisation = Organisation.objects.get(code="nl")
    start = time.perf_counter()
    User.objects.bulk_create(
        [User(email=f"officer{i}@bench.example.eu", organisation=organisation, first_name="Officer",
              last_name=str(i), preferred_language="nl" if i % 10 == 0 else "en") for i in range(n)],
        batch_size=2000,
    )  # fmt: skip
    ids = User.objects.filter(email__endswith="@bench.example.eu").values_list("pk", flat=True)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=pk, role="ilo") for pk in ids], batch_size=2000
    )
    setup = time.perf_counter() - start

    notice = Notice(
        kind="board.decision_passed_on", key="bench.decision:1", obj=None,
        audience_action=policy.Action.VIEW_DECISIONS, recipients=Audience(roles=("ilo",)),
        context={"motion": 1, "title": "Common approach to document checks", "article": "Art. 7(9)"},
        link="/board/decisions/1/",
    )  # fmt: skip
    start = time.perf_counter()
    with transaction.atomic():
        told = services.deliver_notice(notice)
    notice_seconds = time.perf_counter() - start
    assert len(told) == n

    def work(worker_id: str) -> None:
        Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
               max_tasks=None, worker_id=worker_id, excluded_queue_names=[]).run()  # fmt: skip

    connections.close_all()  # the other workers are forked: each opens its own connection
    start = time.perf_counter()
    others = [multiprocessing.Process(target=work, args=(f"bench-{i}",)) for i in range(1, args.workers)]
    for other in others:
        other.start()
    work("bench-0")
    for other in others:
        other.join()
    delivery_seconds = time.perf_counter() - start
    time.sleep(0.5)  # the last replies
    sent = OutboxMail.objects.filter(state=MailState.SENT).count()
    stop.set()
    server.join(10)
    assert sent == n == arrived.value, (sent, arrived.value)
    total = notice_seconds + delivery_seconds

    report = "\n".join([
        f"{n:,} officers, one notice (a decision passed on, Art. 7(9)); {database_version(connection)}, "
        "Python "
        f"{platform.python_version()}, {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at the "
        f"end. {args.workers} worker process(es), {settings.NOTIFICATION_SMTP_CONNECTIONS} SMTP connections "
        "each; aiosmtpd on 127.0.0.1 in its own process.",
        "",
        "| step | seconds | per recipient (ms) |",
        "|---|---:|---:|",
        f"| notice: policy check of every officer, {n:,} notifications and outbox mails, jobs enqueued "
        f"| {notice_seconds:.1f} | {notice_seconds * 1000 / n:.2f} |",
        f"| delivery: {arrived.value:,} mails claimed, rendered, sent over SMTP, marked sent "
        f"| {delivery_seconds:.1f} | {delivery_seconds * 1000 / n:.2f} |",
        f"| **total** (budget {BUDGET_SECONDS} s) | **{total:.1f}** | {total * 1000 / n:.2f} |",
        "",
        f"(Setting up the {n:,} accounts, not counted: {setup:.1f} s.)",
    ])  # fmt: skip
    print(report)
    if args.write_docs:
        _write_docs(report, connection.vendor)
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)
    if total > BUDGET_SECONDS:
        sys.exit(f"over budget: {total:.1f} s > {BUDGET_SECONDS} s")


def _write_docs(report: str, vendor: str) -> None:
    title = "SQLite" if vendor == "sqlite" else "PostgreSQL"
    replace_section(
        f"bench/notifications_fanout.py {vendor}", f"### Notification fan-out, {title}\n\n{report}"
    )


if __name__ == "__main__":
    main()
