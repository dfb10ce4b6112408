"""Reads of the security app: a user's sessions and security log, for the security page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from masterbus.security.models import SecurityEvent, SignInSession

if TYPE_CHECKING:
    from masterbus.accounts.models import User

RECENT_EVENTS = 50


def sign_in_session_get(*, user: User, record_id: int | None) -> SignInSession | None:
    if record_id is None:
        return None
    return SignInSession.objects.filter(pk=record_id, user=user).first()


def sign_in_session_list_for_user(*, user: User) -> QuerySet[SignInSession]:
    return SignInSession.objects.filter(user=user).order_by("-last_seen_at")


def security_event_list_for_user(*, user: User) -> QuerySet[SecurityEvent]:
    return SecurityEvent.objects.filter(user=user).order_by("-created_at")[:RECENT_EVENTS]
