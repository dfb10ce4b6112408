"""System checks: a malformed rate limit or proxy count fails at start, not on a request."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from masterbus.security.ratelimit import parse_rate

RATE_SETTINGS = (
    "RATE_LIMIT_UPLOADS",
    "RATE_LIMIT_API_TOKEN",
    "RATE_LIMIT_API_IP",
    "RATE_LIMIT_REMASTERS",
)


@register()
def check_security_settings(app_configs=None, **kwargs) -> list[Error]:
    rates = [(name, getattr(settings, name)) for name in RATE_SETTINGS]
    rates += [
        (f"ACCOUNT_RATE_LIMITS[{action!r}]", part)
        for action, text in settings.ACCOUNT_RATE_LIMITS.items()
        for part in text.split(",")
    ]
    errors = []
    for name, text in rates:
        try:
            parse_rate(text)
        except ValueError as exc:
            errors.append(Error(f"{name}: {exc}", id="security.E001"))
    if settings.TRUSTED_PROXY_COUNT < 0:
        errors.append(Error("TRUSTED_PROXY_COUNT must be 0 or more", id="security.E002"))
    return errors
