"""One REST API under /api/v1/, OpenAPI 3 at /api/v1/openapi.json, docs at /api/v1/docs.

Every endpoint asks the policy module (``ilonet.policy``); errors have one shape:
validation errors ``422 {"errors": [{"field", "message"}]}``, others ``{"detail": …}``.
"""

import json
import time

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import NinjaJSONEncoder

from ilonet.accounts.api import router as accounts_router
from ilonet.accounts.api_admin import router as accounts_admin_router
from ilonet.api.auth import SecondFactorSessionAuth, TokenAuth
from ilonet.audit.api import router as audit_router
from ilonet.board.api import router as board_router
from ilonet.cooperation.api import router as cooperation_router
from ilonet.deployments.api import router as deployments_router
from ilonet.directory.api import router as directory_router
from ilonet.exchange.api import router as exchange_router
from ilonet.exchange.services.guard import PersonalDataFound
from ilonet.indicators.api import router as indicators_router
from ilonet.jobs.api import router as jobs_router
from ilonet.networks.api import router as networks_router
from ilonet.notifications.api import router as notifications_router
from ilonet.personaldata.api import router as personaldata_router
from ilonet.returns.api import router as returns_router
from ilonet.shared.clientip import client_ip
from ilonet.shared.unavailable import (
    database_unavailable_response,
    is_database_unavailable,
    unavailable_response,
)
from ilonet.shared.uploads import UploadRefused
from ilonet.situation_reports.api import router as situation_reports_router

ERROR_SCHEMAS = {
    "Detail": {
        "type": "object", "required": ["detail"],
        "properties": {"detail": {"type": "string"}},
    },
    "ValidationErrors": {
        "type": "object", "required": ["errors"],
        "properties": {"errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "message"],
            "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
        }}},
    },
}  # fmt: skip
COMMON_ERRORS = {
    "400": ("Malformed request.", "Detail"),
    "401": ("No valid token or session.", "Detail"),
    "403": ("Refused by the access policy.", "Detail"),
    "404": ("No such object, or not visible to you.", "Detail"),
    "405": ("Method not allowed on this path.", "Detail"),
    "413": ("Request body too large.", "Detail"),
    "422": ("Invalid input: one entry per field.", "ValidationErrors"),
}


# Anonymous clients may fetch the OpenAPI document this many times per address and window (a
# tool reads it once); signed-in users and tokens are not counted.
OPENAPI_ANONYMOUS_LIMIT = 30
OPENAPI_WINDOW_SECONDS = 10 * 60


class IlonetAPI(NinjaAPI):
    """Documents the error answers every operation can give, in the one shape they have. The
    OpenAPI document is built once per process and language (building it walks every
    operation's schemas: a third of a second) and served from memory."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[tuple, dict] = {}
        self._documents: dict[str, bytes] = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = (path_prefix, tuple(sorted((path_params or {}).items())), get_language())
        if key not in self._schemas:
            self._schemas[key] = self._build_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return self._schemas[key]

    def _build_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, (description, ref) in COMMON_ERRORS.items():
                    responses.setdefault(status, {
                        "description": description,
                        "content": {"application/json": {
                            "schema": {"$ref": f"#/components/schemas/{ref}"}}},
                    })  # fmt: skip
        return schema

    def openapi_document(self) -> bytes:
        """The OpenAPI document as JSON, built once per process and language."""
        language = get_language() or settings.LANGUAGE_CODE
        if language not in self._documents:
            self._documents[language] = json.dumps(
                self.get_openapi_schema(), cls=NinjaJSONEncoder, ensure_ascii=False
            ).encode()
        return self._documents[language]

    def _get_urls(self):
        """Ninja's URLs, with the OpenAPI document served from memory (``openapi_json``)."""
        urls = super()._get_urls()
        return [
            path(pattern.pattern._route, openapi_json, name="openapi-json")
            if getattr(pattern, "name", None) == "openapi-json"
            else pattern
            for pattern in urls
        ]


_document_requests: dict[str, tuple[float, int]] = {}


def _too_many_document_requests(request) -> bool:
    """A fixed window per client address, in the worker's memory (no database round trip for a
    public document): each worker process allows the limit."""
    now = time.monotonic()
    address = client_ip(request) or "unknown"
    if len(_document_requests) > 10_000:  # forget old windows rather than grow
        for key in [
            k for k, (start, _n) in _document_requests.items() if now - start > OPENAPI_WINDOW_SECONDS
        ]:
            del _document_requests[key]
    start, count = _document_requests.get(address, (now, 0))
    if now - start > OPENAPI_WINDOW_SECONDS:
        start, count = now, 0
    _document_requests[address] = (start, count + 1)
    return count + 1 > OPENAPI_ANONYMOUS_LIMIT


def openapi_json(request, **kwargs):
    """``/api/v1/openapi.json``: public (tools read it before they have a token), built once
    per process; anonymous clients get ``OPENAPI_ANONYMOUS_LIMIT`` documents per address per
    ten minutes from each worker, then a 429."""
    anonymous = not request.headers.get("Authorization") and not request.user.is_authenticated
    if anonymous and _too_many_document_requests(request):
        response = JsonResponse(
            {"detail": _("Too many requests for the API description: try again later.")}, status=429
        )
        response["Retry-After"] = str(OPENAPI_WINDOW_SECONDS)
        return response
    return HttpResponse(api.openapi_document(), content_type="application/json")


api = IlonetAPI(
    title="ILOnet API",
    version="1",
    description=(
        "REST API of ILOnet, the platform of the European network of immigration liaison "
        "officers (Regulation (EU) 2019/1240). Authenticate with a personal token "
        "(`Authorization: Bearer ilo_…`) or a browser session."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SecondFactorSessionAuth()],
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _location_to_field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    errors = [
        {"field": _location_to_field(err.get("loc", ())), "message": err.get("msg", "")} for err in exc.errors
    ]
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(DjangoValidationError)
def _domain_validation_error(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "__all__", "message": message} for message in exc.messages]
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(PersonalDataFound)
def _personal_data_found(request, exc: PersonalDataFound):
    """The guard's refusal (Art. 9(3)): the usual 422 shape, and each finding with its place,
    kind, masked value and fingerprint, which a user the board authorised may send back to
    override it. No value is ever returned."""
    findings = [
        {"place": f.location.label(), "kind": f.kind, "masked": f.masked, "fingerprint": f.fingerprint}
        for f in exc.report.findings
    ]
    errors = [{"field": "file", "message": message} for message in exc.message_dict["file"]]
    return api.create_response(request, {"errors": errors, "findings": findings}, status=422)


@api.exception_handler(UploadRefused)
def _upload_refused(request, exc: UploadRefused):
    """A refused upload: 422 in the validation shape, or 413, 415, 503 with its reason."""
    if exc.status == 422:
        return api.create_response(
            request, {"errors": [{"field": exc.field, "message": exc.message}]}, status=422
        )
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Permission denied.")}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": _("Authentication required: a valid token or session.")}, status=401
    )


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(OverflowError)
def _number_out_of_range(request, exc):
    """An integer beyond what the database holds (64 bits), in a path, query or body: every
    endpoint at once, rather than a bound on each parameter."""
    message = _("A number is out of range: at most %(max)d.") % {"max": 2**63 - 1}
    return api.create_response(request, {"errors": [{"field": "__all__", "message": message}]}, status=422)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = _("The request body is too large: at most %(max)d bytes.") % {"max": limit}
    return api.create_response(request, {"detail": message}, status=413)


@api.exception_handler(DatabaseError)
def _database_error(request, exc: DatabaseError):
    """The database away (``shared.unavailable``): 503 with Retry-After; other database errors
    are Django's (a 500, logged)."""
    if is_database_unavailable(exc):
        return database_unavailable_response(request)
    raise exc


@api.exception_handler(OSError)
def _os_error(request, exc: OSError):
    """No room on a disk to receive an upload (its temporary file): 503; any other is a 500."""
    response = unavailable_response(request, exc)
    if response is None:
        raise exc
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


api.add_router("/directory", directory_router)
api.add_router("/accounts", accounts_router)
api.add_router("/accounts/admin", accounts_admin_router)
api.add_router("/audit", audit_router)
api.add_router("/deployments", deployments_router)
api.add_router("/networks", networks_router)
api.add_router("/board", board_router)
api.add_router("/situation-reports", situation_reports_router)
api.add_router("/exchange", exchange_router)
api.add_router("/jobs", jobs_router)
api.add_router("/personal-data", personaldata_router)
api.add_router("/notifications", notifications_router)
api.add_router("/returns/indicators", indicators_router)
api.add_router("/returns/cooperation", cooperation_router)
api.add_router("/returns", returns_router)
