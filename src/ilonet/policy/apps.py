from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    """The access policy. At start-up it imports every installed app's ``policies`` module
    (as django-rules does with ``rules``), where the app registers its rules, its queryset
    scopes and (accounts) the source of users' roles."""

    name = "ilonet.policy"
    label = "policy"
    verbose_name = _("Access policy")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)

        autodiscover_modules("policies")
