"""Build the demo network (deterministic) and print its logins: one per role, one per voting
seat of the steering board (enough for the majority of Art. 7(8)), and an invitation link."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ilonet.accounts import demo as accounts_demo
from ilonet.accounts.models import User
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.board import demo as board_demo
from ilonet.cooperation import demo as cooperation_demo
from ilonet.deployments import demo as deployments_demo
from ilonet.directory import demo as directory_demo
from ilonet.directory.services import ensure_reference_organisations
from ilonet.exchange import demo as exchange_demo
from ilonet.indicators import demo as indicators_demo
from ilonet.jobs import demo as jobs_demo
from ilonet.networks import demo as networks_demo
from ilonet.notifications import demo as notifications_demo
from ilonet.notifications import services as notification_services
from ilonet.personaldata import demo as personaldata_demo
from ilonet.returns import demo as returns_demo
from ilonet.situation_reports import demo as situation_reports_demo


class Command(BaseCommand):
    help = "Load realistic demo data (once) and print the demo logins with their second factor."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when DEBUG is off (never on a real deployment).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Demo data is for local use: DEBUG is off (see --allow-production).")
        already = User.objects.filter(email__endswith=f"@{accounts_demo.DEMO_DOMAIN}").exists()
        if already:
            logins = accounts_demo.demo_logins()
            self.stdout.write("Demo data already present.")
        else:
            with transaction.atomic():
                # The member states and EU bodies come with the migrations; a test database
                # that was emptied since (live-server tests) gets them back here.
                ensure_reference_organisations()
                authorities = directory_demo.ensure_authorities()
                logins = accounts_demo.seed_accounts(authorities)
                with notification_services.without_mail():  # the history fills the centre, mails nobody
                    deployments_demo.seed_deployments()
                    networks_demo.seed_networks()
                    board_demo.seed_board()
                    situation_reports_demo.seed_situation_reports()
                    personaldata_demo.seed_personal_data()
                    exchange_demo.seed_exchange()
                    returns_demo.seed_return_cases()  # before the indicators: they fold its cases
                    indicators_demo.seed_indicators()
                    cooperation_demo.seed_cooperation()
                notifications_demo.seed_notifications()
                audit.record(action=AuditAction.DEMO_SEEDED, actor_label="seed_demo")
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        jobs_demo.seed_jobs()  # after the commit above: a job runs in its own transaction
        with transaction.atomic():
            exchange_demo.index_documents()  # search finds the demo's documents at once
        with transaction.atomic():
            invitation = accounts_demo.demo_invitation()
        self._print_logins(logins)
        self._print_board(board_demo.voting_seat_logins())
        self._print_invitation(invitation)

    def _line(self, text: str = "") -> None:
        self.stdout.write(text)

    def _print_logins(self, logins) -> None:
        self._line()
        self._line(f"Demo logins (password for all: {accounts_demo.DEMO_PASSWORD})")
        self._line("Second factor: a TOTP code. Add the secret to an authenticator app, or")
        self._line("print the current code with:  make totp EMAIL=<e-mail address>")
        self._line()
        self._line("One login per role")
        width = max(len(login.email) for login in logins)
        for login in logins:
            self._line(f"  {login.email:<{width}}  {login.role:<34}  {login.totp_secret}")

    def _print_board(self, board) -> None:
        if not board.logins:
            return
        self._line()
        self._line(
            f"Steering board: {board.voting_members} voting members; a decision needs "
            f"{board.votes_needed} votes in favour (Art. 7(8))."
        )
        if board.open_vote:
            voted = sum(1 for login in board.logins if login.voted)
            self._line(f"Open vote: “{board.open_vote}” ({voted} seats have voted, marked *).")
        self._line("One login per voting seat (same password; the alternates, boardalternate.<country>@,")
        self._line("sign in the same way with make totp):")
        seat_width = max(len(login.seat) for login in board.logins)
        width = max(len(login.email) for login in board.logins)
        for login in board.logins:
            mark = "*" if login.voted else " "
            self._line(f"  {mark} {login.seat:<{seat_width}}  {login.email:<{width}}  {login.totp_secret}")

    def _print_invitation(self, invitation) -> None:
        if invitation is None:
            return
        self._line()
        if invitation.link is None:
            self._line(f"The demo invitation of {invitation.name} ({invitation.email}) is accepted.")
        else:
            self._line(f"Try an invitation: {invitation.name} ({invitation.email}) has no password yet.")
            self._line("Open this link (once) to set a password and a second factor:")
            self._line(f"  {invitation.link}")
        self._line()
