"""The operations page of the job queue: for platform administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.paging import paginate

from . import selectors, services
from .forms import JobFilterForm
from .models import CANCELLABLE, RETRYABLE, Job


@login_required
def job_list(request):
    """Queued, running, failed and dead jobs, newest first, with the scheduler and worker."""
    policy.authorize(request.user, policy.Action.VIEW_JOBS)
    form = JobFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    jobs = selectors.job_list(user=request.user, state=filters.get("state") or None, name=filters.get("name"))
    page = paginate(request, jobs)
    for job in page:
        job.label = selectors.label_of(job.name)
    context = {"form": form, "page_obj": page}
    if request.htmx:
        return render(request, "jobs/_job_table.html", context)
    return render(request, "jobs/job_list.html", {**context, "status": selectors.queue_status()})


@login_required
def job_detail(request, pk: int):
    policy.authorize(request.user, policy.Action.VIEW_JOBS)  # before any lookup: audited
    job = get_object_or_404(selectors.job_list(user=request.user).defer(None), pk=pk)
    may_manage = policy.can(request.user, policy.Action.MANAGE_JOBS, job)
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "label": selectors.label_of(job.name),
            "may_retry": may_manage and job.state in RETRYABLE,
            "may_cancel": may_manage and job.state in CANCELLABLE,
        },
    )


def _act(request, pk: int, service, done: str):
    policy.authorize(request.user, policy.Action.MANAGE_JOBS)  # before any lookup: audited
    job = get_object_or_404(Job, pk=pk)
    try:
        service(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("jobs:job_detail", pk=pk)


@login_required
@require_POST
def job_retry(request, pk: int):
    return _act(request, pk, services.retry_job, _("The job is queued again."))


@login_required
@require_POST
def job_cancel(request, pk: int):
    return _act(request, pk, services.cancel_job, _("The job is cancelled."))
