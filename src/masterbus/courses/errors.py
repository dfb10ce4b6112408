"""What a person can fix in courses (codes are stable for the API)."""

from __future__ import annotations

from masterbus.core.errors import DomainError


class CourseInvalid(DomainError):
    """Authoring input refused: too long, a duplicate name, not audio..."""

    code = "invalid"


class EnrolmentStateError(DomainError):
    """Already enrolled, not enrolled yet, or the course is not open for enrolment."""

    code = "enrolment_state"


class CourseLimit(DomainError):
    """Too many quiz answers or enrolments in the last hour."""

    code = "rate_limited"
    retry_after = 3600
