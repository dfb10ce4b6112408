"""What the community services refuse; the API maps each code to a status (400 unless listed in
masterbus.api.errors; ``rate_limited`` is 429)."""

from __future__ import annotations

from masterbus.core.errors import DomainError


class CommunityError(DomainError):
    code = "community_refused"


class BannedError(CommunityError):
    code = "banned"


class BlockedError(CommunityError):
    code = "blocked"


class RateError(CommunityError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
