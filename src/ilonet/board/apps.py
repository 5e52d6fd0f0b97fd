from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "ilonet.board"
    label = "board"
    verbose_name = _("Steering board")

    def ready(self) -> None:
        from ilonet.accounts.name_followers import follow_name_changes

        from .services.composition import follow_account_name

        follow_name_changes(follow_account_name)  # the list of members follows the account's name
