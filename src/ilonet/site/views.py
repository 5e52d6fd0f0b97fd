"""The home page, error pages and health check."""

import sys

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ilonet.policy.markers import page_for_every_signed_in_user, public_page
from ilonet.shared.unavailable import unavailable_response

from . import accessibility as accessibility_statement
from . import home as home_panels


@page_for_every_signed_in_user
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's own work, by role (``site.home``), and the parts of the platform open to them."""
    user = request.user
    context = {
        "panels": home_panels.panels_for(user),
        "notes": home_panels.role_notes(user),
        "cards": home_panels.cards_for(user),
    }
    return render(request, "site/home.html", context)


def static_page(template: str):
    """A public information page (about, privacy statement, accessibility statement)."""

    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template)

    return public_page(view)


about = static_page("site/about.html")
privacy = static_page("site/privacy.html")


@public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (Directive (EU) 2016/2102; the model statement of Commission
    Implementing Decision (EU) 2018/1523)."""
    return render(request, "site/accessibility.html", accessibility_statement.statement_context())


@public_page
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers; reveals nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, template: str, status: int, exception=None) -> HttpResponse:
    if request.path.startswith("/api/"):
        messages = {400: _("Bad request."), 403: _("Permission denied."),
                    404: _("Not found."), 500: _("Server error.")}  # fmt: skip
        return JsonResponse({"detail": messages[status]}, status=status)
    return render(request, template, {"exception": exception}, status=status)


def bad_request(request, exception=None):
    return _error(request, "400.html", 400)


def refusal_reason(exception=None) -> str:
    """The reason a refusal gives, if it says more than "no permission": an article of the
    Regulation (a vote refused under Art. 8(1)), a closed secret vote, an expired form. The
    policy's own message ("You do not have permission to do this.") is the page's title and
    first sentence already, so it is not repeated; the reason of the policy's rule that follows
    it (Art. 9(3), Art. 9(4), ``policy.refusal_message``) is kept."""
    reason = str(exception or "").strip()
    generic = _("You do not have permission to do this.")
    return reason[len(generic) :].strip() if reason.startswith(generic) else reason


def permission_denied(request, exception=None):
    """403 inside the site's layout (menu, account, language switcher), the reason once."""
    if request.path.startswith("/api/"):
        return _error(request, "403.html", 403)
    return render(request, "403.html", {"reason": refusal_reason(exception)}, status=403)


def page_not_found(request, exception=None):
    return _error(request, "404.html", 404)


def server_error(request):
    """500, or 503 when the cause is the database away or a full disk (``shared.unavailable``):
    an error in a middleware (loading the session or the user, reading an upload for the CSRF
    check) reaches only this handler."""
    unavailable = unavailable_response(request, sys.exc_info()[1])
    if unavailable is not None:
        return unavailable
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or expired form: explain it in the user's language (403)."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("CSRF check failed: send the X-CSRFToken header with a session.")},
            status=403,
        )
    return render(
        request,
        "403.html",
        {"reason": _("Your form has expired or was not sent from this site. Reload the page and try again.")},
        status=403,
    )
