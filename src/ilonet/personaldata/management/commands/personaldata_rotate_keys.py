"""Re-wrap every data subject's key under the keyring's first key, without downtime.

Put a new key first in ILONET_ENCRYPTION_KEYS (keep the old one after it), restart the site,
run this command, then drop the old key. Only the wrapped data keys change; the data is not
re-encrypted and the blind index is untouched."""

from django.core.management.base import BaseCommand

from ilonet.personaldata import services, vault


class Command(BaseCommand):
    help = "Re-wrap the personal data keys under the keyring's current key (Art. 10)."

    def handle(self, *args, **options):
        counts = vault.rewrap_all()
        services.note_rotation(counts=counts)
        self.stdout.write(f"re-wrapped {counts['rewrapped']} data keys; {counts['current']} already current")
        self.stdout.write(f"data keys per keyring key now: {vault.wrapping_key_ids()}")
