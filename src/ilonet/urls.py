from django.urls import include, path

from ilonet.accounts.urls import profile_urlpatterns
from ilonet.api.urls import api
from ilonet.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("about/", core_views.about, name="about"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include(profile_urlpatterns)),
    path("accounts/", include("ilonet.accounts.urls")),
    path("directory/", include("ilonet.directory.urls")),
    path("audit/", include("ilonet.audit.urls")),
    path("deployments/", include("ilonet.deployments.urls")),
    path("networks/", include("ilonet.networks.urls")),
    path("board/", include("ilonet.board.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

handler400 = "ilonet.core.views.bad_request"
handler403 = "ilonet.core.views.permission_denied"
handler404 = "ilonet.core.views.page_not_found"
handler500 = "ilonet.core.views.server_error"
