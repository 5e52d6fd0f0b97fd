"""Rules of procedure (Art. 8(1))."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate

from .. import forms as board_forms
from .. import selectors, services
from ..models import (
    RulesOfProcedure,
)
from .common import A, _form_page, board_view

# --- rules of procedure (Art. 8(1)) ---------------------------------------------------------------


def _rules_reader(request):
    if not policy.can(request.user, A.VIEW_BOARD):
        policy.authorize(request.user, A.VIEW_DECISIONS)


@board_view
def rules_list(request):
    _rules_reader(request)
    page = paginate(request, selectors.rules_list(user=request.user))
    return render(
        request,
        "board/rules_list.html",
        {
            "page_obj": page,
            "deadline": selectors.rules_deadline(),
            "may_propose": policy.can(request.user, A.PROPOSE_RULES),
            "in_force": selectors.rules_in_force(day=timezone.localdate()),
        },
    )


@board_view
def rules_detail(request, pk: int):
    _rules_reader(request)
    rules = selectors.rules_list(user=request.user).get(pk=pk)
    return render(
        request,
        "board/rules_detail.html",
        {
            "rules": rules,
            "may_propose": policy.can(request.user, A.PROPOSE_RULES),
            # Only the votes the reader may open: an observer sees those of the meetings it
            # is invited to (Art. 7(4)), not a link that answers 404.
            "motions": list(policy.scope(request.user, A.VIEW_BOARD, rules.motions.order_by("-created_at")))
            if policy.can(request.user, A.VIEW_BOARD)
            else [],
        },
    )


@board_view
def rules_create(request):
    """The chair proposes the rules of procedure (Art. 8(1))."""
    policy.authorize(request.user, A.PROPOSE_RULES)
    latest = RulesOfProcedure.objects.order_by("-version").first()
    initial = {f: getattr(latest, f) for f in services.RULES_FIELDS} if latest else {"secret_ballot": "never"}
    form = board_forms.RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rules = services.propose_rules(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Version %(version)d is drafted.") % {"version": rules.version})
            return redirect("board:rules_detail", pk=rules.pk)
    return _form_page(
        request,
        form,
        title=_("Propose rules of procedure"),
        cancel_url=reverse("board:rules_list"),
        intro=_(
            "The rules of procedure set the voting procedure, when a member may act on behalf of "
            "another and any quorum (Art. 8(1)). They are adopted by a vote."
        ),
    )


@board_view
def rules_edit(request, pk: int):
    policy.authorize(request.user, A.PROPOSE_RULES)
    rules = RulesOfProcedure.objects.get(pk=pk)
    form = board_forms.RulesForm(
        request.POST or None, initial={f: getattr(rules, f) for f in services.RULES_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rules(actor=request.user, rules=rules, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("board:rules_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("Change the draft rules of procedure"),
        cancel_url=reverse("board:rules_detail", args=[pk]),
    )
