"""The security page (P4, P17): your sign-in sessions and your security log; thin views."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.security import selectors, services
from masterbus.security.ratelimit import parse_rate, wait_text


@access.signed_in
@require_GET
def security(request: HttpRequest) -> HttpResponse:
    current = request.session.get(services.SESSION_RECORD_KEY)
    return render(
        request,
        "security/security.html",
        {
            "sessions": selectors.sign_in_session_list_for_user(user=request.user),
            "current_id": current,
            "events": selectors.security_event_list_for_user(user=request.user),
            "retention_days": settings.SECURITY_LOG_RETENTION_DAYS,
        },
    )


@access.signed_in
@require_POST
def sign_out_others(request: HttpRequest) -> HttpResponse:
    ended, revoked = services.sign_in_sessions_end_others(request=request, user=request.user)
    tokens = f"revoked {revoked} API token{'s' if revoked != 1 else ''}"
    if ended:
        text = f"Signed out {ended} other session{'s' if ended != 1 else ''}"
        messages.success(request, f"{text} and {tokens}." if revoked else f"{text}.")
    elif revoked:
        messages.success(request, f"There were no other sessions to sign out; {tokens}.")
    else:
        messages.info(request, "There were no other sessions to sign out.")
    return redirect("security:security")


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's 429 (sign-in attempts): our page, with the longest sign-in window to wait."""
    seconds = max(
        parse_rate(part).seconds
        for rates in settings.ACCOUNT_RATE_LIMITS.values()
        for part in rates.split(",")
    )
    response = render(request, "429.html", {"wait": wait_text(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
