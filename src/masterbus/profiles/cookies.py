"""The cookies this app sets, each registered in masterbus.privacy.cookies first (P27)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone


def write_theme_cookie(response: HttpResponse, theme: str) -> None:
    """Functional: ConsentMiddleware drops it unless the visitor allowed functional cookies."""
    response.set_cookie(
        settings.THEME_COOKIE_NAME,
        theme,
        max_age=settings.THEME_COOKIE_AGE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def write_notice_cookie(response: HttpResponse, version: str, *, until: datetime.date) -> None:
    """Essential, like the consent cookie: it remembers that a guest closed the policy notice,
    which they asked for by closing it; it ends with the notice."""
    days = max((until - timezone.localdate()).days, 1)
    response.set_cookie(
        settings.NOTICE_COOKIE_NAME,
        version,
        max_age=days * 86400,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
