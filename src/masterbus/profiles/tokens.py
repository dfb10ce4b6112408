"""The one-click unsubscribe token (P25): signed, so nobody can unsubscribe someone else, and
without expiry, so the link in an old message still works (it can only switch marketing off).
"""

from __future__ import annotations

from django.core import signing

SALT = "masterbus.profiles.unsubscribe"


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=SALT, compress=True)


def user_id_from_token(token: str) -> int | None:
    """The user id of a valid token; None for a forged, altered or malformed one."""
    try:
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError):
        return None
    user_id = payload.get("u") if isinstance(payload, dict) else None
    return user_id if isinstance(user_id, int) else None
