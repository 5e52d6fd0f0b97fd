"""Prometheus metrics of the web requests (prometheus-client), shared by every web process.

``RequestMetricsMiddleware`` (first in ``MIDDLEWARE``) counts every request by route name (the
URL pattern's name, never the path: no ids, no personal data in a label), method and status,
and times it in a histogram. Under gunicorn with several processes, prometheus-client's
multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``, emptied before the web processes start) lets
any process answer ``/metrics`` for all of them; ``registry()`` gives the registry to read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess

REQUESTS = Counter(
    "ilonet_http_requests",
    "HTTP requests answered, by route name, method and status.",
    ["route", "method", "status"],
)
DURATION = Histogram(
    "ilonet_http_request_duration_seconds",
    "Time to answer an HTTP request, by route name and method.",
    ["route", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0),
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or match.route or "unnamed"


def registry() -> CollectorRegistry:
    """Every process's metrics in multiprocess mode; this process's otherwise."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)
        return collected
    return REGISTRY


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        method = request.method if request.method in METHODS else "other"
        DURATION.labels(route, method).observe(time.perf_counter() - began)
        REQUESTS.labels(route, method, str(response.status_code)).inc()
        return response
