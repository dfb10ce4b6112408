"""What the shop refuses, in words a person can act on; the API maps each code to a status."""

from __future__ import annotations

from masterbus.core.errors import DomainError


class ShopError(DomainError):
    code = "shop_refused"


class LicenceInvalid(ShopError):
    """The key is not genuine, or its licence is not active (revoked, refunded, unknown)."""

    code = "licence_invalid"


class ActivationLimit(ShopError):
    code = "activation_limit"


class ShopRateLimited(ShopError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
