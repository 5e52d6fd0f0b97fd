from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ilonet.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from . import writelock

        writelock.connect()  # SQLite: writers take the write lock (the chain's lock) in turn
