"""Recovery codes kept only as salted keyed hashes (P2), in place of allauth's encrypted seed.

allauth derives its codes from a seed stored encrypted next to them: whoever holds the database
and the key can recompute every code. Here each code is random, exists in plain text only in the
response that shows it once, and the database keeps ``HMAC-SHA256(key, salt + code)`` per code,
each with its own random salt; a code that signs in is removed.

Why a keyed fast hash and not Django's password hashers: a code is 12 characters out of 31
(about 59 bits), so even with the key a guess costs about 2^58 hashes, and a copy of the
database without the key allows no guessing at all. Ten checks with Django's argon2 hasher would
instead cost about 2 s of CPU (and 100 MiB per hash) for every wrong code, against 0.06 ms here
(bench/recovery_codes_bench.py).

The codes are made when the set is first viewed (allauth calls ``mark_as_viewed`` then
``get_unused_codes`` on the same wrapper), not when allauth creates the set, so the plain text is
never stored anywhere, not even in the session, between the two requests.

The hook: allauth refers to its wrapper class in two places, ``Authenticator.wrap()`` (imports
``allauth.mfa.recovery_codes.internal.auth.RecoveryCodes`` on each call) and the recovery-code
flows (bound at import). ``install()`` points both at ``HashedRecoveryCodes`` (this module's
``AllauthRecoveryCodes`` stays allauth's own class, bound before the swap); it is the only
place that patches allauth, and tests/accounts/test_recovery_codes.py fails if allauth changes
either place or the wrapper's interface.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes as AllauthRecoveryCodes
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.checks import Error
from django.db import transaction

from masterbus.accounts.adapters import mfa_key

# No 0/o, 1/l/i: a code is read from paper and typed by hand.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 12
GROUP = 4
SALT_BYTES = 16
# What allauth's pages count and show for a code whose plain text is gone.
MASK = "****"


def new_code() -> str:
    """A random code, grouped for reading: ``7kq2-mx9f-ahw4``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalize(code: str) -> str:
    """What is hashed: capitals, dashes and spaces as typed do not matter."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _digest(salt: bytes, normalized: str) -> str:
    key = mfa_key(b"masterbus.mfa.recovery-codes")
    return hmac.new(key, salt + normalized.encode(), hashlib.sha256).hexdigest()


def code_hash(code: str) -> str:
    """``salt$digest`` (hex) of one code, with a fresh salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    return f"{salt.hex()}${_digest(salt, normalize(code))}"


def code_matches(stored: str, code: str) -> bool:
    salt, _, digest = stored.partition("$")
    return hmac.compare_digest(_digest(bytes.fromhex(salt), normalize(code)), digest)


def hashed_set(codes: list[str], *, viewed_at: float | None) -> dict:
    """The Authenticator's ``data`` for a set: hashes only; ``total`` for allauth's counts."""
    data: dict = {"hashes": [code_hash(code) for code in codes], "total": len(codes)}
    if viewed_at is not None:
        data["viewed_at"] = viewed_at
    return data


class HashedRecoveryCodes(AllauthRecoveryCodes):
    """allauth's recovery-code wrapper, storing hashes (see the module docstring)."""

    def __init__(self, instance: Authenticator) -> None:
        super().__init__(instance)
        self._shown: list[str] | None = None  # the plain codes, only on the wrapper that made them

    @classmethod
    def activate(cls, user: AbstractBaseUser) -> HashedRecoveryCodes:
        """An empty set, filled with codes when it is first viewed."""
        instance, _ = Authenticator.objects.get_or_create(
            user_id=user.pk,
            type=Authenticator.Type.RECOVERY_CODES,
            defaults={"data": hashed_set([], viewed_at=None)},
        )
        return cls(instance)

    def generate_codes(self) -> list[str]:
        """The whole set: allauth only counts it, and stored codes have no plain text left."""
        if self._shown is not None:
            return list(self._shown)
        return [MASK] * self.instance.data.get("total", 0)

    def get_unused_codes(self) -> list[str]:
        """Plain codes on the wrapper that just made them; otherwise one mask per unused code."""
        if self._shown is not None:
            return list(self._shown)
        return [MASK] * len(self.instance.data.get("hashes", []))

    @transaction.atomic
    def validate_code(self, code: str) -> bool:
        """A matching code signs in once: its hash is removed in the same transaction."""
        if not 0 < len(normalize(code)) <= CODE_LENGTH:  # no hashing of megabytes
            return False
        if self.instance.pk is not None:
            self.instance = Authenticator.objects.select_for_update().get(pk=self.instance.pk)
        hashes = self.instance.data.get("hashes", [])
        matches = [stored for stored in hashes if code_matches(stored, code)]
        if not matches:
            return False
        self.instance.data["hashes"] = [stored for stored in hashes if stored not in matches]
        self.instance.save(update_fields=["data"])
        return True

    @transaction.atomic
    def mark_as_viewed(self) -> None:
        """The first view makes the codes: their hashes are saved, their text kept on ``self``
        for the page (or download) that shows them."""
        if self.instance.pk is not None:
            self.instance = Authenticator.objects.select_for_update().get(pk=self.instance.pk)
        if self.did_view:
            return
        codes = [new_code() for _ in range(app_settings.RECOVERY_CODE_COUNT)]
        self.instance.data = hashed_set(codes, viewed_at=time.time())
        self.instance.save(update_fields=["data"])
        self._shown = codes


def install() -> None:
    """Point allauth's two references to its recovery-code wrapper at ours (module docstring)."""
    from allauth.mfa.recovery_codes.internal import auth, flows

    auth.RecoveryCodes = HashedRecoveryCodes
    flows.RecoveryCodes = HashedRecoveryCodes


def check_shown_once(**_: object) -> list[Error]:
    """Hashed codes can be shown only once; allauth's "view again" pages would show masks."""
    if getattr(settings, "MFA_RECOVERY_CODES_SHOW_ONCE", False):
        return []
    return [
        Error(
            "MFA_RECOVERY_CODES_SHOW_ONCE must be True: recovery codes are stored hashed and "
            "cannot be shown again",
            id="accounts.E001",
        )
    ]
