import uuid

from axes.helpers import get_client_ip_address

from .context import RequestContext, current


class RequestContextMiddleware:
    """Remember the client address and agent of this request for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current.set(
            RequestContext(
                ip_address=get_client_ip_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
                request_id=uuid.uuid4().hex,
            )
        )
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
