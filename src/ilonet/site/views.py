"""The home page, error pages and health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.policy.markers import page_for_every_signed_in_user, public_page

from . import accessibility as accessibility_statement


@page_for_every_signed_in_user
@login_required
def home(request: HttpRequest) -> HttpResponse:
    cards = []
    if policy.can(request.user, policy.Action.VIEW_DIRECTORY):
        cards.append(
            {
                "title": _("Directory"),
                "description": _(
                    "Member states, EU institutions and agencies, third countries and "
                    "international organisations."
                ),
                "url": reverse("directory:organisation_list"),
            }
        )
    for action, title, description, url_name in (
        (policy.Action.VIEW_DEPLOYMENTS, _("Deployment registry"),
         _("Liaison officers deployed in third countries, as notified to the steering board (Art. 4)."),
         "deployments:deployment_list"),
        (policy.Action.VIEW_CONTACT_LIST, _("ILO contact list"),
         _("Name, place of deployment, region, phone and e-mail of the deployed officers (Art. 9(2)(d))."),
         "deployments:contact_list"),
        (policy.Action.VIEW_NETWORKS, _("Local and regional networks"),
         _("Members, facilitators and activities of the networks (Art. 5)."), "networks:network_list"),
        (policy.Action.VIEW_DEPLOYMENT_GAPS, _("Deployment gaps"),
         _("Coverage of third countries against the priority countries, on a world map (Art. 8(2)(e))."),
         "deployments:gap_analysis"),
        (policy.Action.VIEW_OFFICER_LISTS, _("List of deployed ILOs"),
         _("The steering board's dated list, updated before each meeting (Art. 8(2)(d))."),
         "networks:officer_list_list"),
        (policy.Action.VIEW_BOARD, _("Steering board"),
         _("Members, meetings, votes, rules of procedure, work programme and activity report (Art. 7, 8)."),
         "board:dashboard"),
    ):  # fmt: skip
        if policy.can(request.user, action):
            cards.append({"title": title, "description": description, "url": reverse(url_name)})
    if policy.can(request.user, policy.Action.VIEW_USERS):
        cards.append(
            {
                "title": _("Users and roles"),
                "description": _("Accounts, their organisations and their roles."),
                "url": reverse("accounts:user_list"),
            }
        )
    if policy.can(request.user, policy.Action.VIEW_AUDIT):
        cards.append(
            {
                "title": _("Audit trail"),
                "description": _("Search, export and verify the security log."),
                "url": reverse("audit:event_list"),
            }
        )
    cards.append(
        {
            "title": _("My account"),
            "description": _("Password, second factors, recovery codes and API tokens."),
            "url": reverse("account_profile"),
        }
    )
    return render(request, "site/home.html", {"cards": cards})


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


def permission_denied(request, exception=None):
    return _error(request, "403.html", 403, exception)


def page_not_found(request, exception=None):
    return _error(request, "404.html", 404)


def server_error(request):
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
        {
            "exception": _(
                "Your form has expired or was not sent from this site. Reload the page and try again."
            )
        },
        status=403,
    )
