"""``Authorization: Bearer <token>``: the token's user becomes ``request.owner`` (P18).

The API never falls back to the session or the guest cookie: a request without a valid token is
nobody, which is also why the API can skip CSRF checks.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from masterbus.accounts.owner import Owner
from masterbus.api.services import token_authenticate


def _owner(request: HttpRequest, text: str) -> Owner | None:
    token = token_authenticate(text=text.strip(), request=request)
    if token is None:
        return None
    request.owner = Owner(user=token.user, guest_key=None)
    return request.owner


def bearer_owner(request: HttpRequest) -> Owner | None:
    """The owner the request's bearer token stands for (also set on the request), or None."""
    scheme, _, text = request.headers.get("Authorization", "").partition(" ")
    return _owner(request, text) if scheme.lower() == "bearer" and text.strip() else None


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Owner | None:
        return _owner(request, token)
