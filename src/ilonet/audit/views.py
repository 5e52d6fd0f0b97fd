import csv

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from ilonet import policy

from . import selectors
from . import services as audit
from .forms import AuditFilterForm

EXPORT_COLUMNS = (
    "seq", "occurred_at", "actor_label", "action", "outcome", "object_type", "object_id",
    "object_repr", "ip_address", "user_agent", "details", "prev_hash", "hash",
)  # fmt: skip


def _filtered(request, form):
    filters = form.cleaned_data if form.is_valid() else {}
    return selectors.event_list(user=request.user, **{k: v for k, v in filters.items() if v})


PAGE_SIZE = 50


def _seq_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@login_required
def event_list(request):
    """Newest first, paged by sequence number (keyset): no COUNT(*) over tens of millions."""
    policy.authorize(request.user, policy.Action.VIEW_AUDIT)
    form = AuditFilterForm(request.GET or None)
    events = _filtered(request, form)
    before = _seq_param(request, "before")
    if before is not None:
        events = events.filter(seq__lt=before)
    rows = list(events[: PAGE_SIZE + 1])
    params = request.GET.copy()
    params.pop("before", None)
    older = None
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        params["before"] = rows[-1].seq
        older = params.urlencode()
    params.pop("before", None)
    template = "audit/_event_table.html" if request.htmx else "audit/event_list.html"
    return render(
        request,
        template,
        {"form": form, "events": rows, "older_query": older,
         "newest_query": params.urlencode() if before is not None else None,
         "may_export": policy.can(request.user, policy.Action.EXPORT_AUDIT)},
    )  # fmt: skip


class _Echo:
    def write(self, value):
        return value


@login_required
def event_export(request):
    """CSV of the filtered trail, streamed so that millions of rows need no memory."""
    policy.authorize(request.user, policy.Action.EXPORT_AUDIT)
    form = AuditFilterForm(request.GET or None)
    events = _filtered(request, form).values_list(*EXPORT_COLUMNS)
    audit.record(action="audit.export", actor=request.user, details={"filters": request.GET})
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(EXPORT_COLUMNS)
        for row in events.iterator(chunk_size=2000):
            yield writer.writerow(row)

    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ilonet-audit-{stamp}.csv"'
    return response
