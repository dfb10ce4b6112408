"""API token writes: create (the only moment the secret is seen), revoke, authenticate."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from masterbus.api.models import ApiToken

if TYPE_CHECKING:
    from masterbus.accounts.models import User

TOKEN_PREFIX = "mb_"
NAME_MAX = 100
# last_used_at is informative: one write a minute per token is enough, not one per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Exception):
    """A token request a person can fix (empty name); ``str`` is the message."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the full token text, shown once."""
    name = name.strip()
    if not name:
        raise TokenError("Give the token a name, so you can tell your tokens apart.")
    if len(name) > NAME_MAX:
        raise TokenError(f"A token name is at most {NAME_MAX} characters.")
    prefix = secrets.token_hex(6)
    secret = secrets.token_hex(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, secret_hash=_hash(secret))
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


def token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the user's tokens; False if it is not theirs or already revoked."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at=None).update(
            revoked_at=timezone.now()
        )
    )


def token_authenticate(*, text: str) -> ApiToken | None:
    """The active token the text is, or None; a wrong secret costs the same as a wrong prefix."""
    body = text.removeprefix(TOKEN_PREFIX) if text.startswith(TOKEN_PREFIX) else ""
    prefix, _, secret = body.partition("_")
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at=None, user__is_active=True)
        .first()
        if prefix and secret
        else None
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
