"""The scheduler, on a fixed clock: each periodic job is enqueued once per due time, within a
minute of it; one scheduler is active at a time, and two never enqueue a run twice."""

from datetime import UTC, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from ilonet.jobs import registry
from ilonet.jobs.models import Job, SchedulerLease
from ilonet.jobs.scheduler import Scheduler, run_key
from ilonet.jobs.schedules import Daily, Every

BRUSSELS = ZoneInfo("Europe/Brussels")
T = datetime(2026, 3, 10, 9, 0, tzinfo=BRUSSELS)  # a Tuesday, 09:00 in Brussels


def test_every_n_minutes_falls_on_whole_minutes():
    assert Every(minutes=1).latest(T + timedelta(seconds=59)) == T
    assert Every(minutes=1).latest(T + timedelta(seconds=60)) == T + timedelta(minutes=1)
    assert Every(minutes=15).latest(T + timedelta(minutes=14)) == T
    with pytest.raises(ValueError):
        Every(minutes=0)


def test_daily_runs_at_its_local_time_also_across_daylight_saving():
    daily = Daily(time(2, 30))
    assert daily.latest(T) == datetime(2026, 3, 10, 2, 30, tzinfo=BRUSSELS)
    assert daily.latest(datetime(2026, 3, 10, 2, 29, tzinfo=BRUSSELS)) == datetime(
        2026, 3, 9, 2, 30, tzinfo=BRUSSELS
    )
    # 29 March 2026: clocks go from 02:00 to 03:00; the run still happens that day, once.
    spring = daily.latest(datetime(2026, 3, 29, 12, 0, tzinfo=BRUSSELS))
    assert spring.date().isoformat() == "2026-03-29"
    assert daily.latest(datetime(2026, 3, 30, 1, 0, tzinfo=BRUSSELS)) == spring


def _periodic_names() -> set[str]:
    return {d.name for d in registry.periodic_jobs()}


def test_the_periodic_jobs_of_todays_domains_are_declared():
    assert {
        "ilonet.board.jobs.close_written_procedures",
        "ilonet.board.jobs.remind_the_chair",
        "ilonet.deployments.jobs.end_deployments_at_planned_end",
        "ilonet.jobs.periodic.verify_audit_chain_and_checkpoint",
        "ilonet.jobs.periodic.heartbeat",
        "ilonet.jobs.periodic.prune_finished_jobs",
    } <= _periodic_names()


@pytest.mark.django_db
def test_each_periodic_job_is_enqueued_once_per_due_time_within_a_minute_of_it():
    scheduler = Scheduler(holder="a")
    first = scheduler.tick(now=T)
    assert first.active and set(first.enqueued) == _periodic_names()
    # Ticks later in the same minute enqueue nothing again.
    assert scheduler.tick(now=T + timedelta(seconds=5)).enqueued == []
    assert scheduler.tick(now=T + timedelta(seconds=59)).enqueued == []
    # The next minute: the jobs that run every minute, not the daily ones.
    every_minute = {d.name for d in registry.periodic_jobs() if d.schedule == Every(minutes=1)}
    assert set(scheduler.tick(now=T + timedelta(seconds=61)).enqueued) == every_minute
    # A daily job due at 02:30 is enqueued by the first tick after 02:30, for 02:30.
    at = datetime(2026, 3, 11, 2, 30, tzinfo=BRUSSELS)
    audit = "ilonet.jobs.periodic.verify_audit_chain_and_checkpoint"
    assert audit not in scheduler.tick(now=at - timedelta(seconds=1)).enqueued
    assert audit in scheduler.tick(now=at + timedelta(seconds=4)).enqueued
    run = Job.objects.get(key=run_key(audit, at))
    assert run.scheduled_for == at


@pytest.mark.django_db
def test_a_second_scheduler_stands_by_and_takes_over_when_the_first_stops():
    first, second = Scheduler(holder="first", lease_seconds=30), Scheduler(holder="second", lease_seconds=30)
    assert first.tick(now=T).active
    standby = second.tick(now=T + timedelta(seconds=1))
    assert not standby.active and standby.enqueued == [] and standby.recovered == []
    assert first.tick(now=T + timedelta(seconds=20)).active  # renews its lease
    assert not second.tick(now=T + timedelta(seconds=45)).active
    # The first stops ticking (killed); its lease runs out 30 s after its last tick.
    takeover = second.tick(now=T + timedelta(seconds=51))
    assert takeover.active and SchedulerLease.objects.get().holder == "second"
    assert not first.tick(now=T + timedelta(seconds=52)).active


@pytest.mark.django_db
def test_two_schedulers_that_both_believe_they_are_active_never_enqueue_a_run_twice():
    """The lease is the first guard; the second is the unique key of each run."""
    first, second = Scheduler(holder="first"), Scheduler(holder="second")
    assert len(first.tick(now=T).enqueued) == len(_periodic_names())
    SchedulerLease.objects.all().delete()  # as if the lease were lost (clock skew, a restore)
    assert second.tick(now=T + timedelta(seconds=2)).enqueued == []
    keys = list(Job.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == len(_periodic_names())


@pytest.mark.django_db
def test_run_scheduler_once_enqueues_the_due_runs():
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert f"enqueued {len(_periodic_names())}" in out.getvalue()
    assert set(Job.objects.values_list("name", flat=True)) == _periodic_names()


def test_run_keys_name_the_job_and_the_time_in_utc():
    assert run_key("x.y", T) == "x.y@2026-03-10T08:00:00Z"
    assert run_key("x.y", T.astimezone(UTC)) == run_key("x.y", T)
