"""Pages of the mission calendar, the directory of opportunities, peer support and the
coordinator's quarterly view (RS 1, RS 2(b))."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ilonet import policy
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate
from ilonet.shared.replica import read_from_replica

from .. import selectors
from ..forms import (
    MissionForm,
    OpportunityForm,
    OpportunitySearchForm,
    OutcomeForm,
    QuarterForm,
    SupportForm,
    UptakeForm,
)
from ..models import Mission, Opportunity, SupportItem
from ..services import missions, opportunities, support
from .common import chosen_quarter, form_page, states

A = policy.Action


@login_required
def mission_list(request):
    policy.authorize(request.user, A.VIEW_RETURN_COOPERATION)
    form = QuarterForm(request.GET or None)
    year, quarter = chosen_quarter(form.cleaned_data.get("quarter") if form.is_valid() else None)
    page = paginate(request, selectors.missions(year=year, quarter=quarter))
    return render(
        request,
        "cooperation/mission_list.html",
        {
            "form": form,
            "page_obj": page,
            "entries": selectors.calendar(page.object_list),
            "period": f"{year}-Q{quarter}",
            "priorities": sorted(selectors.priority_countries(year, quarter)),
            "may_manage": policy.can(request.user, A.MANAGE_RETURN_MISSIONS),
        },
    )


def _hosts(user) -> list[str]:
    hosts = states(user)
    return (["EU"] if "return_coordinator" in policy.role_names(user) else []) + hosts


@login_required
def mission_new(request):
    policy.authorize(request.user, A.MANAGE_RETURN_MISSIONS)
    form = MissionForm(request.POST or None, hosts=_hosts(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["joining_states"] = [s for s in data["joining_states"].replace(";", ",").split(",") if s.strip()]
        try:
            mission = missions.record_mission(actor=request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Mission recorded."))
            y, q = selectors.quarter_of(mission.starts_on)
            return redirect(f"{_url('cooperation:mission_list')}?quarter={y}-Q{q}")
    return form_page(request, form, _("Record a mission"), "cooperation:mission_list")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@login_required
def mission_outcome(request, pk: int):
    policy.authorize(request.user, A.MANAGE_RETURN_MISSIONS)
    mission = get_object_or_404(Mission, pk=pk)
    form = OutcomeForm(
        request.POST or None,
        initial={
            "status": mission.status,
            "identified": mission.identified,
            "documents_promised": mission.documents_promised,
            "documents_issued": mission.documents_issued,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            missions.record_outcome(actor=request.user, mission=mission, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Outcome recorded."))
            y, q = selectors.quarter_of(mission.starts_on)
            return redirect(f"{_url('cooperation:mission_list')}?quarter={y}-Q{q}")
    return form_page(request, form, _("Outcome of the mission"), "cooperation:mission_list")


@login_required
def opportunity_list(request):
    policy.authorize(request.user, A.VIEW_RETURN_COOPERATION)
    form = OpportunitySearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    rows = selectors.opportunities(
        country=data.get("country") or None,
        need=data.get("need") or None,
        text=data.get("text") or None,
        stale_only=bool(data.get("stale")),
        today=today,
    )
    page = paginate(request, rows)
    template = (
        "cooperation/_opportunity_results.html"
        if request.headers.get("HX-Request")
        else ("cooperation/opportunity_list.html")
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "entries": [(e, selectors.is_stale(e, today=today)) for e in page.object_list],
            "may_manage": policy.can(request.user, A.MANAGE_REINTEGRATION_DIRECTORY),
        },
    )


def _entered_by(user) -> str:
    own = states(user)
    return own[0] if own and "return_coordinator" not in policy.role_names(user) else "EU"


@login_required
def opportunity_new(request):
    policy.authorize(request.user, A.MANAGE_REINTEGRATION_DIRECTORY)
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opportunities.record_opportunity(
                actor=request.user, entered_by_state=_entered_by(request.user), **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Opportunity listed."))
            return redirect("cooperation:opportunity_list")
    return form_page(
        request,
        form,
        _("List a referral or reintegration opportunity"),
        "cooperation:opportunity_list",
        intro=_("The organisation's offer and contact: never a returnee's personal data."),
    )


@login_required
def opportunity_review(request, pk: int):
    policy.authorize(request.user, A.MANAGE_REINTEGRATION_DIRECTORY)
    entry = get_object_or_404(Opportunity, pk=pk)
    initial = {name: getattr(entry, name) for name in opportunities.FIELDS}
    form = OpportunityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            opportunities.review_opportunity(actor=request.user, opportunity=entry, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Entry reviewed."))
            return redirect("cooperation:opportunity_list")
    return form_page(
        request,
        form,
        _("Review the entry"),
        "cooperation:opportunity_list",
        intro=_("Saving marks the entry reviewed today."),
    )


@login_required
def support_list(request):
    policy.authorize(request.user, A.VIEW_RETURN_COOPERATION)
    kind = request.GET.get("kind") or None
    topic = request.GET.get("topic") or None
    return render(
        request,
        "cooperation/support_list.html",
        {
            "page_obj": paginate(request, selectors.support_items(kind=kind, topic=topic)),
            "may_manage": policy.can(request.user, A.MANAGE_PEER_SUPPORT),
        },
    )


@login_required
def support_new(request):
    policy.authorize(request.user, A.MANAGE_PEER_SUPPORT)
    own = states(request.user)
    form = SupportForm(request.POST or None, initial={"provider": own[0] if own else ""})
    if request.method == "POST" and form.is_valid():
        try:
            support.record_item(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Listed."))
            return redirect("cooperation:support_list")
    return form_page(request, form, _("Peer support, tool or training"), "cooperation:support_list")


@login_required
def uptake_new(request, pk: int):
    policy.authorize(request.user, A.MANAGE_PEER_SUPPORT)
    item = get_object_or_404(SupportItem, pk=pk)
    own = states(request.user)
    form = UptakeForm(
        request.POST or None, initial={"participant": own[0] if own else "", "taken_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            support.record_uptake(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("cooperation:support_list")
    return form_page(request, form, _("Who followed it"), "cooperation:support_list")


@read_from_replica
@login_required
def overview(request):
    policy.authorize(request.user, A.VIEW_COOPERATION_OVERVIEW)
    form = QuarterForm(request.GET or None)
    year, quarter = chosen_quarter(form.cleaned_data.get("quarter") if form.is_valid() else None)
    return render(
        request,
        "cooperation/overview.html",
        {
            "form": form,
            "rows": selectors.overview(year=year, quarter=quarter),
            "period": f"{year}-Q{quarter}",
        },
    )
