from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ilonet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from ilonet.api.auth import AccountHooks, register_account_hooks

        from . import selectors, services, signals, step_up  # noqa: F401  (signals: audit of sign-ins)
        from .middleware import has_second_factor

        register_account_hooks(
            AccountHooks(
                user_and_token=selectors.user_by_token,
                token_used=services.touch_api_token,
                has_second_factor=has_second_factor,
                session_checked=step_up.note_session_second_factor,
            )
        )
