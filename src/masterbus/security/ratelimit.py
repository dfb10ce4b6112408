"""Rate limits on uploads and the API (P16), counted in Django's cache so every web process that
shares the cache (Redis in the scale-out layout) shares the counters.

A limit is written like allauth's: ``"<amount>/<duration>"`` with a duration of ``s``, ``m``,
``h`` or ``d``, optionally with a number (``"5/15m"``). Keys are keyed hashes of the client
address or of the API token: no raw IP or token ever reaches the cache.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from masterbus.security.clientip import client_ip_hash

# The JSON API is mounted here (config/urls.py); everything under it counts as an API request.
API_PREFIX = "/api/"
UPLOAD_CREATE_VIEWS = frozenset({"uploads:create", "api-uploads:create"})
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int


@dataclass(frozen=True)
class Refusal:
    """A request over a limit: which limit, and when the window that refused it ends."""

    scope: str
    retry_after: int


def parse_rate(text: str) -> Rate:
    """``"60/h"`` -> Rate(60, 3600); ``"5/15m"`` -> Rate(5, 900); allauth's ``"/ip"`` or
    ``"/key"`` suffix is allowed and ignored."""
    amount, _, duration = text.strip().partition("/")
    duration = duration.partition("/")[0]
    unit = duration[-1:]
    if not amount.isdigit() or unit not in _UNITS or not (duration[:-1] or "1").isdigit():
        raise ValueError(f"a rate limit looks like '60/h' or '5/15m', not {text!r}")
    return Rate(int(amount), int(duration[:-1] or "1") * _UNITS[unit])


def rate_limit_hit(*, scope: str, key: str, rate: Rate) -> Refusal | None:
    """Count one request against ``key``'s current fixed window; a Refusal when over the rate.

    ``add`` then ``incr`` are atomic in the locmem and Redis caches, so concurrent requests are
    counted exactly.
    """
    now = time.time()
    window = int(now // rate.seconds)
    cache_key = f"rl:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=rate.seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(cache_key, 1, timeout=rate.seconds + 1)
            count = 1
    if count <= rate.amount:
        return None
    return Refusal(scope=scope, retry_after=max(1, math.ceil((window + 1) * rate.seconds - now)))


def wait_text(seconds: int) -> str:
    """How long to wait, in words: "40 seconds", "3 minutes"."""
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _token_key(request: HttpRequest) -> str | None:
    """A hash of the bearer credential: one counter per token, and the token never stored."""
    scheme, _, text = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not text.strip():
        return None
    return hashlib.sha256(text.strip().encode()).hexdigest()


def request_limits(request: HttpRequest) -> Refusal | None:
    """Apply every limit that covers this request; the first refusal, or None.

    API requests count per IP hash and per token; creating an upload (web or API) counts per
    IP hash against the upload limit.
    """
    ip = client_ip_hash(request)
    if request.path.startswith(API_PREFIX):
        rate = parse_rate(settings.RATE_LIMIT_API_IP)
        refusal = rate_limit_hit(scope="api-ip", key=ip, rate=rate)
        token = _token_key(request)
        if refusal is None and token is not None:
            refusal = rate_limit_hit(
                scope="api-token", key=token, rate=parse_rate(settings.RATE_LIMIT_API_TOKEN)
            )
        if refusal is not None:
            return refusal
    match = request.resolver_match
    if request.method == "POST" and match is not None and match.view_name in UPLOAD_CREATE_VIEWS:
        return rate_limit_hit(scope="upload", key=ip, rate=parse_rate(settings.RATE_LIMIT_UPLOADS))
    return None
