"""Monitoring endpoints: readiness (``/readyz``) and Prometheus metrics (``/metrics``).

``/healthz`` (``views.healthz``) says the process answers and reaches its database: a load
balancer's liveness check. ``/readyz`` says whether this web process can serve now: the primary
database, the object store (the bucket answers, or the upload directory is writable) and clamd
when one is configured must answer; the replica is reported but does not make the process
unready (the report pages read from the primary while it is down or lagging). The JSON body
names each check and its state, never an address, a message or a secret. ``/metrics`` is the
Prometheus text format, readable only with ``Authorization: Bearer <ILONET_METRICS_TOKEN>``:
without the setting it does not exist (404).
"""

from __future__ import annotations

import os
import time
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily

from ilonet import policy
from ilonet.audit import checkpoints
from ilonet.audit import selectors as audit_selectors
from ilonet.jobs import selectors as job_selectors
from ilonet.jobs.models import JobState
from ilonet.policy.markers import machine_endpoint, public_page
from ilonet.shared import metrics, replica
from ilonet.shared.uploads import get_scanner, get_storage, scanner_configured

READY_CACHE_SECONDS = 2.0
_ready: dict[str, object] = {"until": 0.0, "answer": None}


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "failed"
    return "ok"


def _storage() -> str:
    """The bucket answers (HEAD) with our credentials, or the upload directory is writable:
    nothing is written, so no probe object is ever left behind."""
    try:
        storage = get_storage()
        if hasattr(storage, "bucket_name"):
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
            return "ok"
        location = storage.location
        os.makedirs(location, exist_ok=True)
        return "ok" if os.access(location, os.W_OK) else "failed"
    except Exception:  # any client error, refused connection or timeout: not ready
        return "failed"


def readiness() -> tuple[bool, dict[str, str]]:
    checks = {"database": _database(), "storage": _storage()}
    checks["clamav"] = ("ok" if get_scanner().ping() else "failed") if scanner_configured() else "absent"
    state, _lag = replica.replica_state(fresh=True)
    checks["replica"] = {replica.OK: "ok", replica.ABSENT: "absent"}.get(
        state, f"{state}, reading from primary"
    )
    ready = all(checks[name] in ("ok", "absent") for name in ("database", "storage", "clamav"))
    return ready, checks


@public_page
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when this process can serve, 503 naming what failed; cached two seconds per process
    (a probe every second costs one set of checks)."""
    now = time.monotonic()
    if _ready["answer"] is None or now >= float(_ready["until"]):  # type: ignore[arg-type]
        _ready.update(answer=readiness(), until=now + READY_CACHE_SECONDS)
    ready, checks = _ready["answer"]  # type: ignore[misc]
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


class PlatformCollector:
    """Read at each scrape from the database and the checkpoint file: the job queue and the
    audit chain."""

    def collect(self):
        status = job_selectors.queue_status()
        jobs = GaugeMetricFamily("ilonet_jobs", "Background jobs by state.", labels=["state"])
        for state, count in sorted(status.counts.items()):
            jobs.add_metric([state], count)
        yield jobs
        yield GaugeMetricFamily(
            "ilonet_jobs_queue_depth",
            "Jobs waiting to run (queued, or failed and due for a retry).",
            value=status.counts.get(JobState.QUEUED, 0) + status.counts.get(JobState.FAILED, 0),
        )
        yield GaugeMetricFamily(
            "ilonet_jobs_failures",
            "Jobs whose last attempt failed: waiting for a retry, or dead.",
            value=status.counts.get(JobState.FAILED, 0) + status.counts.get(JobState.DEAD, 0),
        )
        yield GaugeMetricFamily(
            "ilonet_jobs_dead",
            "Jobs that used all their attempts.",
            value=status.counts.get(JobState.DEAD, 0),
        )
        yield GaugeMetricFamily(
            "ilonet_jobs_worker_alive",
            "1 if a task worker beat in the last five minutes.",
            value=int(status.worker_alive),
        )
        yield GaugeMetricFamily(
            "ilonet_jobs_scheduler_alive",
            "1 if a scheduler holds its lease.",
            value=int(status.scheduler_alive),
        )
        yield from self._audit()
        state, lag = replica.replica_state()
        yield GaugeMetricFamily(
            "ilonet_replica_usable",
            "1 if the report pages read from the replica.",
            value=int(state == replica.OK),
        )
        if lag is not None:
            yield GaugeMetricFamily("ilonet_replica_lag_seconds", "How far the replica is behind.", value=lag)

    def _audit(self):
        head = audit_selectors.chain_head_seq()
        yield GaugeMetricFamily(
            "ilonet_audit_chain_head_seq", "Sequence number of the last audit event.", value=head
        )
        try:
            point = checkpoints.latest(
                path=checkpoints.default_path(), public_key=checkpoints.configured_public_key()
            )
            valid = 1
        except (checkpoints.CheckpointError, ValueError):
            point, valid = None, 0
        yield GaugeMetricFamily(
            "ilonet_audit_checkpoint_valid", "1 if the last checkpoint's signature verifies.", value=valid
        )
        if point is not None:
            age = (timezone.now() - datetime.fromisoformat(point.at)).total_seconds()
            yield GaugeMetricFamily(
                "ilonet_audit_checkpoint_seq",
                "Sequence number of the last signed checkpoint.",
                value=point.seq,
            )
            yield GaugeMetricFamily(
                "ilonet_audit_checkpoint_age_seconds", "Age of the last signed checkpoint.", value=age
            )
            yield GaugeMetricFamily(
                "ilonet_audit_events_since_checkpoint",
                "Audit events appended since the last signed checkpoint.",
                value=max(0, head - point.seq),
            )


@machine_endpoint
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for a scraper holding ``ILONET_METRICS_TOKEN`` only: no token
    configured, no endpoint (404); a missing or wrong token, 401. Never opened by a session."""
    token = getattr(settings, "METRICS_TOKEN", "")
    if not token:
        return HttpResponse(status=404)
    if not policy.machine_may_read_metrics(request.headers.get("Authorization", "")):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = metrics.registry()
    collector = PlatformCollector()
    body = generate_latest(registry) + generate_latest(_single(collector))
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def _single(collector):
    from prometheus_client import CollectorRegistry

    one = CollectorRegistry(auto_describe=False)
    one.register(collector)
    return one
