"""One REST API under /api/v1/, OpenAPI 3 at /api/v1/openapi.json, docs at /api/v1/docs.

Every endpoint asks the policy module (``ilonet.policy``); errors have one shape:
validation errors ``422 {"errors": [{"field", "message"}]}``, others ``{"detail": …}``.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from ilonet.accounts.api import router as accounts_router
from ilonet.accounts.api_admin import router as accounts_admin_router
from ilonet.api.auth import SecondFactorSessionAuth, TokenAuth
from ilonet.audit.api import router as audit_router
from ilonet.board.api import router as board_router
from ilonet.deployments.api import router as deployments_router
from ilonet.directory.api import router as directory_router
from ilonet.indicators.api import router as indicators_router
from ilonet.jobs.api import router as jobs_router
from ilonet.networks.api import router as networks_router
from ilonet.shared.uploads import UploadRefused

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


class IlonetAPI(NinjaAPI):
    """Documents the error answers every operation can give, in the one shape they have."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
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
api.add_router("/jobs", jobs_router)
api.add_router("/returns/indicators", indicators_router)
