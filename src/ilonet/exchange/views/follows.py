"""Following spaces, folders and topics of Art. 3(4): the buttons on the space and folder pages
and the "What I follow" page (with the topics to follow)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet.situation_reports.topics import TOPICS

from .. import selectors, services
from .common import exchange_view, found


def _back(request, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@exchange_view
def follow_list(request):
    followed = selectors.follows_of(user=request.user)
    topics = selectors.followed_topics(user=request.user)
    return render(
        request,
        "exchange/follow_list.html",
        {
            "places": [f for f in followed if f.kind != "topic"],
            "topics": [(info, info.code in topics) for info in TOPICS],
        },
    )


def _toggle(request, *, following: bool, **subject):
    try:
        if following:
            services.follow(actor=request.user, **subject)
        else:
            services.unfollow(actor=request.user, **subject)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    messages.success(
        request,
        _("You follow it: new documents and reports reach you as notifications.")
        if following
        else _("You no longer follow it."),
    )


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def space_follow(request, pk: int):
    space = found(selectors.space_detail, user=request.user, pk=pk)
    _toggle(request, following=request.POST.get("follow") != "0", space=space)
    return _back(request, reverse("exchange:space_detail", args=[space.pk]))


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def folder_follow(request, pk: int):
    folder = found(selectors.folder_detail, user=request.user, pk=pk)
    _toggle(request, following=request.POST.get("follow") != "0", folder=folder)
    return _back(request, reverse("exchange:folder_detail", args=[folder.pk]))


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def topic_follow(request, code: str):
    _toggle(request, following=request.POST.get("follow") != "0", topic=code)
    return redirect("exchange:follow_list")
