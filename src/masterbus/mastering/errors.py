"""Errors the mastering services raise for things a person can fix; the message is for them."""

from __future__ import annotations

from masterbus.core.errors import DomainError


class MasteringError(DomainError):
    """Something the user can fix (unfinished upload, bad settings); ``str`` is the message."""

    code = "not_masterable"


class JobBusyError(MasteringError):
    """The job is queued or being mastered, so it cannot be deleted now (API: 409 job_busy)."""

    code = "job_busy"


class LastVersionError(MasteringError):
    """The song's only version cannot be deleted alone (API: 409 last_version)."""

    code = "last_version"


class QuotaError(MasteringError):
    """Over a per-owner quota (HTTP 429): ``code`` is ``quota_exceeded`` or ``rate_limited``;
    ``retry_after`` (seconds) when waiting is what helps."""

    def __init__(
        self, message: str, *, code: str = "quota_exceeded", retry_after: int | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after
