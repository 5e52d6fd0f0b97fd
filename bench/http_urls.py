"""URLs of the HTTP benchmark's server: the site, plus the bare signed-in view that every target
is compared with (the same middleware, a login check, a constant answer)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


@login_required
def signed_in(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/signed-in", signed_in), path("", include("ilonet.urls"))]
