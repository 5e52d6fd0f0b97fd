"""The notification centre: the user's own notifications (mark one or all as read, with htmx)
and their e-mail preferences per kind."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.paging import paginate

from . import selectors, services
from .forms import PreferencesForm
from .models import Notification

PAGE_SIZE = 20


def _decorate(rows):
    for row in rows:
        row.text = selectors.text_of(row)
        row.label = selectors.label_of(row.kind)
    return rows


@login_required
def notification_list(request):
    """Newest first; ``?unread=1`` shows only the unread ones."""
    policy.authorize(request.user, policy.Action.VIEW_NOTIFICATIONS)
    unread_only = request.GET.get("unread") == "1"
    page = paginate(
        request, selectors.notifications_of(user=request.user, unread_only=unread_only), PAGE_SIZE
    )
    _decorate(page)
    context = {
        "page_obj": page,
        "unread_only": unread_only,
        "unread": selectors.unread_count(user=request.user),
        "may_manage": policy.can(request.user, policy.Action.MANAGE_NOTIFICATIONS),
    }
    if request.htmx:
        return render(request, "notifications/_list.html", context)
    return render(request, "notifications/notification_list.html", context)


@login_required
@require_POST
def mark_read(request, pk: int):
    policy.authorize(request.user, policy.Action.MANAGE_NOTIFICATIONS)
    try:
        row = services.mark_read(actor=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if request.htmx:
        _decorate([row])
        return render(
            request,
            "notifications/_row.html",
            {
                "row": row,
                "may_manage": True,
                "unread": selectors.unread_count(user=request.user),
                "oob": True,
            },
        )
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    policy.authorize(request.user, policy.Action.MANAGE_NOTIFICATIONS)
    count = services.mark_all_read(actor=request.user)
    messages.success(
        request, _("All notifications are marked as read.") if count else _("Nothing was unread.")
    )
    return redirect("notifications:list")


@login_required
def preferences(request):
    """Per kind: by e-mail at once, in a daily digest, or not by e-mail."""
    policy.authorize(request.user, policy.Action.VIEW_NOTIFICATIONS)
    current = selectors.preferences_of(user=request.user)
    form = PreferencesForm(request.POST or None, initial=current)
    if request.method == "POST":
        policy.authorize(request.user, policy.Action.MANAGE_NOTIFICATIONS)
        if form.is_valid():
            try:
                services.set_preferences(actor=request.user, choices=form.choices())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your preferences are saved."))
                return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "may_manage": policy.can(request.user, policy.Action.MANAGE_NOTIFICATIONS)},
    )
