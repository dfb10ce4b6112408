"""The notification history (P26) and its e-mail, sent as the user's preferences allow (P24)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from masterbus.core.mail import send_templated_mail
from masterbus.messaging import kinds
from masterbus.messaging.models import (
    NOTIFICATION_BODY_MAX_CHARS,
    EmailPreference,
    Notification,
)

logger = logging.getLogger(__name__)

DEFAULT_EMAIL_TEMPLATE = "messaging/email/notification"


def notify(
    *,
    user,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email_template: str | None = None,
    context: dict | None = None,
    key: str | None = None,
) -> Notification | None:
    """Record a notification in the user's history and, after the transaction commits, e-mail
    it when the user's preference for ``kind`` allows.

    ``key`` makes it idempotent: a second call with the same key for the same user does nothing
    and returns None (periodic jobs rely on it). ``url`` is a path on this site (``/orders/…``);
    the e-mail gets it absolute. ``email_template`` (a prefix as for ``send_templated_mail``)
    replaces the generic e-mail; it gets ``context`` plus ``notification``, ``link`` and
    ``settings_link``.
    """
    known = kinds.kind_get(kind)  # an unknown kind is a programming error: ValueError
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                kind=known.name,
                title=title[:200],
                body=body[:NOTIFICATION_BODY_MAX_CHARS],
                url=url[:500],
                key=key,
            )
    except IntegrityError:
        if key is not None and Notification.objects.filter(user=user, key=key).exists():
            return None
        raise
    if email_wanted(user=user, kind=kind):
        transaction.on_commit(
            lambda: notification_email(
                notification=notification,
                template=email_template or DEFAULT_EMAIL_TEMPLATE,
                context=context or {},
            )
        )
    return notification


def email_wanted(*, user, kind: str) -> bool:
    """Whether ``kind``'s e-mail goes to the user: required kinds always, others unless off."""
    if not user.is_active or not user.email:
        return False
    if kinds.kind_get(kind).required:
        return True
    choice = EmailPreference.objects.filter(user=user, kind=kind).values_list("enabled", flat=True)
    return next(iter(choice), True)


def notification_email(*, notification: Notification, template: str, context: dict) -> bool:
    """Send the notification's e-mail once (``emailed_at`` claims it); False if not sent."""
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at=None).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    site = settings.SITE_URL.rstrip("/")
    try:
        send_templated_mail(
            template_prefix=template,
            context={
                **context,
                "notification": notification,
                "link": site + notification.url if notification.url.startswith("/") else "",
                "settings_link": site + reverse("messaging:preferences"),
            },
            to=[notification.user.email],
        )
    except OSError:
        logger.exception("could not send the e-mail of notification %s", notification.pk)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        return False
    return True


def notification_mark_read(*, user, notification_id) -> bool:
    """Mark one of the user's notifications read; False if it is not theirs or already read."""
    return bool(
        Notification.objects.filter(user=user, pk=notification_id, read_at=None).update(
            read_at=timezone.now()
        )
    )


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())


def email_preferences_set(*, user, enabled: dict[str, bool]) -> None:
    """Store the user's choice per optional kind (required kinds cannot be switched off)."""
    for name, on in enabled.items():
        if kinds.kind_get(name).required:
            continue
        EmailPreference.objects.update_or_create(user=user, kind=name, defaults={"enabled": on})


def notification_purge_expired(*, now=None) -> int:
    """Delete notifications older than NOTIFICATION_RETENTION_DAYS (a periodic job)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.NOTIFICATION_RETENTION_DAYS)
    deleted, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    return deleted
