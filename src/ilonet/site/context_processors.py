"""Template context shared by every page: the main menu, filtered by the policy."""

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from ilonet import policy
from ilonet.notifications import selectors as notification_selectors

# (label, url name, action needed to see the entry or None for every signed-in user)
MENU = (
    (_("Home"), "home", None),
    (_("Directory"), "directory:organisation_list", policy.Action.VIEW_DIRECTORY),
    (_("Deployments"), "deployments:deployment_list", policy.Action.VIEW_DEPLOYMENTS),
    (_("Networks"), "networks:network_list", policy.Action.VIEW_NETWORKS),
    (_("Situation reports"), "situation_reports:report_list", policy.Action.VIEW_SITUATION_REPORTS),
    (_("Deployment gaps"), "deployments:gap_analysis", policy.Action.VIEW_DEPLOYMENT_GAPS),
    (_("Steering board"), "board:dashboard", policy.Action.VIEW_PROGRAMMES_AND_REPORTS),
    (_("Personal data"), "personaldata:record_list", policy.Action.VIEW_PERSONAL_RECORDS),
    (_("Data protection"), "personaldata:dpo_overview", policy.Action.OVERSEE_PERSONAL_DATA),
    (_("Documents"), "exchange:space_list", policy.Action.VIEW_EXCHANGE),
    (_("Return cases"), "returns:worklist", policy.Action.VIEW_RETURN_CASES),
    (_("Return indicators"), "indicators:dashboard", policy.Action.VIEW_RETURN_INDICATORS),
    (_("Return cooperation"), "cooperation:offer_list", policy.Action.VIEW_RETURN_COOPERATION),
    (_("Users"), "accounts:user_list", policy.Action.VIEW_USERS),
    (_("Audit trail"), "audit:event_list", policy.Action.VIEW_AUDIT),
    (_("Background jobs"), "jobs:job_list", policy.Action.VIEW_JOBS),
)


# The menu's addresses, reversed once per URL configuration and script prefix (they hold no
# language and no id): reversing sixteen names was a tenth of every page's layout.
_menu_urls: dict[tuple[str, object], tuple[str, ...]] = {}


def _menu_addresses() -> tuple[str, ...]:
    key = (get_script_prefix(), get_urlconf())
    found = _menu_urls.get(key)
    if found is None:
        found = _menu_urls[key] = tuple(reverse(url_name) for _label, url_name, _action in MENU)
    return found


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {"label": label, "url": url, "active": False}
        for (label, _url_name, action), url in zip(MENU, _menu_addresses(), strict=True)
        if action is None or policy.can(user, action)
    ]
    for number, item in enumerate(items):
        item["id"] = f"ilonet-menu-item-{number}"
    # Only the entry with the longest URL that prefixes the path is current
    # (/deployments/gaps/ lights "Deployment gaps", not also "Deployments").
    matches = [i for i in items if request.path == i["url"]
               or (i["url"] != "/" and request.path.startswith(i["url"]))]  # fmt: skip
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}


def notifications(request) -> dict:
    """The unread count in the header of every page (None: no notification centre for this user)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not policy.can(user, policy.Action.VIEW_NOTIFICATIONS):
        return {"notifications_unread": None}
    return {"notifications_unread": notification_selectors.unread_count(user=user)}
