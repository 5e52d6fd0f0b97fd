"""Work programme, ad-hoc actions and training (Art. 8(2)(a), Art. 8(2)(b), Art. 8(3)(a), Art. 8(3)(c))."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.directory import selectors as directory
from ilonet.directory.models import OrganisationKind
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate

from .. import forms as board_forms
from .. import selectors, services
from ..models import (
    AdHocAction,
    ProgrammeStatus,
    WorkProgrammeItem,
)
from .common import A, _biannual_list, _form_page, _status, board_view

# --- work programme (Art. 8(2)(a), Art. 8(2)(b)) -------------------------------------------------------


@board_view
def programme_list(request):
    return _biannual_list(request, selectors.programme_list, "board/programme_list.html")


@board_view
def programme_create(request):
    policy.authorize(request.user, A.MANAGE_BOARD)
    form = board_forms.ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("board:programme_detail", pk=programme.pk)
    return _form_page(
        request,
        form,
        title=_("Draft a work programme"),
        cancel_url=reverse("board:programme_list"),
        intro=_(
            "A biannual work programme sets priorities and activities and the resources needed "
            "(Art. 8(2)(a))."
        ),
    )


def _owners(user):
    """Who can own a work programme item: member states, EU institutions and agencies."""
    return directory.organisation_list(user=user).filter(
        kind__in=(OrganisationKind.MEMBER_STATE, OrganisationKind.EU_INSTITUTION, OrganisationKind.EU_AGENCY),
        is_active=True,
    )


def _programme_context(request, programme, **forms) -> dict:
    may_manage = policy.can(request.user, A.MANAGE_BOARD)
    context = {
        "programme": programme,
        "may_manage": may_manage,
        "items": list(programme.items.all()),
        "evaluations": list(programme.evaluations.all()),
        "trainings": list(programme.trainings.all()),
        "motions": list(programme.motions.order_by("-created_at"))
        if policy.can(request.user, A.VIEW_BOARD)
        else [],
    }
    if may_manage:
        if programme.status == ProgrammeStatus.DRAFT:
            context["item_form"] = forms.get("item_form") or board_forms.ProgrammeItemForm(
                owners=_owners(request.user)
            )
        context["evaluation_form"] = forms.get("evaluation_form") or board_forms.EvaluationForm()
        if programme.awaits_sending:
            context["sent_form"] = forms.get("sent_form") or board_forms.SentToParliamentForm()
        context["status_choices"] = board_forms.ItemStatusForm().fields["status"].choices
    return context


@board_view
def programme_detail(request, pk: int):
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    programme = selectors.programme_detail(user=request.user, pk=pk)
    return render(request, "board/programme_detail.html", _programme_context(request, programme))


def _programme_post(request, pk, form_name, form, apply, success):
    policy.authorize(request.user, A.MANAGE_BOARD)
    programme = selectors.programme_detail(user=request.user, pk=pk)
    if form.is_valid():
        try:
            apply(programme, form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, success)
            return redirect("board:programme_detail", pk=pk)
    programme = selectors.programme_detail(user=request.user, pk=pk)
    return render(
        request,
        "board/programme_detail.html",
        _programme_context(request, programme, **{form_name: form}),
        status=422,
    )


@board_view
@require_POST
def programme_item_add(request, pk: int):
    return _programme_post(
        request,
        pk,
        "item_form",
        board_forms.ProgrammeItemForm(request.POST, owners=_owners(request.user)),
        lambda p, d: services.add_programme_item(actor=request.user, programme=p, **d),
        _("Item added."),
    )


@board_view
@require_POST
def programme_item_status(request, pk: int, item_pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    item = WorkProgrammeItem.objects.get(pk=item_pk, programme_id=pk)
    form = board_forms.ItemStatusForm(request.POST)
    if form.is_valid():
        services.set_item_status(actor=request.user, item=item, status=form.cleaned_data["status"])
        messages.success(request, _("Status changed."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("board:programme_detail", pk=pk)


@board_view
@require_POST
def programme_evaluation_add(request, pk: int):
    return _programme_post(
        request,
        pk,
        "evaluation_form",
        board_forms.EvaluationForm(request.POST),
        lambda p, d: services.add_evaluation(actor=request.user, programme=p, **d),
        _("Evaluation recorded."),
    )


@board_view
@require_POST
def programme_sent(request, pk: int):
    return _programme_post(
        request,
        pk,
        "sent_form",
        board_forms.SentToParliamentForm(request.POST),
        lambda p, d: services.mark_programme_sent(actor=request.user, programme=p, on=d["sent_to_ep_on"]),
        _("Recorded as sent to the European Parliament."),
    )


# --- ad-hoc actions and training (Art. 8(3)(a), Art. 8(3)(c)) ------------------------------------------


def _record_list(
    request, *, make_form, record, success: str, url_name: str, rows, template: str, **manage_context
):
    """A list of what the board agreed or supports (Art. 8(3)(a), Art. 8(3)(c)) with, for the chair and
    the secretariat, a form to record one more (``record``); ``manage_context`` only for them."""
    policy.authorize(request.user, A.VIEW_DECISIONS)
    may_manage = policy.can(request.user, A.MANAGE_BOARD)
    form = None
    if may_manage:
        form = make_form(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                record(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, success)
                return redirect(url_name)
    elif request.method == "POST":
        policy.authorize(request.user, A.MANAGE_BOARD)
    page = paginate(request, rows(user=request.user))
    context = {"page_obj": page, "form": form, "may_manage": may_manage}
    context.update({key: value if may_manage else None for key, value in manage_context.items()})
    return render(request, template, context, status=_status(form))


@board_view
def action_list(request):
    return _record_list(
        request,
        make_form=lambda data: board_forms.AdHocActionForm(
            data, meetings=selectors.meeting_list(user=request.user)
        ),
        record=services.record_ad_hoc_action,
        success=_("Ad-hoc action recorded."),
        url_name="board:action_list",
        rows=selectors.ad_hoc_action_list,
        template="board/action_list.html",
        status_form=board_forms.AdHocUpdateForm(),
    )


@board_view
@require_POST
def action_update(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    action = AdHocAction.objects.get(pk=pk)
    form = board_forms.AdHocUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.update_ad_hoc_action(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Ad-hoc action updated."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("board:action_list")


@board_view
def training_list(request):
    return _record_list(
        request,
        make_form=lambda data: board_forms.TrainingForm(
            data, programmes=selectors.programme_list(user=request.user)
        ),
        record=services.record_training,
        success=_("Training activity recorded."),
        url_name="board:training_list",
        rows=selectors.training_list,
        template="board/training_list.html",
    )
