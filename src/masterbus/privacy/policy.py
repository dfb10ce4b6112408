"""The policy's version and the facts it states, read from the live settings (P35), so the
privacy and cookie pages cannot drift from what the code does.

Change POLICY_VERSION and POLICY_EFFECTIVE whenever the policy's wording changes materially,
and declare the change in POLICY_CHANGES beforehand, so people are told before it takes effect.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

POLICY_VERSION = "1.0"
POLICY_EFFECTIVE = datetime.date(2026, 11, 23)


@dataclass(frozen=True)
class PolicyChange:
    """A material change, declared in code next to the policy it changes and reviewed with it."""

    version: str
    announced: datetime.date  # the in-app notice shows, and the emails go out, from this day
    effective: datetime.date
    summary: str  # what changes for the reader, in plain words


# Material changes (P35): masterbus.profiles shows each from `announced` until
# POLICY_NOTICE_DAYS_AFTER days after `effective`, and emails every active user once before.
POLICY_CHANGES: tuple[PolicyChange, ...] = ()


def _duration(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"


def _days(days: int) -> str:
    for year in (365, 366):  # the tax records' "7 years" is set as 7 * 366 days
        if days >= year and days % year == 0:
            return f"{days // year} year{'s' if days // year != 1 else ''}"
    return _duration(days * 86400)


def retention_windows() -> list[tuple[str, str]]:
    """What we keep and for how long, from the settings in force."""
    return [
        (
            "Songs and files of guests (no account)",
            f"{_duration(settings.GUEST_RETENTION_DAYS * 86400)}, then the files are deleted",
        ),
        (
            "Uploads that were never finished or never mastered",
            f"{_duration(settings.UPLOAD_EXPIRY_SECONDS)}, then the bytes are deleted",
        ),
        ("Songs and masters of an account", "until you delete them; their files go with them"),
        (
            "Sign-in",
            f"until the browser closes, or {_duration(settings.SESSION_COOKIE_AGE)} with "
            "“Remember me”",
        ),
        (
            "Security log (sign-ins, failed attempts, account changes; hashed address only)",
            f"{_duration(settings.SECURITY_LOG_RETENTION_DAYS * 86400)}, then deleted",
        ),
        ("Download links", f"expire after {_duration(settings.FILE_LINK_MAX_AGE)}"),
        (
            "Engineer-order source files (stems, mix, reference)",
            f"{_days(settings.ORDERS_SOURCE_RETENTION_DAYS)} after the order closes, then deleted",
        ),
        (
            "Studio session files",
            "the studio's turnaround after the session (by default "
            f"{_days(settings.BOOKING_FILES_TURNAROUND_DAYS)}), then deleted",
        ),
        (
            "Payments, invoices, bookings and sales (tax records)",
            f"{_days(settings.PAYMENTS_RETENTION_DAYS)}, then anonymised; your name leaves them "
            "when you delete your account",
        ),
        (
            "Notification history",
            f"{_days(settings.NOTIFICATION_RETENTION_DAYS)}, then deleted",
        ),
        (
            "Ear-training audio clips",
            f"{_days(settings.TRAINING_CLIP_RETENTION_DAYS)}, then deleted (your scores stay)",
        ),
        (
            "Plugin download records (hashed address only)",
            f"{_days(settings.SHOP_DOWNLOAD_RETENTION_DAYS)}, then deleted",
        ),
        (
            "Assistant conversations",
            f"{_days(settings.ASSISTANT_RETENTION_DAYS)}, then deleted; you can delete them sooner",
        ),
        (
            "Your data exports",
            f"{_duration(settings.EXPORT_RETENTION_DAYS * 86400)}, then the zip is deleted",
        ),
        (
            "A deleted account",
            "signed out and closed at once; its data and files are deleted after "
            f"{_duration(settings.ACCOUNT_PURGE_DAYS * 86400)}"
            if settings.ACCOUNT_PURGE_DAYS
            else "signed out and closed at once; its data and files are deleted within minutes",
        ),
    ]


def processors() -> list[str]:
    """Services outside this server that receive personal data, as configured."""
    found = []
    if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        found.append(f"Email delivery through {settings.EMAIL_HOST} (your address and the message)")
    storage = settings.STORAGES["default"]
    if storage["BACKEND"] != "django.core.files.storage.FileSystemStorage":
        where = storage.get("OPTIONS", {}).get("endpoint_url") or storage["BACKEND"]
        found.append(f"File storage at {where} (your uploaded audio and its masters)")
    if settings.STRIPE_SECRET_KEY and not settings.PAYMENTS_TEST_SERVER:
        found.append(
            "Card payments through Stripe (your e-mail address and what you pay for; card "
            "details are typed on Stripe's page and never reach this site)"
        )
    if settings.ASSISTANT_PROVIDER != "offline":
        url = settings.ASSISTANT_PROVIDER_URL  # empty for Anthropic: its own API
        where = urlsplit(url).hostname if url else settings.ASSISTANT_PROVIDER
        found.append(
            f"The assistant's language model at {where} (only the words and measurements of "
            "an assistant feature you use, with your assistant switch on; never your audio)"
        )
    return found
