from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "ilonet.cooperation"
    label = "cooperation"
    verbose_name = _("Return cooperation")

    def ready(self) -> None:
        from ilonet.indicators import report_sections

        from . import selectors

        report_sections.register(
            "cooperation",
            template="cooperation/pdf/_report_section.html",
            context=lambda year, quarter: {"rows": selectors.overview(year=year, quarter=quarter)},
        )
