"""System checks: a deployment seals booking agreements with a configured platform key."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_booking_signing(app_configs=None, **kwargs) -> list[Error]:
    """With BOOKING_SIGNING_REQUIRED, the key and certificate must be set and load: a pair
    generated on first use is for development and tests only."""
    from masterbus.studios import signing

    if not settings.BOOKING_SIGNING_REQUIRED:
        return []
    if not signing.configured():
        return [
            Error(
                "BOOKING_SIGNING_KEY and BOOKING_SIGNING_CERT are not set: booking agreements "
                "would be sealed with a generated key nobody else knows.",
                id="studios.E001",
            )
        ]
    try:
        signing.signer()
    except (OSError, ValueError, TypeError) as error:
        return [
            Error(
                f"The booking signing key or certificate does not load: {error}", id="studios.E002"
            )
        ]
    return []
