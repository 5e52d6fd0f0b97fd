from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonalDataConfig(AppConfig):
    name = "ilonet.personaldata"
    label = "personaldata"
    verbose_name = _("Personal data of liaison officers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy check of the name index's key
