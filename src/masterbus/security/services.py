"""Writes of the security app: sign-in session records (P4) and the security log (P17)."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from masterbus.security import signals
from masterbus.security.clientip import client_ip_hash
from masterbus.security.models import EventKind, SecurityEvent, SignInSession
from masterbus.security.useragent import browser_summary

if TYPE_CHECKING:
    from masterbus.accounts.models import User

logger = logging.getLogger(__name__)

# The session remembers which record it is, so a rotated session key keeps its record.
SESSION_RECORD_KEY = "_masterbus_sign_in_session"


def _key_hash(request: HttpRequest) -> str:
    if request.session.session_key is None:
        request.session.save()  # a key exists only once the session is stored
    return hashlib.sha256(request.session.session_key.encode()).hexdigest()


def _browser(request: HttpRequest) -> str:
    return browser_summary(request.headers.get("User-Agent", ""))


def security_event_record(
    *, kind: EventKind, user: User | None, request: HttpRequest | None, detail: str = ""
) -> SecurityEvent:
    """Add an entry to the security log, with the hashed address and browser of the request."""
    return SecurityEvent.objects.create(
        user=user,
        kind=kind,
        ip_hash=client_ip_hash(request) if request is not None else "",
        browser=_browser(request) if request is not None else "",
        detail=detail[: SecurityEvent._meta.get_field("detail").max_length],
    )


def security_event_record_failed_sign_in(*, request: HttpRequest | None, email: str) -> None:
    """A failed sign-in, on the account of that address if there is one (so its owner sees it)."""
    user = get_user_model().objects.filter(email__iexact=email.strip()).first() if email else None
    security_event_record(kind=EventKind.SIGN_IN_FAILED, user=user, request=request)


def sign_in_session_start(*, request: HttpRequest, user: User) -> SignInSession:
    """Record the request's session as one of the user's sign-in sessions."""
    now = timezone.now()
    record = SignInSession.objects.create(
        user=user,
        session_key_hash=_key_hash(request),
        browser=_browser(request),
        ip_hash=client_ip_hash(request),
        created_at=now,
        last_seen_at=now,
    )
    request.session[SESSION_RECORD_KEY] = record.pk
    return record


def sign_in_session_touch(*, request: HttpRequest, record: SignInSession) -> None:
    """Note the session is in use: at most one write per SIGN_IN_SESSION_TOUCH_SECONDS."""
    now = timezone.now()
    key_hash = _key_hash(request)
    interval = timedelta(seconds=settings.SIGN_IN_SESSION_TOUCH_SECONDS)
    if record.session_key_hash == key_hash and now - record.last_seen_at < interval:
        return
    SignInSession.objects.filter(pk=record.pk).update(
        session_key_hash=key_hash, last_seen_at=now, ip_hash=client_ip_hash(request)
    )


def sign_in_session_end(*, request: HttpRequest, user: User | None) -> None:
    """Sign-out: the session's record goes, and the log notes it (once, if the record was live)."""
    record_id = request.session.get(SESSION_RECORD_KEY) if hasattr(request, "session") else None
    if record_id is None or user is None:
        return
    deleted, _ = SignInSession.objects.filter(pk=record_id, user=user).delete()
    if deleted:
        security_event_record(kind=EventKind.SIGN_OUT, user=user, request=request)


@transaction.atomic
def sign_in_sessions_end_others(*, request: HttpRequest, user: User) -> tuple[int, int]:
    """End every session of the user but this one; they are signed out on their next request.
    Every other credential of the account goes too (``signals.other_sessions_ended``: the API
    tokens). Returns (sessions ended, other credentials revoked)."""
    keep = request.session.get(SESSION_RECORD_KEY)
    deleted, _ = SignInSession.objects.filter(user=user).exclude(pk=keep).delete()
    if deleted:
        security_event_record(kind=EventKind.SESSIONS_ENDED, user=user, request=request)
    answers = signals.other_sessions_ended.send(sender=SignInSession, request=request, user=user)
    return deleted, sum(count for _, count in answers if isinstance(count, int))


def security_log_purge() -> int:
    """Delete security log entries older than SECURITY_LOG_RETENTION_DAYS (P17); idempotent."""
    cutoff = timezone.now() - timedelta(days=settings.SECURITY_LOG_RETENTION_DAYS)
    deleted, _ = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        logger.info("security log purge: deleted %d entries before %s", deleted, cutoff.date())
    return deleted


def sign_in_session_purge() -> int:
    """Delete expired sessions (Django's ``clearsessions``) and records of sessions unused for
    longer than a session can live; idempotent. Returns the number of records deleted.

    A day of margin beyond the session's lifetime: a purged record signs its session out.
    """
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE, days=1)
    deleted, _ = SignInSession.objects.filter(last_seen_at__lt=cutoff).delete()
    if deleted:
        logger.info("sign-in session purge: deleted %d expired records", deleted)
    return deleted
