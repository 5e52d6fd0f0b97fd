"""The database away (restarted, failed over, unreachable): a clean 503, not a 500.

A request whose database connection cannot be opened, or is lost in the middle of a query,
answers ``503 Service Unavailable`` with ``Retry-After``: a translated page, or under ``/api/``
the API's one error shape ``{"detail": …}``. No traceback reaches the user, and nothing is
rendered that needs the database (no context processor, no user). Django opens a new
connection on the next request (``CONN_HEALTH_CHECKS`` drops the broken one), so service
resumes by itself once the database is back: nothing to restart by hand.

Called from two places so that every path is covered: ``ApiErrorShapeMiddleware`` and the API's
exception handler for errors raised in a view, and the site's ``handler500`` for errors raised
in a middleware (loading the session or the user), which Django turns into a 500 before any
middleware could see them.
"""

from __future__ import annotations

import errno
import logging
import sqlite3

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# Seconds a client should wait before trying again: a restart of PostgreSQL takes a few seconds.
RETRY_AFTER_SECONDS = 5


def is_database_unavailable(exc: BaseException | None) -> bool:
    """The database could not be reached or dropped the connection (or, on SQLite, stayed
    locked): a passing condition, unlike a programming error (an unknown table on SQLite is an
    ``OperationalError`` too, and stays a 500)."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.OperationalError):
        return "locked" in str(cause) or "unable to open" in str(cause)
    return True


def is_out_of_space(exc: BaseException | None) -> bool:
    """The server's disk is full (the upload's temporary file, a log): a passing condition too."""
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)


def out_of_space_response(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After`` when a request could not be received for want of disk space
    (Django spools large uploads to a temporary file before any view runs)."""
    logger.error("no space left on a disk: 503 for %s %s", request.method, request.path)
    message = _("The server has no room to receive this now: nothing was stored. Try again later.")
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html", {"reason": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS * 12)
    response["Cache-Control"] = "no-store"
    return response


def unavailable_response(request: HttpRequest, exc: BaseException | None) -> HttpResponse | None:
    """The 503 for a passing condition (database away, disk full), or None."""
    if is_database_unavailable(exc):
        return database_unavailable_response(request)
    if is_out_of_space(exc):
        return out_of_space_response(request)
    return None


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with ``Retry-After``; the page is rendered without the request (its context
    processors would ask the database for the user)."""
    logger.warning("database unavailable: 503 for %s %s", request.method, request.path)
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {"detail": _("The service is temporarily unavailable: try again in a few seconds.")},
            status=503,
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
