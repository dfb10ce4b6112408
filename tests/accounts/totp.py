"""RFC 6238 time-based one-time passwords, written for the tests (an authenticator app's part)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def totp(secret: str, at: float | None = None, *, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows for a base32 ``secret`` at time ``at`` (now)."""
    counter = int((time.time() if at is None else at) // step)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)
