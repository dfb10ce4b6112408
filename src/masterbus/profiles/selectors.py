"""Reads: a user's profile (defaults until the first save), the theme of a request, whether
optional processing is allowed (P33), the policy notice to show (P35)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone

from masterbus.accounts.models import User
from masterbus.privacy import policy
from masterbus.privacy.consent import Consent, read_consent
from masterbus.profiles.models import PolicyNotice, Profile, Theme


def profile_get(user: User) -> Profile:
    """The user's profile; an unsaved one with the defaults if they never changed anything."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


def request_profile(request: HttpRequest) -> Profile | None:
    """The signed-in user's profile, read at most once per request (ProfileMiddleware)."""
    user = getattr(request, "user", AnonymousUser())
    if not user.is_authenticated:
        return None
    if not hasattr(request, "_profile"):
        request._profile = profile_get(user)
    return request._profile


def _consent(request: HttpRequest) -> Consent:
    return getattr(request, "consent", None) or read_consent(request)


def theme_cookie_value(request: HttpRequest) -> str | None:
    """The theme in the functional cookie, only while functional cookies are allowed."""
    if not _consent(request).functional:
        return None
    value = request.COOKIES.get(settings.THEME_COOKIE_NAME)
    return value if value in Theme.values else None


def theme_for(request: HttpRequest) -> str:
    """The account's theme once it was saved; otherwise the browser's (with consent)."""
    profile = request_profile(request)
    if profile is not None and profile.pk is not None:
        return profile.theme
    return theme_cookie_value(request) or Theme.SYSTEM


def analytics_allowed(request: HttpRequest) -> bool:
    """Count this request only with the browser's consent and the account's switch on."""
    if not _consent(request).analytics:
        return False
    profile = request_profile(request)
    return profile is None or profile.analytics_enabled


def assistant_allowed(user: User) -> bool:
    """Assistant features may process this user's content (P33, P36)."""
    return user.is_authenticated and profile_get(user).assistant_enabled


def marketing_recipients():
    """Active users who opted in to marketing email (P25)."""
    return User.objects.filter(is_active=True, profile__marketing_opt_in=True).order_by("pk")


def policy_change_current(today: datetime.date | None = None) -> policy.PolicyChange | None:
    """The latest announced change still inside its notice window, if any."""
    today = today or timezone.localdate()
    shown = [c for c in policy.POLICY_CHANGES if c.announced <= today <= policy_notice_end(c)]
    return max(shown, key=lambda c: c.effective, default=None)


def policy_notice_end(change: policy.PolicyChange) -> datetime.date:
    """The last day the notice of a change is shown."""
    return change.effective + datetime.timedelta(days=settings.POLICY_NOTICE_DAYS_AFTER)


def policy_change_notice(request: HttpRequest) -> policy.PolicyChange | None:
    """The change to tell this visitor about, unless they dismissed it."""
    change = policy_change_current()
    if change is None:
        return None
    user = getattr(request, "user", AnonymousUser())
    if user.is_authenticated:
        dismissed = PolicyNotice.objects.filter(
            user=user, version=change.version, dismissed_at__isnull=False
        ).exists()
    else:
        dismissed = request.COOKIES.get(settings.NOTICE_COOKIE_NAME) == change.version
    return None if dismissed else change
