"""Template context shared by every page: the main menu, filtered by the policy."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ilonet import policy

# (label, url name, action needed to see the entry or None for every signed-in user)
MENU = (
    (_("Home"), "home", None),
    (_("Directory"), "directory:organisation_list", policy.Action.VIEW_DIRECTORY),
    (_("Users"), "accounts:user_list", policy.Action.VIEW_USERS),
    (_("Audit trail"), "audit:event_list", policy.Action.VIEW_AUDIT),
)


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, action in MENU:
        if action is None or policy.can(user, action):
            url = reverse(url_name)
            items.append(
                {
                    "label": label,
                    "url": url,
                    "active": request.path == url
                    or (url != "/" and request.path.startswith(url)),
                }
            )
    return {"nav_items": items}
