"""Cross-cutting response rules: the API's one error shape, no 500 for an out-of-range
number, and no caching of what holds personal data or a secret."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .unavailable import unavailable_response

API_PREFIX = "/api/"


class ApiErrorShapeMiddleware:
    """Every error under /api/ answers ``{"detail": …}`` as JSON: django-ninja answers a
    method it does not route with a plain-text 405, and a few paths fall outside the API's
    own handlers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and 400 <= response.status_code < 600
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            messages = {404: _("Not found."), 405: _("Method not allowed."), 413: _("Request too large.")}
            replacement = JsonResponse(
                {"detail": messages.get(response.status_code, _("Bad request."))},
                status=response.status_code,
            )
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """An integer beyond 64 bits in a page's path or query: a client error, not a 500; the
        database away or a full disk: a 503 (``unavailable``)."""
        unavailable = unavailable_response(request, exception)
        if unavailable is not None:
            return unavailable
        if isinstance(exception, OverflowError):
            from .views import bad_request

            return bad_request(request, exception)
        return None


class NoStoreMiddleware:
    """Responses to a signed-in user (a session or an API token) are ``private, no-store``:
    they may hold personal data (contact list, member lists, exports) or a secret (a new API
    token, TOTP and recovery codes), and neither a shared nor the browser's cache may keep
    them. Done once for every such response, not per view, so a new page cannot forget it.
    Static files are served before this runs (WhiteNoise) and keep their long caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if "no-store" in response.get("Cache-Control", ""):
            return response  # the view already forbade storing it
        if (user is not None and user.is_authenticated) or request.path.startswith(API_PREFIX):
            patch_cache_control(response, private=True, no_store=True, max_age=0)
            response.headers.pop("Expires", None)
        return response
