"""The operations page and the API of the job queue: administrators see queued, running, failed
and dead jobs, retry and cancel them, audited; nobody else sees them."""

import pytest
from django.urls import reverse

from ilonet.accounts.roles import Role
from ilonet.audit.models import AuditEvent
from ilonet.jobs import testing
from ilonet.jobs.models import Job, JobState

pytestmark = pytest.mark.django_db


def _dead_job() -> Job:
    job_row, _ = testing.always_fails.enqueue(message="the mail server is down")
    Job.objects.filter(pk=job_row.pk).update(max_attempts=1)
    testing.run_queued_jobs()
    job_row.refresh_from_db()
    assert job_row.state == JobState.DEAD
    return job_row


def test_the_page_lists_jobs_by_state_with_the_error_of_a_dead_one(admin_user, login):
    dead = _dead_job()
    testing.count_once.enqueue(name="waiting")
    client = login(admin_user)
    page = client.get(reverse("jobs:job_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Probe: always fails" in html and "RuntimeError: the mail server is down" in html
    assert "No scheduler runs" in html and "No worker has run a job" in html
    dead_only = client.get(reverse("jobs:job_list"), {"state": "dead"})
    assert [j.pk for j in dead_only.context["page_obj"]] == [dead.pk]
    by_name = client.get(reverse("jobs:job_list"), {"name": "count_once"}, HTTP_HX_REQUEST="true")
    assert [j.name for j in by_name.context["page_obj"]] == ["ilonet.jobs.testing.count_once"]
    detail = client.get(reverse("jobs:job_detail", args=[dead.pk])).content.decode()
    assert "Traceback" in detail and "Retry the job" in detail and "Cancel the job" not in detail


def test_an_administrator_retries_a_dead_job_and_cancels_a_waiting_one_audited(admin_user, login):
    dead = _dead_job()
    waiting, _ = testing.count_once.enqueue(name="waiting")
    client = login(admin_user)
    response = client.post(reverse("jobs:job_retry", args=[dead.pk]), follow=True)
    assert "The job is queued again." in response.content.decode()
    dead.refresh_from_db()
    assert (dead.state, dead.attempts) == (JobState.QUEUED, 0)
    client.post(reverse("jobs:job_cancel", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.state == JobState.CANCELLED
    testing.run_queued_jobs()
    assert Job.objects.get(pk=waiting.pk).state == JobState.CANCELLED  # it never ran
    events = AuditEvent.objects.filter(action__in=("job.retried", "job.cancelled")).order_by("seq")
    assert [(e.action, e.actor_id, e.object_id, e.details["was"]) for e in events] == [
        ("job.retried", admin_user.pk, str(dead.pk), "dead"),
        ("job.cancelled", admin_user.pk, str(waiting.pk), "queued"),
    ]


def test_a_job_in_the_wrong_state_is_neither_retried_nor_cancelled(admin_user, login):
    done, _ = testing.count_once.enqueue(name="done")
    testing.run_queued_jobs()
    client = login(admin_user)
    response = client.post(reverse("jobs:job_retry", args=[done.pk]), follow=True)
    assert "Only a dead or cancelled job can be retried." in response.content.decode()
    response = client.post(reverse("jobs:job_cancel", args=[done.pk]), follow=True)
    assert "can be cancelled" in response.content.decode()
    assert Job.objects.get(pk=done.pk).state == JobState.SUCCEEDED
    assert not AuditEvent.objects.filter(action__startswith="job.").exists()


@pytest.mark.parametrize("role", [Role.CHAIR, Role.SECRETARIAT, Role.ILO])
def test_only_administrators_see_the_queue(make_user, login, role):
    dead = _dead_job()
    client = login(make_user(role, organisation="com"))
    assert client.get(reverse("jobs:job_list")).status_code == 403
    assert client.post(reverse("jobs:job_retry", args=[dead.pk])).status_code == 403
    assert client.get("/api/v1/jobs").status_code == 403
    assert Job.objects.get(pk=dead.pk).state == JobState.DEAD


def test_the_api_lists_shows_retries_and_cancels_jobs(admin_user, login):
    dead = _dead_job()
    waiting, _ = testing.count_once.enqueue(name="waiting")
    client = login(admin_user)
    listed = client.get("/api/v1/jobs", {"state": "dead"}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == dead.pk
    assert listed["items"][0]["label"] == "Probe: always fails"
    detail = client.get(f"/api/v1/jobs/{dead.pk}").json()
    assert detail["error"] == "RuntimeError: the mail server is down" and "Traceback" in detail["traceback"]
    status = client.get("/api/v1/jobs/status").json()
    assert status["counts"]["dead"] == 1 and status["worker_alive"] is False
    assert client.post(f"/api/v1/jobs/{dead.pk}/retry").json()["state"] == "queued"
    assert client.post(f"/api/v1/jobs/{waiting.pk}/cancel").json()["state"] == "cancelled"
    refused = client.post(f"/api/v1/jobs/{waiting.pk}/cancel")
    assert refused.status_code == 422
    assert client.get("/api/v1/jobs", {"state": "nonsense"}).status_code == 422
    assert client.get("/api/v1/jobs", {"name": "a\x00b"}).status_code == 422
    assert client.get("/api/v1/jobs/999999").status_code == 404
    assert AuditEvent.objects.filter(action__in=("job.retried", "job.cancelled")).count() == 2


def test_the_menu_shows_background_jobs_to_administrators(admin_user, login):
    items = login(admin_user).get(reverse("home")).context["nav_items"]
    assert reverse("jobs:job_list") in [item["url"] for item in items]
