"""Pages of return coordination: thin, each asks the policy first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.exports import csv_response
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.replica import read_from_replica
from ilonet.shared.uploads import UploadRefused, download_response, get_scanner, inspect_upload

from . import dashboard, selectors, services
from .cases import pages as case_pages
from .definitions import INDICATORS
from .eurostat.parse import FileRefused
from .forms import (
    CapabilityForm,
    CaseFilterForm,
    DashboardFilterForm,
    EurostatUploadForm,
    JointActionForm,
    MeetingForm,
    ObstacleForm,
    ObstacleUpdateForm,
    PriorityForm,
    ReportForm,
    TargetForm,
)
from .models import Obstacle, ProgressReport, QuarterPriority, Target
from .periods import parse, quarter_of
from .uploads import EUROSTAT_FILES

A = policy.Action


def _form_page(request, form, title: str, *, status: int = 200, back: str = "indicators:dashboard"):
    return render(
        request,
        "indicators/form_page.html",
        {"form": form, "title": title, "back": back},
        status=422 if form.errors else status,
    )


@read_from_replica
@login_required
def dashboard_view(request):
    policy.authorize(request.user, A.VIEW_RETURN_INDICATORS)
    form = DashboardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    code = data.get("indicator") or "return_rate"
    period = (
        data.get("period")
        or dashboard.latest_period(code, quarterly=False)
        or str(timezone.localdate().year - 1)
    )
    if parse(period) is None:
        period = str(timezone.localdate().year - 1)
    map_period = period if "Q" not in period else period[:4]
    panels = [
        dashboard.trend_panel(code, quarterly=False),
        dashboard.trend_panel(code, quarterly=True),
        dashboard.comparison_panel(code, period=period),
        dashboard.map_panel(code, period=map_period),
        dashboard.register_panel(),
    ]
    return render(
        request,
        "indicators/dashboard.html",
        {
            "form": form,
            "indicator": INDICATORS[code],
            "period": period,
            "panels": panels,
            "panels_html": dashboard.panels_html(panels),
            "targets": selectors.targets(),
            "may_coordinate": policy.can(request.user, A.MANAGE_RETURN_COORDINATION),
        },
    )


@read_from_replica
@login_required
def export_csv(request, key: str):
    """The table of a chart as CSV (the same figures, flags included)."""
    policy.authorize(request.user, A.VIEW_RETURN_INDICATORS)
    code = request.GET.get("indicator") or "return_rate"
    period = request.GET.get("period") or ""
    if code not in INDICATORS or (period and parse(period) is None):
        raise Http404
    if key == "trend":
        panel = dashboard.trend_panel(
            code, quarterly=bool(request.GET.get("quarterly")), geo=request.GET.get("geo") or "EU27_2020"
        )
    elif key == "comparison" and period:
        panel = dashboard.comparison_panel(code, period=period)
    elif key == "map" and period:
        panel = dashboard.map_panel(code, period=period)
    elif key == "reconciliation":
        panel = case_pages.reconciliation_panel(period=period or None, geo=request.GET.get("geo") or None)
    elif key == "register":
        panel = dashboard.register_panel(quarterly=bool(request.GET.get("quarterly")))
    else:
        raise Http404
    return csv_response(
        panel.rows, filename=f"ilonet-{key}-{code}-{period or 'all'}.csv", header=panel.columns
    )


@read_from_replica
@login_required
def cases(request):
    """The indicators from return-case data (and submitted aggregates): aggregates only."""
    policy.authorize(request.user, A.VIEW_RETURN_INDICATORS)
    form = CaseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    geo = data.get("geo") or "EU27_2020"
    period = data.get("period") or dashboard.latest_period("case_return_decisions", quarterly=False) or ""
    # every figure in one statement; the panels written in Python (``Panel.html``), as
    # ``indicators/_panel.html`` writes them
    panels, country_panels, reconciliation = case_pages.page(geo=geo, period=period or None)
    dashboard.render_charts([*panels, *country_panels])  # the cache asked once for every chart
    return render(
        request,
        "indicators/cases.html",
        {
            "form": form,
            "geo": geo,
            "period": period,
            "panels": panels,
            "country_panels": country_panels,
            "reconciliation": reconciliation,
            "panels_html": dashboard.panels_html(panels),
            "country_panels_html": dashboard.panels_html(country_panels, first=101),
            "reconciliation_html": reconciliation.html(200),
            "dates_rule": case_pages.DATES,
        },
    )


@read_from_replica
@login_required
def eurostat(request):
    policy.authorize(request.user, A.VIEW_RETURN_INDICATORS)
    may_load = policy.can(request.user, A.LOAD_EUROSTAT)
    form = EurostatUploadForm(request.POST or None, request.FILES or None)
    problems: list = []
    if request.method == "POST":
        policy.authorize(request.user, A.LOAD_EUROSTAT)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                inspect_upload(upload, profile=EUROSTAT_FILES)
                get_scanner().scan(upload)
                upload.seek(0)
                result = services.load_eurostat(
                    actor=request.user,
                    stream=upload,
                    dataset=form.cleaned_data["dataset"] or None,
                    file_name=upload.name,
                )
            except UploadRefused as refused:
                form.add_error("file", refused.message)
            except FileRefused as refused:
                problems = refused.problems
                form.add_error("file", _("The file was refused; nothing of it was loaded."))
            else:
                if result.created:
                    messages.success(
                        request,
                        _("Loaded %(count)d figures of %(table)s.")
                        % {"count": result.load.observations, "table": result.load.dataset},
                    )
                else:
                    messages.info(request, _("This file was loaded before; nothing changed."))
                return redirect("indicators:eurostat")
    return render(
        request,
        "indicators/eurostat.html",
        {"form": form, "may_load": may_load, "problems": problems, "loads": selectors.loads()[:50]},
        status=422 if form.errors else 200,
    )


@login_required
def register(request):
    policy.authorize(request.user, A.VIEW_RETURN_INDICATORS)
    form = CapabilityForm(request.POST or None)
    if request.method == "POST":
        policy.authorize(request.user, A.MANAGE_RETURN_REGISTER)
        if form.is_valid():
            try:
                services.record_capability(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Entry recorded."))
                return redirect("indicators:register")
    today = timezone.localdate()
    return render(
        request,
        "indicators/register.html",
        {
            "form": form,
            "entries": selectors.register_entries()[:200],
            "state": selectors.register_state(on=today),
            "may_record": policy.can(request.user, A.MANAGE_RETURN_REGISTER),
        },
        status=422 if form.errors else 200,
    )


@login_required
def target_edit(request, code: str):
    policy.authorize(request.user, A.MANAGE_RETURN_COORDINATION)
    target = get_object_or_404(Target, code=code)
    initial = {
        "baseline": target.baseline,
        "baseline_date": target.baseline_date,
        "value": target.target,
        "deadline": target.deadline,
    }
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_target(actor=request.user, target=target, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Target saved."))
            return redirect("indicators:dashboard")
    return _form_page(request, form, selectors.target_status(target).label)


@login_required
def priorities(request):
    policy.authorize(request.user, A.VIEW_RETURN_INDICATORS)
    year, quarter = quarter_of(timezone.localdate())
    chosen = parse(request.GET.get("quarter", "")) or (year, quarter)
    if not chosen[1]:
        chosen = (chosen[0], 1)
    may = policy.can(request.user, A.MANAGE_RETURN_COORDINATION)
    return render(
        request,
        "indicators/priorities.html",
        {
            "view": selectors.priority_view(year=chosen[0], quarter=chosen[1]),
            "period": f"{chosen[0]}-Q{chosen[1]}",
            "quarters": selectors.priority_quarters(),
            "meetings": selectors.meetings()[:20],
            "may_coordinate": may,
            "priority_form": PriorityForm(
                initial={"year": chosen[0], "quarter": chosen[1]}, meetings=selectors.meetings()
            ),
            "meeting_form": MeetingForm(),
        },
    )


@login_required
def priority_new(request):
    policy.authorize(request.user, A.MANAGE_RETURN_COORDINATION)
    form = PriorityForm(request.POST or None, meetings=selectors.meetings())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        meeting = selectors.meetings().filter(pk=data.pop("meeting")).first() if data.get("meeting") else None
        data.pop("meeting", None)
        try:
            p = services.set_priority(actor=request.user, meeting=meeting, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Priority country recorded."))
            return redirect(f"{reverse('indicators:priorities')}?quarter={p.year}-Q{p.quarter}")
    return _form_page(request, form, _("New priority third country"), back="indicators:priorities")


@login_required
def meeting_new(request):
    policy.authorize(request.user, A.MANAGE_RETURN_COORDINATION)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("indicators:priorities")
    return _form_page(request, form, _("Meeting of the high-level network"), back="indicators:priorities")


@login_required
def joint_action_new(request, pk: int):
    policy.authorize(request.user, A.MANAGE_RETURN_COORDINATION)
    priority = get_object_or_404(QuarterPriority, pk=pk)
    form = JointActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_joint_action(actor=request.user, priority=priority, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Joint action recorded."))
            return redirect(f"{reverse('indicators:priorities')}?quarter={priority.year}-Q{priority.quarter}")
    return _form_page(request, form, _("Joint action"), back="indicators:priorities")


@login_required
def obstacles(request):
    policy.authorize(request.user, A.VIEW_RETURN_INDICATORS)
    status = request.GET.get("status") or None
    return render(
        request,
        "indicators/obstacles.html",
        {
            "obstacles": selectors.obstacles(user=request.user, status=status)[:200],
            "case_obstacles": selectors.case_obstacles(user=request.user),
            "status": status,
            "may_report": policy.can(request.user, A.REPORT_RETURN_OBSTACLE),
            "may_coordinate": policy.can(request.user, A.MANAGE_RETURN_COORDINATION),
        },
    )


@login_required
def obstacle_new(request):
    policy.authorize(request.user, A.REPORT_RETURN_OBSTACLE)
    form = ObstacleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_obstacle(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Obstacle reported to the EU return coordinator."))
            return redirect("indicators:obstacles")
    return _form_page(request, form, _("Report an obstacle"), back="indicators:obstacles")


@login_required
def obstacle_edit(request, pk: int):
    policy.authorize(request.user, A.MANAGE_RETURN_COORDINATION)
    obstacle = get_object_or_404(Obstacle, pk=pk)
    initial = {
        "status": obstacle.status,
        "owner": obstacle.owner,
        "deadline": obstacle.deadline,
        "resolution": obstacle.resolution,
    }
    form = ObstacleUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_obstacle(actor=request.user, obstacle=obstacle, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Obstacle saved."))
            return redirect("indicators:obstacles")
    return _form_page(request, form, obstacle.title, back="indicators:obstacles")


@read_from_replica
@login_required
def reports(request):
    policy.authorize(request.user, A.VIEW_RETURN_INDICATORS)
    year, quarter = quarter_of(timezone.localdate())
    return render(
        request,
        "indicators/reports.html",
        {
            "reports": selectors.reports()[:50],
            "form": ReportForm(initial={"year": year, "quarter": quarter}),
            "may_coordinate": policy.can(request.user, A.MANAGE_RETURN_COORDINATION),
        },
    )


@login_required
@require_POST
def report_request(request):
    policy.authorize(request.user, A.MANAGE_RETURN_COORDINATION)
    form = ReportForm(request.POST)
    if form.is_valid():
        services.request_report(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The report is being built; it appears here when ready."))
    else:
        messages.error(request, _("Give a year and a quarter."))
    return redirect("indicators:reports")


@login_required
def report_download(request, pk: int):
    policy.authorize(request.user, A.VIEW_RETURN_INDICATORS)
    report = get_object_or_404(ProgressReport, pk=pk)
    if not report.storage_key:
        raise Http404
    return download_response(
        check=lambda: policy.authorize(request.user, A.VIEW_RETURN_INDICATORS),
        key=report.storage_key,
        filename=f"ilonet-return-progress-{report.year}-Q{report.quarter}.pdf",
        content_type="application/pdf",
    )
