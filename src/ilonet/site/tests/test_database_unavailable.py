"""The database away gives a clean 503 with Retry-After (``shared.unavailable``), wherever the
error is raised: in a view, in the API, or in a middleware loading the session. A programming
error that SQLite also calls ``OperationalError`` stays a 500. The real thing (PostgreSQL
restarted under gunicorn) is tests/faults/test_database_restart.py."""

import sqlite3

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from ilonet.shared.unavailable import is_database_unavailable

pytestmark = pytest.mark.django_db


def _lost_connection(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_page_whose_view_loses_the_database_answers_503_with_retry_after(make_user, login, monkeypatch):
    client = login(make_user("ilo"))
    monkeypatch.setattr("ilonet.site.home.panels_for", _lost_connection)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Service temporarily unavailable" in html
    assert "Traceback" not in html and "OperationalError" not in html


def test_the_page_is_translated(make_user, login, monkeypatch):
    client = login(make_user("ilo"))
    monkeypatch.setattr("ilonet.site.home.panels_for", _lost_connection)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 503
    assert "Dienst tijdelijk niet beschikbaar" in response.content.decode()


def test_the_api_answers_503_in_its_error_shape(make_user, login, monkeypatch):
    client = login(make_user("ilo"))
    monkeypatch.setattr("ilonet.deployments.selectors.deployment_list", _lost_connection)
    # A search: the list's queryset is built for it on every call (without one, a call of a
    # shape an earlier test asked runs SQL compiled then, ``api.prepared``, past the selector).
    response = client.get("/api/v1/deployments?search=lost")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "5"
    assert set(response.json()) == {"detail"}


def test_an_error_in_a_middleware_loading_the_session_answers_503(make_user, login, monkeypatch):
    client = login(make_user("ilo"))
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", _lost_connection)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert "Service temporarily unavailable" in response.content.decode()


def test_an_api_request_whose_session_cannot_be_loaded_answers_503_json(monkeypatch):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", _lost_connection)
    response = client.get("/api/v1/deployments")
    assert response.status_code == 503
    assert set(response.json()) == {"detail"}


def test_only_a_passing_database_condition_counts_as_unavailable():
    lost = OperationalError("terminating connection due to administrator command")
    assert is_database_unavailable(lost)
    assert is_database_unavailable(InterfaceError("connection already closed"))
    unknown_table = OperationalError("no such table: x")
    unknown_table.__cause__ = sqlite3.OperationalError("no such table: x")
    assert not is_database_unavailable(unknown_table)
    locked = OperationalError("database is locked")
    locked.__cause__ = sqlite3.OperationalError("database is locked")
    assert is_database_unavailable(locked)
    assert not is_database_unavailable(ValueError("x"))
