"""Guest identity (P10): a random cookie value, created the first time a guest owns something."""

from __future__ import annotations

import hashlib
import re
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from masterbus.accounts.models import RetiredGuestKey
from masterbus.accounts.owner import Owner

_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
_PENDING_ATTR = "_masterbus_new_guest_key"
_RETIRED_ATTR = "_masterbus_guest_key_retired"


def guest_key_hash(key: str) -> str:
    """How a retired key is remembered (the key itself is a credential)."""
    return hashlib.sha256(key.encode()).hexdigest()


def read_guest_key(request: HttpRequest) -> str | None:
    """The guest key from the cookie, if it has the shape we issue and was not retired at a
    sign-in (anything else is ignored)."""
    value = request.COOKIES.get(settings.GUEST_COOKIE_NAME, "")
    if not _KEY_RE.match(value):
        return None
    if RetiredGuestKey.objects.filter(key_hash=guest_key_hash(value)).exists():
        return None
    return value


def forget_guest_cookie(request: HttpRequest) -> None:
    """The browser signed in: its guest cookie is deleted with this request's response."""
    setattr(request, _RETIRED_ATTR, True)
    if hasattr(request, _PENDING_ATTR):
        delattr(request, _PENDING_ATTR)


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
    """Set the cookie for a guest key created during this request; delete a retired one."""
    if getattr(request, _RETIRED_ATTR, False):
        response.delete_cookie(settings.GUEST_COOKIE_NAME, samesite="Lax")
        return
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
