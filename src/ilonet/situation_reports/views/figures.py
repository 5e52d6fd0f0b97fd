"""The overview per country and topic over time, the map of recent reporting coverage
(Art. 3(4), Art. 5(1)(g)) and the evidence pack for the report of the Commission (Art. 12(2))."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from ilonet import policy
from ilonet.audit import services as audit
from ilonet.audit.actions import AuditAction
from ilonet.deployments import worldmap
from ilonet.shared.replica import read_from_replica
from ilonet.shared.text import attachment

from .. import charts, figures, selectors
from .. import evidence as pack_builder
from ..evidence import export, present
from ..forms import OverviewForm, PeriodForm

A = policy.Action


def _default_since(today: date) -> date:
    return date(today.year - 2, 1, 1)


@read_from_replica
@login_required
def overview(request):
    policy.authorize(request.user, A.VIEW_SITUATION_REPORTS)
    today = timezone.localdate()
    form = OverviewForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    since, until = data.get("since") or _default_since(today), data.get("until") or today
    if until < since:
        since, until = _default_since(today), today
    result = selectors.overview(
        user=request.user,
        since=since,
        until=until,
        country=data.get("country") or None,
        topic=data.get("topic") or None,
    )
    title = _("Submitted situation reports per quarter and topic")
    return render(
        request,
        "situation_reports/overview.html",
        {
            "form": form,
            "overview": result,
            "since": since,
            "until": until,
            "chart": charts.render(result, title=title),
            "legend": charts.legend(result),
            "country_name": countries.name(data["country"]) if data.get("country") else "",
        },
    )


@read_from_replica
@login_required
def coverage_map(request):
    policy.authorize(request.user, A.VIEW_SITUATION_REPORTS)
    today = timezone.localdate()
    result = selectors.coverage(user=request.user, today=today)
    labels, levels = {}, {}
    names = {
        figures.Level.RECENT: _("reported recently"),
        figures.Level.OLDER: _("last report older"),
        figures.Level.GAP: _("officers deployed, no report"),
    }
    for row in result.countries:
        levels[row.code] = row.level
        labels[row.code] = f"{countries.name(row.code)}: {names[row.level]}"
    for code in worldmap.country_paths():
        labels.setdefault(code, str(countries.name(code) or code))
    legend = [{"css": level, "label": label, "count": result.count(level)} for level, label in names.items()]
    rows = sorted(
        (
            {**vars(row), "name": str(countries.name(row.code)), "label": names[row.level]}
            for row in result.countries
        ),
        key=lambda row: row["name"],
    )
    return render(
        request,
        "situation_reports/coverage_map.html",
        {
            "coverage": result,
            "legend": legend,
            "rows": rows,
            "since": today - timedelta(days=result.recent_days),
            "svg": worldmap.render(
                levels=levels, labels=labels, title=_("World map of recent situation reports")
            ),
        },
    )


def _period(request) -> tuple[PeriodForm, date, date]:
    today = timezone.localdate()
    default = (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    form = PeriodForm(request.GET or None, initial={"period_start": default[0], "period_end": default[1]})
    if form.is_valid():
        return form, form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    return form, *default


@read_from_replica
@login_required
def evidence(request):
    policy.authorize(request.user, A.VIEW_EVIDENCE_PACK)
    form, start, end = _period(request)
    pack = pack_builder.build(period_start=start, period_end=end)
    return render(
        request,
        "situation_reports/evidence.html",
        {
            **present.context(pack),
            "form": form,
            "query": f"period_start={start.isoformat()}&period_end={end.isoformat()}",
        },
        status=422 if form.errors else 200,
    )


def _exported(request, pack, fmt: str) -> None:
    with transaction.atomic():
        audit.record(
            action=AuditAction.EVIDENCE_PACK_EXPORTED,
            actor=request.user,
            details={"format": fmt, "period": [pack.period_start.isoformat(), pack.period_end.isoformat()]},
        )


@login_required
def evidence_pdf(request):
    policy.authorize(request.user, A.VIEW_EVIDENCE_PACK)
    _form, start, end = _period(request)
    pack = pack_builder.build(period_start=start, period_end=end)
    body = export.pdf_bytes(pack, request)
    _exported(request, pack, "pdf")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = attachment(export.filename(pack, "pdf"))
    return response


@login_required
def evidence_csv(request):
    policy.authorize(request.user, A.VIEW_EVIDENCE_PACK)
    _form, start, end = _period(request)
    pack = pack_builder.build(period_start=start, period_end=end)
    body = export.zip_bytes(pack)
    _exported(request, pack, "csv")
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = attachment(export.filename(pack, "zip"))
    return response
