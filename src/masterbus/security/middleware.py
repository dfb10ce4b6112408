"""Security middleware: the Content-Security-Policy header, rate limits, and the check that a
signed-in session has not been ended from another browser."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from masterbus.core.errors import error_json
from masterbus.core.tus import TUS_VERSION
from masterbus.security import selectors, services
from masterbus.security.ratelimit import API_PREFIX, Refusal, request_limits, wait_text

TOO_MANY_UPLOADS = "Too many uploads from your network. Please try again in {wait}."
TOO_MANY_API = "Too many requests. Please wait {seconds} seconds (see Retry-After) and try again."


def content_security_policy() -> str:
    """The CONTENT_SECURITY_POLICY setting as a header value."""
    return "; ".join(
        f"{directive} {' '.join(sources)}".strip()
        for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
    )


class ContentSecurityPolicyMiddleware:
    """Sends the policy on every response, unless a view set its own (P21)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response


def too_many_requests(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """429 with Retry-After: JSON with a stable code for the API; plain words for the web's
    uploader, whose tus client shows the body as it is."""
    if request.path.startswith(API_PREFIX):
        message = TOO_MANY_API.format(seconds=refusal.retry_after)
        response: HttpResponse = error_json(429, "rate_limited", message)
    else:
        response = HttpResponse(
            TOO_MANY_UPLOADS.format(wait=wait_text(refusal.retry_after)),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Tus-Resumable"] = TUS_VERSION
    response["Retry-After"] = str(refusal.retry_after)
    return response


class RateLimitMiddleware:
    """Counts API requests and upload creations before the view runs (P16)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        refusal = request_limits(request)
        return None if refusal is None else too_many_requests(request, refusal)


class SignInSessionMiddleware:
    """After AuthenticationMiddleware: a session whose record was deleted (signed out from
    elsewhere) is signed out here; a live one notes it was seen (P4)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            record_id = request.session.get(services.SESSION_RECORD_KEY)
            record = selectors.sign_in_session_get(user=request.user, record_id=record_id)
            if record is not None:
                services.sign_in_session_touch(request=request, record=record)
            elif record_id is not None:
                logout(request)
            else:  # signed in before sessions were recorded: recorded from now on
                services.sign_in_session_start(request=request, user=request.user)
        return self.get_response(request)
