from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ilonet import policy
from ilonet.audit.actions import AuditAction
from ilonet.shared.exports import csv_response
from ilonet.shared.paging import keyset_paginate

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


@login_required
def event_list(request):
    """Newest first, paged by sequence number (keyset, ``ilonet.shared.paging``): no COUNT(*)
    over tens of millions, no OFFSET."""
    policy.authorize(request.user, policy.Action.VIEW_AUDIT)
    form = AuditFilterForm(request.GET or None)
    page = keyset_paginate(request, _filtered(request, form))
    template = "audit/_event_table.html" if request.htmx else "audit/event_list.html"
    return render(
        request,
        template,
        {"form": form, "page_obj": page, "events": page.object_list,
         "may_export": policy.can(request.user, policy.Action.EXPORT_AUDIT)},
    )  # fmt: skip


@login_required
def event_export(request):
    """CSV of the filtered trail, streamed so that millions of rows need no memory."""
    policy.authorize(request.user, policy.Action.EXPORT_AUDIT)
    form = AuditFilterForm(request.GET or None)
    events = _filtered(request, form).values_list(*EXPORT_COLUMNS)
    audit.record(action=AuditAction.AUDIT_EXPORTED, actor=request.user, details={"filters": request.GET})
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return csv_response(events.iterator(chunk_size=2000), header=EXPORT_COLUMNS,
                        filename=f"ilonet-audit-{stamp}.csv")  # fmt: skip
