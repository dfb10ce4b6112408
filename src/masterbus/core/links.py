"""Unguessable, expiring links: a signed payload in the URL (P18).

The signature makes a link impossible to forge or alter; the timestamp makes it expire. The view
that serves a link still checks who is asking, so a link that leaks is useless to anyone else.
"""

from __future__ import annotations

from django.core import signing

SALT = "masterbus.core.links"


def sign(payload: dict) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object(payload, compress=True)


def unsign(token: str, *, max_age: int) -> dict | None:
    """The payload of a valid, unexpired link; None for anything else."""
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError):
        return None
    return payload if isinstance(payload, dict) else None
