"""A deployment's own keys (booking agreements, licence keys), for tests that load production."""

from __future__ import annotations

from pathlib import Path

from masterbus.shop.signing import new_private_pem
from masterbus.studios import signing


def signing_env(folder: Path) -> dict[str, str]:
    """Writes a fresh key and certificate into ``folder``; the environment that configures them."""
    key_pem, cert_pem = signing.self_signed_pair()
    (folder / "key.pem").write_bytes(key_pem)
    (folder / "cert.pem").write_bytes(cert_pem)
    (folder / "licence.pem").write_bytes(new_private_pem())  # the shop's key (shop.E001)
    return {
        "BOOKING_SIGNING_KEY": str(folder / "key.pem"),
        "BOOKING_SIGNING_CERT": str(folder / "cert.pem"),
        "SHOP_LICENCE_SIGNING_KEY": str(folder / "licence.pem"),
    }
