"""Assistant errors shown to the person (the API maps the codes in api/errors.py)."""

from __future__ import annotations

from masterbus.core.errors import DomainError


class AssistantError(DomainError):
    pass
