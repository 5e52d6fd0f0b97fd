"""Work programmes, ad-hoc actions and trainings (Art. 8(2)(a), Art. 8(2)(b), Art. 8(3)(a), Art. 8(3)(c))."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from ilonet import policy

from ..models import (
    AdHocAction,
    Evaluation,
    Training,
    WorkProgramme,
    WorkProgrammeItem,
)
from .biannual import newest_first

# --- work programme, ad-hoc actions, training, activity report (Art. 8(2), Art. 8(3)) ------------------


def programme_list(*, user) -> QuerySet[WorkProgramme]:
    scoped = policy.scope(user, policy.Action.VIEW_PROGRAMMES_AND_REPORTS, WorkProgramme.objects.all())
    return newest_first(scoped).annotate(item_count=Count("items"))


def programme_detail(*, user, pk: int) -> WorkProgramme:
    qs = policy.scope(user, policy.Action.VIEW_PROGRAMMES_AND_REPORTS, WorkProgramme.objects.all())
    return qs.prefetch_related(
        Prefetch("items", queryset=WorkProgrammeItem.objects.select_related("owner").order_by("kind", "pk")),
        Prefetch("evaluations", queryset=Evaluation.objects.select_related("recorded_by")),
        Prefetch("trainings", queryset=Training.objects.order_by("starts_on", "pk")),
    ).get(pk=pk)


def ad_hoc_action_list(*, user, status: str | None = None) -> QuerySet[AdHocAction]:
    qs = policy.scope(user, policy.Action.VIEW_DECISIONS, AdHocAction.objects.all())
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("meeting").order_by("-agreed_on", "-pk")


def training_list(*, user, kind: str | None = None) -> QuerySet[Training]:
    qs = policy.scope(user, policy.Action.VIEW_DECISIONS, Training.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("programme").order_by("-starts_on", "-pk")
