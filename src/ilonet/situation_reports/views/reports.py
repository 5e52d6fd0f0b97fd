"""Pages of the situation reports: list, write, revise, submit, return (Art. 3(4), Art. 5(1)(b))."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.paging import paginate

from .. import selectors, services
from ..forms import ReportFilterForm, ReportForm, ReturnForm, last_quarter
from ..models import SituationReport, Subject
from ..topics import BY_CODE

A = policy.Action


def _report(request, pk: int) -> SituationReport:
    policy.authorize(request.user, A.VIEW_SITUATION_REPORTS)
    try:
        report = selectors.report_detail(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return report


@login_required
def report_list(request):
    policy.authorize(request.user, A.VIEW_SITUATION_REPORTS)
    form = ReportFilterForm(request.GET or None)
    page = paginate(request, selectors.report_list(user=request.user, **form.filters()))
    template = (
        "situation_reports/_report_table.html" if request.htmx else "situation_reports/report_list.html"
    )
    return render(
        request,
        template,
        {"form": form, "page_obj": page, "may_write": policy.can(request.user, A.WRITE_SITUATION_REPORTS)},
    )


def _form_page(request, form, *, report=None, status=200):
    return render(
        request,
        "situation_reports/report_form.html",
        {"form": form, "report": report},
        status=422 if form.errors else status,
    )


@login_required
def report_create(request):
    policy.authorize(request.user, A.WRITE_SITUATION_REPORTS)
    choices = selectors.writable_networks(user=request.user)
    start, end = last_quarter(timezone.localdate())
    form = ReportForm(
        request.POST or None,
        networks=choices,
        initial={"subject": Subject.OFFICER, "period_start": start, "period_end": end},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        network = next((n for n in choices if n.pk == data.get("network")), None)
        if data["subject"] == Subject.NETWORK and network is None:
            form.add_error("network", _("Choose one of your networks."))
        else:
            try:
                report = services.create_report(
                    actor=request.user,
                    subject=data["subject"],
                    network=network if data["subject"] == Subject.NETWORK else None,
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    summary=data["summary"],
                    sections=form.section_values(),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Draft saved. Submit it when it is ready."))
                return redirect("situation_reports:report_detail", pk=report.pk)
    return _form_page(request, form)


@login_required
def report_edit(request, pk: int):
    report = _report(request, pk)
    policy.authorize(request.user, A.WRITE_SITUATION_REPORTS, report)
    form = ReportForm(request.POST or None, editing=True, initial=ReportForm.initial_from(report))
    if not report.editable:
        messages.error(request, _("A submitted report is not changed; it may be returned for revision."))
        return redirect("situation_reports:report_detail", pk=report.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_report(
                actor=request.user,
                report=report,
                period_start=data["period_start"],
                period_end=data["period_end"],
                summary=data["summary"],
                sections=form.section_values(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Report saved."))
            return redirect("situation_reports:report_detail", pk=report.pk)
    return _form_page(request, form, report=report)


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    sections = [(BY_CODE[s.topic], s) for s in report.sections.all()]
    return render(
        request,
        "situation_reports/report_detail.html",
        {
            "report": report,
            "sections": sections,
            "may_write": report.editable and policy.can(request.user, A.WRITE_SITUATION_REPORTS, report),
            "may_return": report.status == "submitted"
            and policy.can(request.user, A.RETURN_SITUATION_REPORTS, report),
            "return_form": ReturnForm(),
        },
    )


@login_required
@require_POST
def report_submit(request, pk: int):
    report = _report(request, pk)
    policy.authorize(request.user, A.WRITE_SITUATION_REPORTS, report)
    try:
        services.submit_report(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Report submitted: its readers see it now."))
    return redirect("situation_reports:report_detail", pk=report.pk)


@login_required
@require_POST
def report_return(request, pk: int):
    report = _report(request, pk)
    policy.authorize(request.user, A.RETURN_SITUATION_REPORTS, report)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_report(actor=request.user, report=report, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Report returned to its authors for revision."))
    else:
        messages.error(request, _("Say what to revise."))
    return redirect("situation_reports:report_detail", pk=report.pk)
