"""Print the current one-time code of a demo account (the demo's "authenticator app")."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ilonet.accounts.demo import DEMO_DOMAIN, demo_totp_secret
from ilonet.shared.testing import totp_code


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        if not settings.DEBUG:
            raise CommandError("Only for the local demo (DEBUG on).")
        if not email.endswith(f"@{DEMO_DOMAIN}"):
            raise CommandError(f"Not a demo account: use an address @{DEMO_DOMAIN}.")
        self.stdout.write(totp_code(demo_totp_secret(email)))
