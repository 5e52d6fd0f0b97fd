"""Pages of the access the steering board decides: openings to the European Parliament
(Art. 9(4)) and the users authorised to override the personal-data guard (Art. 9(3))."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.accounts import selectors as accounts
from ilonet.shared.forms import apply_validation_error

from .. import access, selectors, services
from ..forms import AuthorisationForm, DecisionForm
from .common import A, exchange_view, found

TARGETS = {
    "space": selectors.space_detail,
    "folder": selectors.folder_detail,
    "document": selectors.document_detail,
}


@exchange_view
def opening_list(request):
    """What is open to the European Parliament now, and what was withdrawn (the board's office);
    the Parliament's reader sees the openings in force only."""
    user = request.user
    return render(
        request,
        "exchange/opening_list.html",
        {
            "openings": selectors.openings_for(
                user=user, current_only=not policy.can(user, A.OPEN_TO_PARLIAMENT)
            ),
            "may_open": policy.can(user, A.OPEN_TO_PARLIAMENT),
        },
    )


@exchange_view
def opening_create(request, kind: str, pk: int):
    policy.authorize(request.user, A.OPEN_TO_PARLIAMENT)
    if kind not in TARGETS:
        raise Http404
    target = found(TARGETS[kind], user=request.user, pk=pk)
    form = DecisionForm(request.POST or None, decisions=selectors.decision_choices(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.open_to_parliament(
                actor=request.user, motion_id=form.cleaned_data["motion"], **{kind: target}
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Opened to the European Parliament, as the steering board decided."))
            return redirect("exchange:opening_list")
    status = 422 if form.is_bound else 200
    return render(
        request, "exchange/opening_form.html", {"form": form, "target": target, "kind": kind}, status=status
    )


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def opening_withdraw(request, pk: int):
    policy.authorize(request.user, A.OPEN_TO_PARLIAMENT)
    opening = found(selectors.openings_for(user=request.user, current_only=False).get, pk=pk)
    try:
        services.withdraw_opening(actor=request.user, opening=opening)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The opening is withdrawn."))
    return redirect("exchange:opening_list")


@exchange_view
def authorisation_list(request):
    policy.authorize(request.user, A.AUTHORISE_GUARD_OVERRIDES)
    form = AuthorisationForm(
        request.POST or None,
        users=accounts.active_users_with_roles(roles=access.EXCHANGE_ROLES),
        decisions=selectors.decision_choices(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.authorise_overrides(
                actor=request.user, user=form.cleaned_data["user"], motion_id=form.cleaned_data["motion"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Authorisation recorded."))
            return redirect("exchange:authorisation_list")
    status = 422 if form.is_bound else 200
    return render(
        request,
        "exchange/authorisation_list.html",
        {
            "form": form,
            "authorisations": selectors.override_authorisations(user=request.user),
        },
        status=status,
    )


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def authorisation_revoke(request, pk: int):
    policy.authorize(request.user, A.AUTHORISE_GUARD_OVERRIDES)
    grant = found(selectors.override_authorisations(user=request.user).get, pk=pk)
    try:
        services.revoke_override_authorisation(actor=request.user, authorisation=grant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Authorisation revoked."))
    return redirect("exchange:authorisation_list")
