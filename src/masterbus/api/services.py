"""API token writes: create (the only moment the secret is seen), revoke, authenticate; each
written to the owner's security log (P17), as is a token's first use from a new network."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from masterbus.api.models import ApiToken, ApiTokenNetwork
from masterbus.core.errors import DomainError
from masterbus.security.clientip import client_ip_hash
from masterbus.security.models import EventKind
from masterbus.security.services import security_event_record

if TYPE_CHECKING:
    from masterbus.accounts.models import User

TOKEN_PREFIX = "mb_"
NAME_MAX = 100
EXPIRES_DAYS_MAX = 3650
# What the tokens page offers (days; None: until revoked), the first being its default.
EXPIRY_CHOICES: tuple[int | None, ...] = (90, 30, 365, None)
# last_used_at is informative: one write a minute per token is enough, not one per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(DomainError):
    """A token request a person can fix (empty name); ``str`` is the message."""

    code = "bad_token_request"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _log(kind: EventKind, token: ApiToken, request: HttpRequest | None, detail: str = "") -> None:
    security_event_record(kind=kind, user=token.user, request=request, detail=detail or token.label)


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    expires_days: int | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user``, valid ``expires_days`` days (None: until revoked); returns the
    row and the full token text, shown once. Logged in the owner's security log."""
    name = name.strip()
    if not name:
        raise TokenError("Give the token a name, so you can tell your tokens apart.")
    if len(name) > NAME_MAX:
        raise TokenError(f"A token name is at most {NAME_MAX} characters.")
    if expires_days is not None and not 1 <= expires_days <= EXPIRES_DAYS_MAX:
        raise TokenError(f"A token expires after 1 to {EXPIRES_DAYS_MAX} days, or never.")
    prefix = secrets.token_hex(6)
    secret = secrets.token_hex(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        secret_hash=_hash(secret),
        expires_at=timezone.now() + timedelta(days=expires_days) if expires_days else None,
    )
    _log(EventKind.API_TOKEN_CREATED, token, request)
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


@transaction.atomic
def token_revoke(*, user: User, token_id: int, request: HttpRequest | None = None) -> bool:
    """Revoke one of the user's tokens; False if it is not theirs or already revoked."""
    token = ApiToken.objects.filter(pk=token_id, user=user, revoked_at=None).first()
    if token is None or not ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(
        revoked_at=timezone.now()
    ):
        return False
    _log(EventKind.API_TOKEN_REVOKED, token, request)
    return True


@transaction.atomic
def token_revoke_all(*, user: User, reason: str, request: HttpRequest | None = None) -> int:
    """Revoke every token of the user (the password changed, other sessions were signed out);
    one entry in the security log says how many and why. Returns how many."""
    revoked = ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
    if revoked:
        security_event_record(
            kind=EventKind.API_TOKEN_REVOKED,
            user=user,
            request=request,
            detail=f"all {revoked} token{'s' if revoked != 1 else ''}: {reason}",
        )
    return revoked


def token_authenticate(*, text: str, request: HttpRequest | None = None) -> ApiToken | None:
    """The active (not revoked, not expired) token the text is, or None; a wrong secret costs
    the same as a wrong prefix. With the request, a first use from a new network is logged."""
    body = text.removeprefix(TOKEN_PREFIX) if text.startswith(TOKEN_PREFIX) else ""
    prefix, _, secret = body.partition("_")
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at=None, user__is_active=True)
        .exclude(expires_at__lte=now)
        .first()
        if prefix and secret
        else None
    )
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    if request is not None:
        _note_network(token, request)
    return token


def _note_network(token: ApiToken, request: HttpRequest) -> None:
    """Remember the network (its keyed hash); the first use from it goes to the security log."""
    network = client_ip_hash(request)
    if ApiTokenNetwork.objects.filter(token=token, ip_hash=network).exists():
        return
    with transaction.atomic():
        _, created = ApiTokenNetwork.objects.get_or_create(token=token, ip_hash=network)
        if created:
            _log(EventKind.API_TOKEN_NEW_NETWORK, token, request)
