"""Writes: profile, avatar, theme, switches (P31, P33), marketing email and its one-click
unsubscribe (P25), page-view counting (P27, P28) and policy-change notices (P35)."""

from __future__ import annotations

import datetime
import logging
from typing import BinaryIO

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from masterbus.accounts.models import User
from masterbus.core.mail import send_templated_mail
from masterbus.profiles import selectors
from masterbus.profiles.avatars import avatar_from_upload
from masterbus.profiles.models import PageView, PolicyNotice, Profile, Theme
from masterbus.profiles.tokens import unsubscribe_token, user_id_from_token

logger = logging.getLogger(__name__)


def _profile_for_update(user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def profile_update(*, user: User, display_name: str, handles: dict[str, str]) -> Profile:
    """Save the name and the platform handles (already checked and made canonical)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(display_name=display_name)
        user.display_name = display_name
        profile = _profile_for_update(user)
        profile.handles = handles
        profile.save(update_fields=["handles", "updated_at"])
    return profile


def avatar_set(*, user: User, stream: BinaryIO, length: int) -> Profile:
    """Replace the avatar with a re-encoded square picture; raises AvatarError with the reason.

    Nothing is written unless the picture is good, so a bad file leaves the old avatar.
    """
    data = avatar_from_upload(
        stream,
        size=settings.AVATAR_SIZE,
        max_bytes=settings.AVATAR_MAX_BYTES,
        max_pixels=settings.AVATAR_MAX_PIXELS,
        length=length,
    )
    profile = _profile_for_update(user)
    Profile.objects.filter(pk=profile.pk).update(
        avatar=data, avatar_version=F("avatar_version") + 1, updated_at=timezone.now()
    )
    profile.refresh_from_db()
    return profile


def avatar_remove(*, user: User) -> None:
    Profile.objects.filter(user=user).update(avatar=None, updated_at=timezone.now())


def profile_set_theme(*, user: User, theme: Theme) -> None:
    profile = _profile_for_update(user)
    profile.theme = theme
    profile.save(update_fields=["theme", "updated_at"])


def profile_set_switches(*, user: User, analytics: bool, marketing: bool, assistant: bool) -> None:
    """Optional processing on or off (P33); effective from the next request."""
    profile = _profile_for_update(user)
    if marketing and not profile.marketing_opt_in:
        profile.marketing_opt_in_at = timezone.now()
    elif not marketing:
        profile.marketing_opt_in_at = None
    profile.analytics_enabled = analytics
    profile.marketing_opt_in = marketing
    profile.assistant_enabled = assistant
    profile.save(
        update_fields=[
            "analytics_enabled",
            "marketing_opt_in",
            "marketing_opt_in_at",
            "assistant_enabled",
            "updated_at",
        ]
    )


def marketing_unsubscribe(*, token: str) -> bool:
    """Switch marketing email off for the token's user; False for a bad token. Idempotent."""
    user_id = user_id_from_token(token)
    if user_id is None:
        return False
    Profile.objects.filter(user_id=user_id).update(
        marketing_opt_in=False, marketing_opt_in_at=None, updated_at=timezone.now()
    )
    return True


def marketing_send(*, subject: str, body: str) -> int:
    """Send a marketing message to every opted-in user, each with a one-click unsubscribe link
    in the text and in the List-Unsubscribe headers (RFC 8058). Returns how many were sent."""
    sent = 0
    with get_connection() as mail:
        for user in selectors.marketing_recipients().iterator():
            link = settings.SITE_URL + reverse(
                "profiles:unsubscribe", args=[unsubscribe_token(user.pk)]
            )
            sent += send_templated_mail(
                template_prefix="profiles/email/marketing",
                context={"subject": subject, "body": body, "unsubscribe_url": link},
                to=[user.email],
                headers={
                    "List-Unsubscribe": f"<{link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
                connection=mail,
            )
    return sent


def pageview_count(*, route: str, day: datetime.date) -> None:
    """Add one view of a route on a day: a single UPSERT (SQLite and PostgreSQL)."""
    table = connection.ops.quote_name(PageView._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, route, views) VALUES (%s, %s, 1) "
            f"ON CONFLICT (day, route) DO UPDATE SET views = {table}.views + 1",
            [day, route[:200]],
        )


def policy_notice_dismiss(*, user: User, version: str) -> None:
    PolicyNotice.objects.update_or_create(
        user=user, version=version, defaults={"dismissed_at": timezone.now()}
    )


def policy_change_notify(batch: int = 500) -> int:
    """Email every active user about the current change before it takes effect, once per user
    and version (P35). Periodic and idempotent: a user is claimed by setting ``emailed_at``
    before sending, so two workers never both send; a failed send is released for the next run."""
    change = selectors.policy_change_current()
    if change is None or timezone.localdate() >= change.effective:
        return 0
    emailed = PolicyNotice.objects.filter(version=change.version, emailed_at__isnull=False)
    pending = (
        User.objects.filter(is_active=True)
        .exclude(pk__in=emailed.values("user_id"))
        .order_by("pk")[:batch]
    )
    sent = 0
    for user in pending:
        if not _claim_policy_email(user, change.version):
            continue
        try:
            send_templated_mail(
                template_prefix="profiles/email/policy_change",
                context={
                    "change": change,
                    "policy_url": settings.SITE_URL + reverse("privacy:privacy"),
                },
                to=[user.email],
            )
        except Exception:
            logger.exception("policy change email to user %s failed; retried next run", user.pk)
            PolicyNotice.objects.filter(user=user, version=change.version).update(emailed_at=None)
            continue
        sent += 1
    return sent


def _claim_policy_email(user: User, version: str) -> bool:
    PolicyNotice.objects.get_or_create(user=user, version=version)  # safe against races
    return bool(
        PolicyNotice.objects.filter(user=user, version=version, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    )
