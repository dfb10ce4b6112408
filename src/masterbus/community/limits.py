"""Per-user rates of posts, comments, likes and reports, counted by the shared rate limiter
(masterbus.security.ratelimit) under a hash of the user id."""

from __future__ import annotations

import hashlib

from django.conf import settings

from masterbus.community.errors import RateError
from masterbus.security.ratelimit import parse_rate, rate_limit_hit, wait_text

SETTINGS = {
    "post": ("COMMUNITY_RATE_POSTS", "posts"),
    "comment": ("COMMUNITY_RATE_COMMENTS", "comments"),
    "like": ("COMMUNITY_RATE_LIKES", "likes"),
    "report": ("COMMUNITY_RATE_REPORTS", "reports"),
}


def rate_check(*, user, action: str) -> None:
    """Count one ``action`` of ``user``; RateError (with retry_after) when over the rate."""
    name, plural = SETTINGS[action]
    rate = parse_rate(getattr(settings, name))
    key = hashlib.sha256(f"user:{user.pk}".encode()).hexdigest()
    refusal = rate_limit_hit(scope=f"community-{action}", key=key, rate=rate)
    if refusal is not None:
        raise RateError(
            f"Too many {plural}: at most {rate.amount} in {wait_text(rate.seconds)}. "
            f"Please try again in {wait_text(refusal.retry_after)}.",
            retry_after=refusal.retry_after,
        )
