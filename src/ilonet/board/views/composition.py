"""The list of members and the composition (Art. 7(2), Art. 7(3), Art. 9(2)(c), Art. 9(3))."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.dates import long_date
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate

from .. import forms as board_forms
from .. import selectors, services
from ..models import (
    Membership,
)
from .common import A, _csv, _form_page, board_view

# --- members (Art. 7(2), Art. 7(3), Art. 7(4), Art. 9(2)(c)) --------------------------------------

MEMBER_COLUMNS = (
    _lazy("Seat"),
    _lazy("Kind of seat"),
    _lazy("Voting"),
    _lazy("Capacity"),
    _lazy("Name"),
    _lazy("Organisation"),
    _lazy("E-mail address"),
    _lazy("From"),
    _lazy("Until"),
)


@board_view
def member_list(request):
    """The list of members of the board (Art. 9(2)(c)): only for liaison officers, board
    members and duly authorised staff (Art. 9(3)); each page read is audited."""
    policy.authorize(request.user, A.VIEW_BOARD_MEMBERS)
    form = board_forms.SearchForm(request.GET or None)
    search = form.cleaned_data.get("search") if form.is_valid() else None
    today = timezone.localdate()
    page = paginate(request, selectors.member_list(user=request.user, day=today, search=search))
    services.record_members_list_read(
        actor=request.user,
        page=page.number,
        rows=len(page.object_list),
        filters={"search": search or ""},
    )
    may_manage = policy.can(request.user, A.MANAGE_BOARD)
    context = {"form": form, "page_obj": page, "may_manage": may_manage, "today": today}
    if may_manage or policy.can(request.user, A.VIEW_BOARD):
        comp = selectors.composition(day=today)
        context.update(composition=comp, vacancies=comp.vacancies)
    if may_manage:
        context["end_form"] = board_forms.EndMembershipForm(initial={"valid_until": today})
    return render(request, "board/member_list.html", context)


@board_view
def member_export(request):
    policy.authorize(request.user, A.VIEW_BOARD_MEMBERS)
    form = board_forms.SearchForm(request.GET or None)
    search = form.cleaned_data.get("search") if form.is_valid() else None
    memberships = selectors.member_list(user=request.user, search=search)
    services.record_members_list_read(actor=request.user, fmt="csv", filters={"search": search or ""})

    def rows():
        yield [str(c) for c in MEMBER_COLUMNS]
        for m in memberships.iterator(chunk_size=500):
            yield (
                str(m.seat),
                m.seat.get_kind_display(),
                _("yes") if m.seat.voting else _("no"),
                m.get_capacity_display(),
                m.listed_name or m.listed_email,
                str(m.user.organisation),
                m.listed_email,
                m.valid_from,
                m.valid_until or "",
            )

    return _csv(rows(), f"ilonet-board-members-{timezone.localdate():%Y%m%d}.csv")


@board_view
def membership_create(request):
    """Record a member or alternate (Art. 7(2)) or a non-voting member (Art. 7(3))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    seats = selectors.seats_on(day=timezone.localdate()).order_by("kind", "organisation__code", "number")
    form = board_forms.MembershipForm(
        request.POST or None, seats=seats, initial={"valid_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = selectors.user_by_email(data["email"])
            services.appoint(
                actor=request.user,
                seat=data["seat"],
                user=user,
                capacity=data["capacity"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The membership is recorded."))
            return redirect("board:member_list")
    return _form_page(
        request,
        form,
        title=_("Record a board member"),
        cancel_url=reverse("board:member_list"),
        intro=_(
            "Each member state appoints a member and an alternate (Art. 7(2)); each Schengen-associated "
            "country a non-voting member (Art. 7(3))."
        ),
    )


@board_view
@require_POST
def membership_end(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    membership = Membership.objects.select_related("user").get(pk=pk)
    form = board_forms.EndMembershipForm(request.POST)
    if form.is_valid():
        try:
            services.end_membership(actor=request.user, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The membership ends on %(day)s.") % {"day": long_date(form.cleaned_data["valid_until"])},
            )
    else:
        messages.error(request, _("Give the last day of the membership."))
    return redirect("board:member_list")


@board_view
@require_POST
def composition_sync(request):
    """Seats follow the regulation and the directory (Art. 7(2), Art. 7(3), recital 31)."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    try:
        result = services.sync_composition(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Composition updated: %(added)s, %(ended)s.")
            % {
                "added": ngettext("%(count)d seat added", "%(count)d seats added", len(result.created))
                % {"count": len(result.created)},
                "ended": ngettext("%(count)d seat ended", "%(count)d seats ended", len(result.ended))
                % {"count": len(result.ended)},
            },
        )
    return redirect("board:member_list")
