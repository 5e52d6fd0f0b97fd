"""Cross-cutting response rules: the API's one error shape, no 500 for an out-of-range
number, no caching of what holds personal data or a secret, and the Content Security Policy."""

import copy
from collections.abc import Callable

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header of the settings' policy built once.

    django-csp builds the ``Content-Security-Policy`` header anew for every response (a copy of
    every directive, then the string): half a millisecond, a fifth of a bare signed-in request.
    The platform's policy is the settings' one, with no nonce and no per-view change, so its
    header is kept while ``CONTENT_SECURITY_POLICY`` stays the same. Any response or request
    that asks for more (a view's ``csp_update``/``csp_replace``/``csp_exempt`` decorators, a
    nonce, a report-only policy, the debug pages) goes through django-csp unchanged."""

    _PER_RESPONSE = (
        "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
        "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro",
    )  # fmt: skip
    _built: tuple[dict, str] | None = None

    def _settings_header(self, policy: dict) -> str:
        built = self._built
        if built is None or built[0] != policy:
            built = self._built = (copy.deepcopy(policy), build_policy())
        return built[1]

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        if (
            not policy
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self._PER_RESPONSE)
        ):
            return super().process_response(request, response)
        header = self._settings_header(policy)
        prefixes = tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())
        if header and HEADER not in response and not request.path_info.startswith(prefixes):
            response[HEADER] = header
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
