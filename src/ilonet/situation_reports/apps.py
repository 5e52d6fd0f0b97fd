from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituationReportsConfig(AppConfig):
    name = "ilonet.situation_reports"
    label = "situation_reports"
    verbose_name = _("Situation reports")
