"""Cookies and device storage (P27-P29)."""

from __future__ import annotations

from masterbus.privacy.promises.model import _PR, _PV, Promise, Status

COOKIES: tuple[Promise, ...] = (
    Promise(
        "P27",
        "Cookies and device storage",
        "One registry lists every cookie and browser-storage key with its category, purpose and "
        "lifetime; no third-party tracking or advertising cookies.",
        Status.KEPT,
        code=("masterbus.privacy.cookies.storage_items",),
        tests=(
            _PV + "test_cookies.py::test_every_cookie_and_storage_key_in_the_code_is_registered",
            _PV + "test_cookies.py::test_lifetimes_come_from_the_live_settings",
        ),
    ),
    Promise(
        "P28",
        "Cookies and device storage",
        "Accept all, reject all or choose per category; nothing non-essential before consent; "
        "withdraw any time; Do-Not-Track and Global Privacy Control turn analytics off.",
        Status.KEPT,
        code=("masterbus.privacy.consent", "masterbus.privacy.middleware.ConsentMiddleware"),
        tests=(
            _PV + "test_consent.py::test_nothing_non_essential_is_set_before_consent",
            _PV + "test_consent.py::test_choices_are_recorded_and_can_be_withdrawn",
            _PV + "test_consent.py::test_do_not_track_and_gpc_turn_analytics_off",
            _PR + "test_analytics.py::test_nothing_is_counted_without_consent_or_with_dnt_or_gpc",
            _PV + "test_consent_in_browser.py::test_reject_all_leaves_no_functional_storage_"
            "while_a_guest_uploads",
        ),
    ),
    Promise(
        "P29",
        "Cookies and device storage",
        "The site works without non-essential cookies; without essential ones it says what "
        "cannot work.",
        Status.KEPT,
        code=("masterbus.privacy.consent", "masterbus.privacy.views.csrf_failure"),
        tests=(
            _PV + "test_consent_in_browser.py::test_reject_all_leaves_no_functional_storage_"
            "while_a_guest_uploads",
            _PV + "test_consent.py::test_without_essential_cookies_the_site_says_what_cannot_work",
        ),
    ),
)
