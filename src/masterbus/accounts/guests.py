"""Guest identity (P10): a random cookie value, created the first time a guest owns something."""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from masterbus.accounts.owner import Owner

_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_PENDING_ATTR = "_masterbus_new_guest_key"


def read_guest_key(request: HttpRequest) -> str | None:
    """The guest key from the cookie, if it has the shape we issue (anything else is ignored)."""
    value = request.COOKIES.get(settings.GUEST_COOKIE_NAME, "")
    return value if _KEY_RE.match(value) else None


def ensure_guest(request: HttpRequest) -> Owner:
    """The request's owner, creating a guest identity (and its cookie) if there is none yet."""
    owner: Owner = request.owner
    if owner.exists:
        return owner
    key = secrets.token_urlsafe(32)
    setattr(request, _PENDING_ATTR, key)
    request.owner = Owner(user=None, guest_key=key)
    return request.owner


def write_guest_cookie(request: HttpRequest, response: HttpResponse) -> None:
    """Set the cookie for a guest key created during this request."""
    key = getattr(request, _PENDING_ATTR, None)
    if key is None:
        return
    response.set_cookie(
        settings.GUEST_COOKIE_NAME,
        key,
        max_age=settings.GUEST_RETENTION_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=getattr(settings, "GUEST_COOKIE_SECURE", False),
    )
