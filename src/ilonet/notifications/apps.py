from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications by page and e-mail. At start-up it becomes the notifier of the one hook
    every producer calls (``ilonet.jobs.notify.notify``): ``services.deliver_notice``."""

    name = "ilonet.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from ilonet.jobs.notify import register_notifier

        from . import services

        register_notifier(services.notifier)
