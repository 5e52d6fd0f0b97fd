from django.urls import include, path

from ilonet.accounts.urls import profile_urlpatterns
from ilonet.site import monitoring
from ilonet.site import views as site_views
from ilonet.site.api import api

urlpatterns = [
    path("", site_views.home, name="home"),
    path("healthz", site_views.healthz, name="healthz"),
    path("readyz", monitoring.readyz, name="readyz"),
    path("metrics", monitoring.metrics_view, name="metrics"),
    path("about/", site_views.about, name="about"),
    path("privacy/", site_views.privacy, name="privacy"),
    path("accessibility/", site_views.accessibility, name="accessibility"),
    path("accounts/", include(profile_urlpatterns)),  # first: its e-mail page replaces allauth's
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("ilonet.accounts.urls")),
    path("directory/", include("ilonet.directory.urls")),
    path("audit/", include("ilonet.audit.urls")),
    path("deployments/", include("ilonet.deployments.urls")),
    path("networks/", include("ilonet.networks.urls")),
    path("board/", include("ilonet.board.urls")),
    path("situation-reports/", include("ilonet.situation_reports.urls")),
    path("exchange/", include("ilonet.exchange.urls")),
    path("returns/indicators/", include("ilonet.indicators.urls")),
    path("returns/cooperation/", include("ilonet.cooperation.urls")),
    path("returns/", include("ilonet.returns.urls")),
    path("operations/jobs/", include("ilonet.jobs.urls")),
    path("personal-data/", include("ilonet.personaldata.urls")),
    path("notifications/", include("ilonet.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

handler400 = "ilonet.site.views.bad_request"
handler403 = "ilonet.site.views.permission_denied"
handler404 = "ilonet.site.views.page_not_found"
handler500 = "ilonet.site.views.server_error"
