"""Activity reports (Art. 8(2)(c), Art. 4(1))."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.deployments.models import PlaceKind
from ilonet.shared import pdf
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.text import attachment

from .. import forms as board_forms
from .. import selectors, services
from ..models import (
    ActivityReport,
)
from .common import A, _biannual_list, _form_page, _status, board_view

# --- activity report (Art. 8(2)(c), Art. 4(1)) ---------------------------------------------------------


@board_view
def report_list(request):
    return _biannual_list(request, selectors.report_list, "board/report_list.html")


@board_view
def report_create(request):
    """The chair drafts the activity report (Art. 8(2)(c)); the overview of deployments comes
    from the registry (Art. 4(1))."""
    policy.authorize(request.user, A.MANAGE_BOARD)
    start, end = selectors.default_report_period(timezone.localdate())
    form = board_forms.ReportForm(request.POST or None, initial={"period_start": start, "period_end": end})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create_report(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("The draft is created with an overview of deployments from the registry.")
            )
            return redirect("board:report_detail", pk=report.pk)
    return _form_page(
        request,
        form,
        title=_("Draft an activity report"),
        cancel_url=reverse("board:report_list"),
        intro=_(
            "The biannual activity report includes an overview of deployments (Art. 4(1), "
            "8(2)(c)); it is generated from the deployment registry."
        ),
    )


def report_context(report: ActivityReport) -> dict:
    places = dict(PlaceKind.choices)
    from django_countries import countries

    overview = report.overview or {}
    return {
        "report": report,
        "overview": overview,
        "by_place": [
            {**row, "label": places.get(row["code"], row["code"])} for row in overview.get("by_place", [])
        ],
        "by_country": [
            {**row, "name": countries.name(row["code"])} for row in overview.get("by_country", [])
        ],
        "content": selectors.report_content(report=report),
    }


@board_view
def report_detail(request, pk: int):
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    report = selectors.report_detail(user=request.user, pk=pk)
    may_manage = policy.can(request.user, A.MANAGE_BOARD)
    context = report_context(report)
    context.update(
        may_manage=may_manage,
        motions=list(report.motions.order_by("-created_at"))
        if policy.can(request.user, A.VIEW_BOARD)
        else [],
        sent_form=board_forms.SentToParliamentForm() if may_manage and report.awaits_sending else None,
    )
    return render(request, "board/report_detail.html", context)


@board_view
def report_edit(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    report = selectors.report_detail(user=request.user, pk=pk)
    form = board_forms.ReportEditForm(
        request.POST or None, initial={"title": report.title, "body": report.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_report(
                actor=request.user,
                report=report,
                **form.cleaned_data,
                regenerate_overview=bool(request.POST.get("regenerate")),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("board:report_detail", pk=pk)
    return render(request, "board/report_form.html", {"form": form, "report": report}, status=_status(form))


@board_view
@require_POST
def report_sent(request, pk: int):
    policy.authorize(request.user, A.MANAGE_BOARD)
    report = selectors.report_detail(user=request.user, pk=pk)
    form = board_forms.SentToParliamentForm(request.POST)
    if form.is_valid():
        try:
            services.mark_report_sent(
                actor=request.user, report=report, on=form.cleaned_data["sent_to_ep_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recorded as sent to the European Parliament."))
    else:
        messages.error(request, _("Give the date it was sent."))
    return redirect("board:report_detail", pk=pk)


@board_view
def report_pdf(request, pk: int):
    """The activity report as PDF in the EU look (Art. 8(2)(c))."""
    policy.authorize(request.user, A.VIEW_PROGRAMMES_AND_REPORTS)
    report = selectors.report_detail(user=request.user, pk=pk)
    context = report_context(report)
    context["generated_at"] = timezone.now()
    body = pdf.render_pdf("board/pdf/activity_report.html", context, request)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"ilonet-activity-report-{report.pk}.pdf")
    return response
