"""What every request pays, made cheaper without changing what it answers: the Content Security
Policy header built once (``ContentSecurityPolicyMiddleware``), the static files' addresses kept
(``ilonet.shared.staticfiles``)."""

import json

import pytest
from csp.constants import NONCE
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from ilonet.shared.middleware import ContentSecurityPolicyMiddleware
from ilonet.shared.staticfiles import ManifestStaticFilesStorage


def _answer(middleware, *, update=None, nonce=False, path="/x"):
    request = RequestFactory().get(path)
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)
    response = HttpResponse("x")
    if update:
        response._csp_update = update
    return middleware.process_response(request, response), request


def _parts(header: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    "update", [None, {"img-src": ["https://maps.example"]}], ids=["settings' policy", "a view's update"]
)
def test_the_kept_csp_header_is_django_csps_header(update):
    ours, _ = _answer(ContentSecurityPolicyMiddleware(lambda r: HttpResponse()), update=update)
    theirs, _ = _answer(CSPMiddleware(lambda r: HttpResponse()), update=update)
    assert _parts(ours["Content-Security-Policy"]) == _parts(theirs["Content-Security-Policy"])


def test_a_request_with_a_nonce_gets_its_nonce_in_the_header():
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        response, request = _answer(ContentSecurityPolicyMiddleware(lambda r: HttpResponse()), nonce=True)
    assert _parts(response["Content-Security-Policy"])["script-src"] == (
        f"script-src 'self' 'nonce-{request._csp_nonce}'"
    )


def test_the_kept_csp_header_follows_a_changed_policy():
    middleware = ContentSecurityPolicyMiddleware(lambda r: HttpResponse())
    assert "'none'" in _parts(_answer(middleware)[0]["Content-Security-Policy"])["frame-ancestors"]
    changed = {"DIRECTIVES": {"default-src": ["'self'"], "frame-ancestors": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        assert _parts(_answer(middleware)[0]["Content-Security-Policy"]) == {
            "default-src": "default-src 'self'",
            "frame-ancestors": "frame-ancestors 'self'",
        }
    assert "'none'" in _parts(_answer(middleware)[0]["Content-Security-Policy"])["frame-ancestors"]


def test_a_nonce_asked_after_the_kept_header_is_an_error():
    from csp.exceptions import CSPNonceError

    _response, request = _answer(ContentSecurityPolicyMiddleware(lambda r: HttpResponse()))
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_the_static_storage_gives_each_manifest_address_and_refuses_a_missing_file(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {"app.css": "app.0123456789ab.css"}, "hash": "x"}),
        encoding="utf-8",
    )
    with override_settings(DEBUG=False):
        storage = ManifestStaticFilesStorage(location=str(tmp_path), base_url="/static/")
        assert storage.url("app.css") == storage.url("app.css") == "/static/app.0123456789ab.css"
        for _ in range(2):  # refused every time, never remembered as an address
            with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
                storage.url("missing.css")
        assert set(storage._addresses) == {("app.css", False)}
