"""The cookie and browser-storage registry (P27): every cookie and storage key the code sets,
with category, purpose and lifetime taken from the live settings.

tests/privacy/test_cookies.py scans the code (set_cookie calls, *_COOKIE_NAME settings, the
messages cookie, storage writes in our JavaScript and the vendored libraries) and fails on
anything not listed here; the cookie page is rendered from this list.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings


class Category(StrEnum):
    ESSENTIAL = "essential"  # the site cannot work without it; no consent needed
    FUNCTIONAL = "functional"  # remembers a convenience for you; only with consent
    ANALYTICS = "analytics"  # counts use of the site, first-party only; only with consent


CATEGORY_PURPOSE = {
    Category.ESSENTIAL: "Needed for sign-in, security, uploads and remembering your choices "
    "here. Always on.",
    Category.FUNCTIONAL: "Conveniences: resuming an upload after a reload, your theme.",
    Category.ANALYTICS: "Counting visits on our own server, without third parties. Off when "
    "your browser sends Do-Not-Track or Global Privacy Control.",
}
OPTIONAL_CATEGORIES = (Category.FUNCTIONAL, Category.ANALYTICS)

TAB_LIFETIME = "until the tab is closed"


@dataclass(frozen=True)
class StorageItem:
    name: str  # cookie name or storage key; with `prefix`, every key that starts with it
    where: str  # "cookie", "localStorage" or "sessionStorage"
    category: Category
    purpose: str
    lifetime: str
    set_by: tuple[str, ...]  # dotted paths, or static files (app-relative) for browser storage
    prefix: bool = False


# Keys that libraries write and remove at once to test whether storage works: never kept.
PROBE_KEYS = ("tusSupport", "htmx:sessionStorageTest")


def _days(seconds: int) -> str:
    days = seconds / 86400
    return f"{days:g} day{'s' if days != 1 else ''}"


def storage_items() -> tuple[StorageItem, ...]:
    """Every cookie and storage key, with lifetimes read from the settings in force."""
    return (
        StorageItem(
            settings.SESSION_COOKIE_NAME, "cookie", Category.ESSENTIAL,
            "Keeps you signed in (it holds only a random session id).",
            f"until the browser closes, or {_days(settings.SESSION_COOKIE_AGE)} with “Remember me”",
            ("django.contrib.sessions.middleware.SessionMiddleware",),
        ),
        StorageItem(
            settings.CSRF_COOKIE_NAME, "cookie", Category.ESSENTIAL,
            "Protects your forms and uploads against cross-site request forgery.",
            _days(settings.CSRF_COOKIE_AGE),
            ("django.middleware.csrf.CsrfViewMiddleware",),
        ),
        StorageItem(
            "messages", "cookie", Category.ESSENTIAL,
            "Carries a one-time notice (such as “Your settings are saved.”) to the next page.",
            "until it is shown, at most until the browser closes",
            ("django.contrib.messages.storage.cookie.CookieStorage",),
        ),
        StorageItem(
            settings.GUEST_COOKIE_NAME, "cookie", Category.ESSENTIAL,
            "Ties the songs you master without an account to this browser (set with your first "
            "upload).",
            _days(settings.GUEST_RETENTION_DAYS * 86400),
            ("masterbus.accounts.guests.write_guest_cookie",),
        ),
        StorageItem(
            settings.CONSENT_COOKIE_NAME, "cookie", Category.ESSENTIAL,
            "Remembers your cookie choices, so we do not ask again.",
            _days(settings.CONSENT_COOKIE_AGE_DAYS * 86400),
            ("masterbus.privacy.consent.write_consent_cookie",),
        ),
        StorageItem(
            settings.NOTICE_COOKIE_NAME, "cookie", Category.ESSENTIAL,
            "Remembers that you closed the notice of a policy change (set when you close it).",
            f"until the notice ends, {settings.POLICY_NOTICE_DAYS_AFTER} days after the change",
            ("masterbus.profiles.cookies.write_notice_cookie",),
        ),
        StorageItem(
            settings.THEME_COOKIE_NAME, "cookie", Category.FUNCTIONAL,
            "Remembers the theme you chose (light, dark or your device's).",
            _days(settings.THEME_COOKIE_AGE_DAYS * 86400),
            ("masterbus.profiles.cookies.write_theme_cookie",),
        ),
        StorageItem(
            "htmx-current-path-for-history", "sessionStorage", Category.ESSENTIAL,
            "The page library (htmx) notes the current address of the tab for the back button.",
            TAB_LIFETIME,
            ("vendor/htmx/htmx.min.js",),
        ),
        StorageItem(
            "htmx-history-cache", "sessionStorage", Category.ESSENTIAL,
            "Copies of recently shown pages of this tab, for the back button.",
            TAB_LIFETIME,
            ("vendor/htmx/htmx.min.js",),
        ),
        StorageItem(
            "tus::", "localStorage", Category.FUNCTIONAL,
            "Upload history: lets an interrupted upload continue after a reload.",
            "7 days, and removed as soon as the upload finishes",
            ("uploads/uploader.js", "vendor/tus-js-client/tus.min.js"),
            prefix=True,
        ),
    )  # fmt: skip


def items_by_category() -> dict[Category, list[StorageItem]]:
    """Registry entries grouped by category, every category present (for the cookie page)."""
    grouped: dict[Category, list[StorageItem]] = {category: [] for category in Category}
    for item in storage_items():
        grouped[item.category].append(item)
    return grouped
