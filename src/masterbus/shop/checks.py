"""System checks: a deployment signs licence keys with its own, configured key."""

from __future__ import annotations

from django.core.checks import Error, register


@register("shop_licences", deploy=True)
def check_licence_signing(app_configs=None, **kwargs) -> list[Error]:
    """A key generated on first use is for development: lose the data folder and every licence
    sold stops verifying in the plugins, so production needs SHOP_LICENCE_SIGNING_KEY."""
    from masterbus.shop import signing

    if not signing.configured():
        return [
            Error(
                "SHOP_LICENCE_SIGNING_KEY is not set: licence keys would be signed with a "
                "generated key (make one with `openssl genpkey -algorithm ed25519`).",
                id="shop.E001",
            )
        ]
    try:
        signing.private_key()
    except (OSError, ValueError, TypeError) as error:
        return [Error(f"The licence signing key does not load: {error}", id="shop.E002")]
    return []
