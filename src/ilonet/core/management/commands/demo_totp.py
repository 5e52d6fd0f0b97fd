"""Print the current one-time code of a demo account (the demo's "authenticator app")."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ilonet.accounts.demo import DEMO_DOMAIN, demo_totp_secret


def current_code(secret: str) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        if not settings.DEBUG:
            raise CommandError("Only for the local demo (DEBUG on).")
        if not email.endswith(f"@{DEMO_DOMAIN}"):
            raise CommandError(f"Not a demo account: use an address @{DEMO_DOMAIN}.")
        self.stdout.write(current_code(demo_totp_secret(email)))
