"""Licence keys: a small JSON payload signed with the platform's Ed25519 key, so a plugin checks
a key offline with only the public key (docs/licences.md has the format and a stand-alone check).

Key format: ``MB1.<payload>.<signature>``, both parts base64url without padding; the payload is
compact JSON ``{"lid", "product", "account", "issued", "edition"}`` (account: an opaque reference
of the buyer, not their id or e-mail). The signature covers the payload's bytes exactly as sent.

The private key comes from SHOP_LICENCE_SIGNING_KEY (a path or the PEM itself). Unset, a key is
generated once into DATA_DIR (development, tests); ``check --deploy`` refuses that (shop.E001):
keys signed by a throw-away key would stop verifying when it is lost.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

PREFIX = "MB1"
GENERATED_DIR = "licence-signing"
MAX_KEY_LENGTH = 1000  # anything longer is not one of ours (a cost bound on parsing)


@dataclass(frozen=True)
class LicencePayload:
    lid: str
    product: str
    account: str
    issued: str  # ISO date
    edition: str


class KeyInvalid(ValueError):
    """Not a licence key of ours: malformed, or the signature does not match."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def configured() -> bool:
    return bool(settings.SHOP_LICENCE_SIGNING_KEY)


def new_private_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _generated_pem() -> bytes:
    """The development key under DATA_DIR, made once; written into a fresh folder renamed into
    place so racing processes end up sharing one key, readable by us only."""
    folder = Path(settings.DATA_DIR) / GENERATED_DIR
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        draft = Path(tempfile.mkdtemp(prefix=".licence-", dir=folder.parent))
        descriptor = os.open(draft / "key.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(new_private_pem())
        try:
            draft.rename(folder)
        except OSError:  # another process was first: keep its key
            shutil.rmtree(draft, ignore_errors=True)
    return (folder / "key.pem").read_bytes()


def _private_pem() -> bytes:
    value = settings.SHOP_LICENCE_SIGNING_KEY
    if not value:
        return _generated_pem()
    if value.lstrip().startswith("-----BEGIN"):
        return value.encode()
    return Path(value).read_bytes()


@functools.cache
def _load(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the licence signing key is not an Ed25519 key")
    return key


def private_key() -> Ed25519PrivateKey:
    return _load(_private_pem())


def public_pem() -> str:
    """The public key in PEM (SubjectPublicKeyInfo): what plugins embed to verify keys."""
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def account_ref(user_id: int) -> str:
    """An opaque, stable reference of the buyer for the payload (the id never leaves us)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"shop-account:{user_id}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:20]


def key_sign(payload: LicencePayload) -> str:
    body = json.dumps(payload.__dict__, separators=(",", ":"), sort_keys=True).encode()
    return f"{PREFIX}.{_b64(body)}.{_b64(private_key().sign(body))}"


def key_verify(key: str, public_key: Ed25519PublicKey | None = None) -> LicencePayload:
    """The payload of a genuine key; KeyInvalid for anything else (never another exception)."""
    key = "".join(key.split())  # pasted keys may wrap
    parts = key.split(".")
    if len(key) > MAX_KEY_LENGTH or len(parts) != 3 or parts[0] != PREFIX:
        raise KeyInvalid("This is not a Masterbus licence key.")
    public_key = public_key or private_key().public_key()
    try:
        body, signature = _unb64(parts[1]), _unb64(parts[2])
        public_key.verify(signature, body)
        data = json.loads(body)
        return LicencePayload(**{name: str(data[name]) for name in LicencePayload.__annotations__})
    except (InvalidSignature, binascii.Error, ValueError, KeyError, TypeError) as error:
        raise KeyInvalid("This licence key is damaged or was not issued by us.") from error
