"""Who owns a piece of data: a signed-in user, or a guest browser identified by its cookie.

Every owned model has a nullable ``user`` foreign key and a nullable ``guest_key``; queries go
through ``Owner.filter_kwargs()`` so no view ever scopes rows by hand (P18).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from masterbus.accounts.models import User


@dataclass(frozen=True)
class Owner:
    user: User | None
    guest_key: str | None

    @property
    def is_user(self) -> bool:
        return self.user is not None

    @property
    def exists(self) -> bool:
        """False for a visitor who has not owned anything yet (no guest cookie)."""
        return self.user is not None or self.guest_key is not None

    def filter_kwargs(self) -> dict:
        """Keyword arguments for ``Model.objects.filter`` that select exactly this owner's rows."""
        if self.user is not None:
            return {"user": self.user}
        if self.guest_key:
            return {"user": None, "guest_key": self.guest_key}
        return {"pk__in": []}  # nobody: matches nothing

    def create_kwargs(self) -> dict:
        """Keyword arguments for creating a row owned by this owner."""
        if self.user is not None:
            return {"user": self.user, "guest_key": None}
        if self.guest_key:
            return {"user": None, "guest_key": self.guest_key}
        raise ValueError("a visitor without a guest key owns nothing: call ensure_guest first")
