"""Helpers shared by the board's pages."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.shared.exports import csv_response
from ilonet.shared.paging import paginate

A = policy.Action


def _not_found_on_missing(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404 from None

    return wrapper


def board_view(view):
    return login_required(_not_found_on_missing(view))


def _status(*forms) -> int:
    return 422 if any(f is not None and f.errors for f in forms) else 200


def _csv(rows, filename: str) -> StreamingHttpResponse:
    return csv_response(rows, filename=filename)


def _form_page(request, form, *, title: str, intro: str = "", submit: str = "", cancel_url: str = ""):
    return render(
        request,
        "board/form_page.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit or _("Save"),
            "cancel_url": cancel_url,
        },
        status=_status(form),
    )


def _biannual_list(request, selector, template: str):
    """The list of work programmes or of activity reports (Art. 8(2)(a), Art. 8(2)(c)): one page of
    the selector's rows and whether the user may draft a new one."""
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    page = paginate(request, selector(user=request.user))
    return render(
        request, template, {"page_obj": page, "may_manage": policy.can(request.user, A.MANAGE_BOARD)}
    )
