"""The agenda of a meeting: change an item and link it to its motion, move it, remove it (Art. 7(6),
Art. 7(7)). Adding an item is ``views.meetings.agenda_add``. Plain forms: everything works without
JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.forms import apply_validation_error

from .. import forms as board_forms
from .. import selectors, services
from ..models import AgendaItem
from .common import A, _status, board_view


def _item(request, pk: int, item_pk: int) -> AgendaItem:
    """The item of a meeting the user may see (404 otherwise), asked after the policy."""
    meeting = selectors.meeting_detail(user=request.user, pk=pk)
    return AgendaItem.objects.select_related("meeting", "motion").get(pk=item_pk, meeting=meeting)


def _to_agenda(pk: int, item_pk: int | None = None):
    anchor = f"#agenda-item-{item_pk}" if item_pk else "#agenda"
    return redirect(reverse("board:meeting_detail", args=[pk]) + anchor)


def _refused(request, item: AgendaItem):
    """The agenda can no longer change: say why, on the meeting's page."""
    messages.error(request, selectors.agenda_refusal(meeting=item.meeting))
    return _to_agenda(item.meeting_id)


@board_view
def agenda_item_edit(request, pk: int, item_pk: int):
    """Change an agenda item, and link it to the motion voted on under it."""
    policy.authorize(request.user, A.MANAGE_AGENDA)
    item = _item(request, pk, item_pk)
    if not policy.can(request.user, A.MANAGE_AGENDA, item):
        return _refused(request, item)
    motions = list(selectors.linkable_motions(item=item))
    initial = {
        "title": item.title,
        "kind": item.kind,
        "description": item.description,
        "motion": item.motion_id,
    }
    form = board_forms.AgendaItemEditForm(request.POST or None, motions=motions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        motion_id = data.pop("motion")
        data["motion"] = next((m for m in motions if m.pk == motion_id), None)
        try:
            services.update_agenda_item(actor=request.user, item=item, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The agenda item is changed."))
            return _to_agenda(pk, item.pk)
    return render(
        request,
        "board/agenda_item_form.html",
        {"form": form, "item": item, "meeting": item.meeting, "motions": motions},
        status=_status(form),
    )


@board_view
@require_POST
def agenda_item_move(request, pk: int, item_pk: int):
    """Move an agenda item one place up or down."""
    policy.authorize(request.user, A.MANAGE_AGENDA)
    item = _item(request, pk, item_pk)
    form = board_forms.MoveAgendaItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Move an item up or down."))
        return _to_agenda(pk, item.pk)
    try:
        services.move_agenda_item(actor=request.user, item=item, direction=form.cleaned_data["direction"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agenda item is moved."))
    return _to_agenda(pk, item.pk)


@board_view
def agenda_item_remove(request, pk: int, item_pk: int):
    """Remove an agenda item, after a confirmation page."""
    policy.authorize(request.user, A.MANAGE_AGENDA)
    item = _item(request, pk, item_pk)
    if not policy.can(request.user, A.MANAGE_AGENDA, item):
        return _refused(request, item)
    if request.method == "POST":
        try:
            services.remove_agenda_item(actor=request.user, item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The agenda item is removed."))
        return _to_agenda(pk)
    return render(
        request,
        "board/agenda_item_remove.html",
        {
            "item": item,
            "meeting": item.meeting,
            "documents": selectors.agenda_item_documents(user=request.user, item=item),
        },
    )
