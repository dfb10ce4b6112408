"""API token reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from masterbus.api.models import ApiToken

if TYPE_CHECKING:
    from masterbus.accounts.models import User


def token_list_for_user(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)
