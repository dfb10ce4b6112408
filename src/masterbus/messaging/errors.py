"""Errors the messaging services raise for things a person can fix; the message is for them."""

from __future__ import annotations

from masterbus.core.errors import DomainError


class MessagingError(DomainError):
    """An empty or too long message, a ticket without a subject (API: 400)."""

    code = "invalid_message"


class MessageRateError(MessagingError):
    """Too many messages in a short time (API: 429 rate_limited, with Retry-After)."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
