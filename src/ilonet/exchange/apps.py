from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "ilonet.exchange"
    label = "exchange"
    verbose_name = _("Information exchange")

    def ready(self) -> None:
        # Every local or regional network gets its space when it is created (Art. 5(1), Art. 9(1)).
        from ilonet.networks import hooks

        from .services import spaces

        hooks.register(spaces.space_for_new_network)
        # Exchange documents are found by the shared search (issue 11 item 6).
        from . import indexing

        indexing.register()

        # Followers of a topic of Art. 3(4) hear of situation reports submitted on it.
        from ilonet.situation_reports import hooks as report_hooks

        from . import notices

        report_hooks.register(notices.report_submitted)

        # The board's meeting documents are kept in the board's space (one document store).
        from . import meetings

        meetings.register()
