from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "ilonet.indicators"
    label = "indicators"
    verbose_name = _("Return indicators")

    def ready(self) -> None:
        from . import report_sections
        from .cases import report

        report_sections.register(
            "case_indicators", template="indicators/pdf/_case_section.html", context=report.section
        )
