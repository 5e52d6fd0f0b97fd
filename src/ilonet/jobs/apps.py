from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background work. At start-up it imports every ILOnet app's ``jobs`` module, where the
    app declares its jobs and periodic jobs (``ilonet.jobs.registry.job``)."""

    name = "ilonet.jobs"
    label = "jobs"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from . import registry

        registry.autodiscover()
