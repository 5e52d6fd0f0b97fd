"""Build the demo network (deterministic) and print one login per role."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ilonet.accounts import demo as accounts_demo
from ilonet.accounts.models import User
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.board import demo as board_demo
from ilonet.deployments import demo as deployments_demo
from ilonet.directory import demo as directory_demo
from ilonet.networks import demo as networks_demo


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
                authorities = directory_demo.ensure_authorities()
                logins = accounts_demo.seed_accounts(authorities)
                deployments_demo.seed_deployments()
                networks_demo.seed_networks()
                board_demo.seed_board()
                audit.record(action=AuditAction.DEMO_SEEDED, actor_label="seed_demo")
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._print_logins(logins)

    def _print_logins(self, logins):
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {accounts_demo.DEMO_PASSWORD})")
        self.stdout.write("Second factor: a TOTP code. Add the secret to an authenticator app, or")
        self.stdout.write("print the current code with:  make totp EMAIL=<e-mail address>")
        self.stdout.write("")
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.email:<{width}}  {login.role:<34}  {login.totp_secret}")
        self.stdout.write("")
