from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "ilonet.returns"
    label = "returns"
    verbose_name = _("Return cases")

    def ready(self) -> None:
        from . import jobs  # noqa: F401  (registers the periodic jobs)
