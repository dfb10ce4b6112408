"""Accounts and sign-in (P1-P7)."""

from __future__ import annotations

from masterbus.privacy.promises.model import _PV, _SE, _SO, _SU, _TF, _UP, Promise, Status

ACCOUNTS: tuple[Promise, ...] = (
    Promise(
        "P1",
        "Accounts and sign-in",
        "Passwords are stored only as a salted slow hash (Argon2); a forgotten password is "
        "reset through a one-time link sent to your verified address.",
        Status.KEPT,
        code=(
            "masterbus.config.settings.base.PASSWORD_HASHERS",
            "allauth.account.views.PasswordResetFromKeyView",
        ),
        tests=(
            _PV + "test_promises.py::test_passwords_are_salted_argon2_hashes",
            _SU + "test_password_reset_end_to_end",
            _SU + "test_a_password_reset_link_works_once",
        ),
    ),
    Promise(
        "P2",
        "Accounts and sign-in",
        "Two-factor sign-in with an authenticator app (TOTP) for every account. The secret is "
        "stored encrypted (Fernet, with MFA_ENCRYPTION_KEY or a key derived from SECRET_KEY). "
        "Recovery codes are random, shown once when they are made, and stored only as hashes "
        "(HMAC-SHA256 keyed the same way, a random salt per code): nothing in the database can "
        "rebuild them. Each works once, and a new set replaces the old one. After 5 wrong codes, "
        "no code is accepted for 5 minutes.",
        Status.KEPT,
        code=(
            "masterbus.accounts.adapters.MFAAdapter",
            "masterbus.accounts.recovery_codes.HashedRecoveryCodes",
            "masterbus.accounts.services.recovery_codes_rehash_legacy",
            "masterbus.config.settings.base.MFA_RECOVERY_CODES_SHOW_ONCE",
            "allauth.mfa.base.internal.flows.check_rate_limit",
        ),
        tests=(
            _TF + "test_the_secret_and_the_recovery_codes_are_not_in_the_database",
            _TF + "test_another_key_cannot_decrypt_the_secret",
            _TF + "test_sign_in_needs_the_code_after_the_password",
            "tests/accounts/test_admin_sign_in.py::test_the_password_alone_at_the_admin_login_signs_nobody_in",
            "tests/accounts/test_admin_sign_in.py::test_staff_reach_the_admin_after_password_and_code",
            _TF + "test_after_five_wrong_codes_even_the_right_code_is_refused",
            _TF + "test_each_recovery_code_signs_in_once",
            _TF + "test_a_wrong_recovery_code_counts_against_the_limit",
            _TF + "test_recovery_codes_work_only_with_the_key_they_were_hashed_with",
            _TF + "test_recovery_codes_are_shown_once",
            _TF + "test_a_new_set_replaces_the_old_one",
            "tests/accounts/test_recovery_codes.py::test_allauth_uses_the_hashed_wrapper_everywhere",
            "tests/accounts/test_recovery_codes.py::test_seeds_left_by_allauth_become_hashes",
            "tests/browser/test_two_factor.py::test_enrol_totp_then_sign_in_with_a_computed_code",
        ),
    ),
    Promise(
        "P3",
        "Accounts and sign-in",
        "Google and Discord sign-in are optional (there only when the site configures them) and "
        "keep only the provider's account id and the fields you allowed that we use: from Google "
        "your address and whether Google verified it; from Discord your user name, display name, "
        "address and whether it is verified. The provider's tokens are never stored.",
        Status.KEPT,
        code=(
            "masterbus.accounts.adapters.SocialAccountAdapter",
            "masterbus.accounts.adapters.SOCIAL_FIELDS",
            "masterbus.config.settings.base.SOCIALACCOUNT_STORE_TOKENS",
            "masterbus.accounts.urls",
        ),
        tests=(
            _SO + "test_discord_sign_in_creates_an_account_keeping_only_allowed_fields",
            _SO + "test_google_sign_in_reads_the_id_token_and_keeps_only_allowed_fields",
            _SO + "test_a_forged_state_is_refused_and_nothing_is_created",
            _SO + "test_unconfigured_providers_are_invisible",
        ),
    ),
    Promise(
        "P4",
        "Accounts and sign-in",
        "You can see your sign-in sessions (time, browser, hashed IP) and end the others.",
        Status.KEPT,
        code=(
            "masterbus.security.models.SignInSession",
            "masterbus.security.services.sign_in_sessions_end_others",
            "masterbus.security.middleware.SignInSessionMiddleware",
        ),
        tests=(
            _SE + "test_sessions.py::test_a_sign_in_records_time_browser_and_hashed_address_only",
            _SE + "test_sessions.py::test_the_page_lists_only_my_sessions_and_marks_this_one",
            _SE + "test_sessions.py::test_signing_out_the_others_ends_them_and_keeps_this_one",
            "tests/api/test_token_lifecycle.py::test_signing_out_the_other_sessions_revokes_every_token",
            "tests/browser/test_security_in_browser.py::test_one_browser_signs_the_other_out",
        ),
    ),
    Promise(
        "P5",
        "Accounts and sign-in",
        "The sign-in cookie lasts 7 days at most (with “Remember me”; otherwise until the browser "
        "closes); every state-changing request of the site is CSRF-protected.",
        Status.KEPT,
        code=(
            "masterbus.config.settings.base.SESSION_COOKIE_AGE",
            "django.middleware.csrf.CsrfViewMiddleware",
        ),
        tests=(
            _PV + "test_csrf.py::test_every_url_refuses_a_post_without_a_csrf_token",
            _UP + "test_protocol.py::test_csrf_is_enforced_on_tus_requests",
            _PV + "test_cookies.py::test_the_sign_in_cookie_lasts_seven_days",
        ),
    ),
    Promise(
        "P6",
        "Accounts and sign-in",
        "A captcha guards sign-up and contact forms. It is pluggable; the offline default asks "
        "you nothing and needs no third party: it refuses a form sent without the fresh one-time "
        "token of its page, sent back faster than a person can, or with a hidden field filled in.",
        Status.KEPT,
        code=(
            "masterbus.accounts.captcha.CaptchaFormMixin",
            "masterbus.accounts.captcha.SignedTimingCaptcha",
            "masterbus.core.spent_tokens.token_spend",
            "masterbus.accounts.forms.SignupForm",
        ),
        tests=(
            _SU + "test_a_bot_posting_without_the_captcha_is_refused",
            _SU + "test_a_bot_filling_the_honeypot_is_refused",
            _SU + "test_a_captcha_token_works_once",
            "tests/accounts/test_captcha.py::test_a_token_used_in_one_process_is_refused_in_"
            "another_and_the_other_way_round",
            "tests/accounts/test_captcha.py::test_two_posts_of_the_same_token_at_once_pass_only_once",
            _SU + "test_a_form_sent_back_faster_than_a_person_can_is_refused_a_person_passes",
            _SU + "test_any_form_can_use_the_captcha",
        ),
    ),
    Promise(
        "P7",
        "Accounts and sign-in",
        "Not for children under 13 (16 where local law requires; 18 for the booking "
        "marketplace). Sign-up asks your date of birth, checks it and forgets it: the account "
        "keeps only when you confirmed your age and which minimum applied; after a refusal the "
        "same browser cannot try another date. An account found to "
        "be a child's is deleted. Booking a studio asks the same way for 18 or older and keeps "
        "only that confirmation.",
        Status.KEPT,
        code=(
            "masterbus.accounts.forms.AgeFormMixin",
            "masterbus.accounts.adapters.AccountAdapter.save_user",
            "masterbus.config.settings.base.MINIMUM_AGE",
            "masterbus.rights.deletion.account_delete",
            "masterbus.studios.services.age.adult_confirm",
            "masterbus.studios.services.bookings.booking_create",
            "masterbus.config.settings.base.BOOKING_MINIMUM_AGE",
        ),
        tests=(
            _SU + "test_sign_up_keeps_the_age_confirmation_not_the_birth_date",
            _SU + "test_a_child_is_refused_with_a_clear_message_and_nothing_is_kept",
            _SU + "test_after_a_refusal_another_year_in_the_same_browser_is_refused_too",
            _SU + "test_the_minimum_age_is_a_setting",
            _SO + "test_a_child_signing_in_with_discord_gets_no_account",
            "tests/rights/test_staff.py::test_staff_delete_a_childs_account_through_the_same_service",
            "tests/studios/test_bookings.py::test_booking_needs_the_18_plus_confirmation",
            "tests/studios/test_views.py::test_booking_asks_the_18_plus_question_first",
        ),
    ),
)
