"""Bench only (bench/http_settings.py, when ``LOAD_CPU_LOG_DIR`` is set): the CPU time of each
request in the web process, by route, for bench/load.py's CPU per endpoint.

``time.thread_time()`` is the CPU of the request's own thread (gunicorn's gthread workers serve
several requests at once in one process, so the process's time would mix them): Python, the
template engine, psycopg and the TLS-free socket work of that thread, not the database server's.
One line per request, ``<unix time> <method> <route> <cpu ms> <wall ms>``, into
``<dir>/<pid>.log``. The wall time is the request's inside Django (this middleware is the
outermost): set beside the client's response time, the difference is the time the request
waited before a thread of the worker took it (nginx, the worker's queue) and after.
"""

import os
import threading
import time
from pathlib import Path

_lock = threading.Lock()
_files: dict[int, object] = {}


def _log():
    pid = os.getpid()
    handle = _files.get(pid)
    if handle is None:
        path = Path(os.environ["LOAD_CPU_LOG_DIR"]) / f"{pid}.log"
        handle = _files[pid] = path.open("a", encoding="utf-8", buffering=1)
    return handle


class ThreadCpuMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        began = time.thread_time()
        began_wall = time.perf_counter()
        response = self.get_response(request)
        spent = (time.thread_time() - began) * 1000
        wall = (time.perf_counter() - began_wall) * 1000
        match = getattr(request, "resolver_match", None)
        route = (match.route or match.view_name) if match else "unmatched"
        with _lock:
            _log().write(f"{time.time():.3f} {request.method} /{route} {spent:.3f} {wall:.3f}\n")
        return response
