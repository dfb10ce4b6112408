"""The promises registry (P1-P36 of the product brief): each promise, whether the code keeps it
today, the code that keeps it and the tests that prove it.

The public promises page and the privacy policy are rendered from this list, and
tests/privacy/test_promises.py checks every link (code imports, test node ids exist), so the
registry cannot claim more than the code does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    KEPT = "kept"  # the code keeps it and a test proves it
    PARTIAL = "partial"  # part of it is kept; `missing` says what is not yet
    PLANNED = "planned"  # promised, not built yet


@dataclass(frozen=True)
class Promise:
    id: str
    topic: str
    text: str
    status: Status
    code: tuple[str, ...] = ()  # dotted paths to the modules, objects or settings that keep it
    tests: tuple[str, ...] = ()  # pytest node ids that prove it
    missing: str = ""  # for partial promises: what the code does not do yet


_UP = "tests/uploads/"
_MV = "tests/mastering/test_views.py::"
_MS = "tests/mastering/test_services.py::"
_GU = "tests/accounts/test_guests_and_sign_in.py::"
_PV = "tests/privacy/"
_PR = "tests/profiles/"
_SU = "tests/accounts/test_sign_up.py::"
_TF = "tests/accounts/test_two_factor.py::"
_SO = "tests/accounts/test_social_sign_in.py::"
_SE = "tests/security/"
_RL = "tests/security/test_rate_limits.py::"
_SL = "tests/security/test_security_log.py::"
_RX = "tests/rights/test_export.py::"
_RD = "tests/rights/test_deletion.py::"
_RQ = "tests/rights/test_requests.py::"
_RS = "tests/rights/test_staff.py::"
_RB = "tests/browser/test_rights.py::"

PROMISES: tuple[Promise, ...] = (
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
        "be a child's is deleted.",
        Status.PARTIAL,
        code=(
            "masterbus.accounts.forms.AgeFormMixin",
            "masterbus.accounts.adapters.AccountAdapter.save_user",
            "masterbus.config.settings.base.MINIMUM_AGE",
            "masterbus.rights.deletion.account_delete",
        ),
        tests=(
            _SU + "test_sign_up_keeps_the_age_confirmation_not_the_birth_date",
            _SU + "test_a_child_is_refused_with_a_clear_message_and_nothing_is_kept",
            _SU + "test_after_a_refusal_another_year_in_the_same_browser_is_refused_too",
            _SU + "test_the_minimum_age_is_a_setting",
            _SO + "test_a_child_signing_in_with_discord_gets_no_account",
            "tests/rights/test_staff.py::test_staff_delete_a_childs_account_through_the_same_service",
        ),
        missing="The booking marketplace (18+) does not exist yet.",
    ),
    Promise(
        "P8",
        "Uploads, jobs and files",
        "Audio is recognised by its content, not its name; size and duration are limited; a bad "
        "file gets a clear message and nothing else is lost.",
        Status.KEPT,
        code=("masterbus.uploads.services.upload_finalize", "masterbus.engine.io"),
        tests=(
            _UP + "test_bad_input.py::test_a_text_file_renamed_wav_fails_with_a_clear_message_and_"
            "loses_nothing_else",
            _UP + "test_bad_input.py::test_other_audio_formats_are_recognised_by_content",
            _UP + "test_bad_input.py::test_audio_longer_than_the_limit_fails_with_the_limit",
            "tests/security/test_abuse_uploads.py::test_a_flac_decoding_to_hours_of_silence_is_"
            "refused_from_its_header",
            "tests/security/test_abuse_uploads.py::test_long_silence_at_384_khz_is_refused_with_a_"
            "plain_reason",
            "tests/security/test_abuse_uploads.py::test_hostile_headers_get_a_plain_answer_in_"
            "bounded_time",
            _UP + "test_protocol.py::test_over_the_size_limit_is_413_with_a_clear_message",
            "tests/engine/test_bad_input.py::test_bad_input_through_the_library",
        ),
    ),
    Promise(
        "P9",
        "Uploads, jobs and files",
        "Uploads are resumable, also after a page reload (with functional storage allowed, the "
        "browser keeps an upload record).",
        Status.KEPT,
        code=(
            "masterbus.uploads.views.UploadDetailView",
            "masterbus.uploads.services.upload_append",
        ),
        tests=(
            "tests/browser/test_resume_upload.py::test_an_interrupted_upload_resumes_after_a_"
            "reload_and_is_byte_identical",
            _UP + "test_protocol.py::test_resume_after_partial_chunk_continues_at_server_offset",
        ),
    ),
    Promise(
        "P10",
        "Uploads, jobs and files",
        "Guests need no account: a guest cookie ties their songs to that browser only; they move "
        "to the account on sign-in, and a download asked for while signed out completes after.",
        Status.KEPT,
        code=("masterbus.accounts.guests", "masterbus.accounts.services.guest_claim"),
        tests=(
            _GU + "test_guest_cookie_is_created_only_when_something_is_owned",
            _GU + "test_a_forged_cookie_value_is_ignored",
            _GU + "test_sign_up_with_email_verification_moves_the_guests_songs",
            _GU + "test_download_asked_while_signed_out_completes_after_sign_in",
            _GU + "test_the_guest_cookie_is_retired_when_its_songs_move_to_the_account",
            _GU + "test_a_guest_who_signs_up_loses_the_old_cookie_too",
        ),
    ),
    Promise(
        "P11",
        "Uploads, jobs and files",
        "Each song keeps its name, type, size, status, previews and delivery files; the status is "
        "live.",
        Status.KEPT,
        code=("masterbus.mastering.models.Job", "masterbus.mastering.views.job_status"),
        tests=(
            _MV + "test_master_button_creates_song_and_shows_live_status",
            _MV + "test_result_page_has_player_pictures_numbers_feedback_and_downloads",
        ),
    ),
    Promise(
        "P12",
        "Uploads, jobs and files",
        "Guest uploads and songs expire after a configurable window (7 days by default); the files "
        "are deleted, not hidden.",
        Status.KEPT,
        code=(
            "masterbus.mastering.services.guest_songs_purge",
            "masterbus.config.settings.base.GUEST_RETENTION_DAYS",
        ),
        tests=(
            _MS + "test_guest_purge_deletes_old_guest_songs_and_uploads_only",
            "tests/mastering/test_albums.py::"
            "test_guest_albums_move_on_sign_in_and_expired_ones_are_purged",
        ),
    ),
    Promise(
        "P13",
        "Uploads, jobs and files",
        "Your masters stay until you delete them; deleting a song deletes its files.",
        Status.KEPT,
        code=(
            "masterbus.mastering.services.song_delete",
            "masterbus.mastering.services.job_delete",
            "masterbus.mastering.services.album_delete",
        ),
        tests=(
            _MS + "test_deleting_a_song_deletes_every_file",
            _MS + "test_deleting_a_song_while_it_is_mastered_leaves_no_files",
            _MV + "test_delete_removes_song_and_returns_to_library",
            "tests/mastering/test_versions.py::"
            "test_one_version_is_deleted_with_its_files_and_the_others_stay",
            "tests/mastering/test_albums.py::"
            "test_an_album_is_mastered_again_and_deleted_with_every_file",
        ),
    ),
    Promise(
        "P14",
        "Uploads, jobs and files",
        "Your audio is never sold, never used to train models, and shared only with the "
        "processors the privacy page lists.",
        Status.PLANNED,
    ),
    Promise(
        "P15",
        "Uploads, jobs and files",
        "Engineer-order and studio session files are deleted on a rolling basis after delivery.",
        Status.PLANNED,
    ),
    Promise(
        "P16",
        "Security and abuse",
        "Rate limits on sign-in, uploads and the API are keyed by a keyed hash of the IP address; "
        "raw IP addresses are never stored.",
        Status.KEPT,
        code=(
            "masterbus.security.clientip.client_ip_hash",
            "masterbus.security.ratelimit.request_limits",
            "masterbus.accounts.adapters.AccountAdapter.get_client_ip",
            "masterbus.config.settings.base.ACCOUNT_RATE_LIMITS",
        ),
        tests=(
            _RL + "test_sign_in_is_limited_per_hashed_address_with_a_friendly_page",
            "tests/accounts/test_admin_sign_in.py::"
            "test_wrong_passwords_at_the_admin_login_are_never_tried_and_sign_in_is_limited",
            _RL + "test_web_uploads_are_limited_per_network_with_a_plain_message",
            _RL + "test_the_api_is_limited_per_token_with_a_json_error",
            _RL + "test_the_api_is_limited_per_network_tokens_or_not",
            _RL + "test_no_raw_address_is_ever_stored_in_the_cache",
            _RL + "test_no_raw_address_is_stored_in_any_table",
            _SE + "test_client_ip.py::test_the_hash_is_keyed_and_never_the_plain_digest",
        ),
    ),
    Promise(
        "P17",
        "Security and abuse",
        "Security logs are kept 12 months, then purged.",
        Status.KEPT,
        code=(
            "masterbus.security.models.SecurityEvent",
            "masterbus.security.services.security_log_purge",
            "masterbus.config.settings.base.SECURITY_LOG_RETENTION_DAYS",
        ),
        tests=(
            _SL + "test_the_purge_deletes_entries_past_the_window_and_only_those",
            _SL + "test_a_failed_sign_in_is_logged_on_the_account_it_aimed_at",
            _SL + "test_the_page_shows_my_events_and_not_anyone_elses",
            "tests/api/test_token_lifecycle.py::test_making_revoking_and_a_new_network_are_logged",
            _SL + "test_the_privacy_page_states_the_window_in_force",
        ),
    ),
    Promise(
        "P18",
        "Security and abuse",
        "Every piece of your data is scoped to you: no page, file link or upload call returns "
        "another person's data; a test walks every URL of the site to prove it.",
        Status.KEPT,
        code=(
            "masterbus.accounts.owner.Owner",
            "masterbus.mastering.selectors",
            "masterbus.core.access",
            "masterbus.core.redact.redact",
            "masterbus.config.access_log.RedactingLogger",
        ),
        tests=(
            "tests/platform/test_url_authorization.py::test_every_url_keeps_its_access_declaration",
            "tests/platform/test_ownership.py::test_nobody_reaches_anything_of_anyone_else",
            "tests/platform/test_ownership.py::test_library_lists_only_the_visitors_own_songs",
            _UP + "test_ownership.py::test_nobody_else_can_see_write_or_delete_an_upload",
            "tests/platform/test_log_redaction.py::test_every_url_that_carries_a_credential_is_found",
            "tests/platform/test_log_redaction.py::test_djangos_request_log_keeps_no_token",
            "tests/platform/test_log_redaction.py::test_the_launchers_web_server_writes_no_token_"
            "to_its_access_log",
        ),
    ),
    Promise(
        "P19",
        "Security and abuse",
        "Payment webhooks are accepted only with a valid signature.",
        Status.PLANNED,
    ),
    Promise(
        "P20",
        "Security and abuse",
        "Staff have least privilege, and every administrative action is logged.",
        Status.KEPT,
        code=(
            "masterbus.rights.roles.ROLE_PERMISSIONS",
            "masterbus.rights.audit.AuditedAdminSite",
            "masterbus.rights.audit.AuditedModelAdmin",
            "masterbus.rights.admin.AuditEventAdmin",
        ),
        tests=(
            _RS + "test_each_role_opens_only_what_it_needs",
            _RS + "test_support_cannot_change_or_delete_users",
            _RS + "test_the_admin_role_has_every_permission_and_the_others_do_not_read_the_log",
            _RS + "test_add_change_delete_and_delete_selected_are_audited_with_fields",
            _RS + "test_bulk_actions_are_audited_on_every_registered_admin",
            _RS + "test_the_audit_log_cannot_be_edited_even_by_the_admin_role",
        ),
    ),
    Promise(
        "P21",
        "Security and abuse",
        "Production enforces HTTPS: secure cookies, HSTS, no debug pages.",
        Status.KEPT,
        code=(
            "masterbus.config.settings.production",
            "masterbus.security.deploy.check_secret_key",
            "masterbus.security.middleware.ContentSecurityPolicyMiddleware",
        ),
        tests=(
            _SE + "test_production.py::test_the_deploy_check_finds_nothing_to_warn_about",
            _SE + "test_production.py::test_production_refuses_to_start_with_a_weak_secret",
            _SE + "test_production.py::"
            "test_production_redirects_to_https_sends_hsts_and_secures_cookies",
            _SE + "test_production.py::test_every_page_sends_the_security_headers",
            _SE + "test_production.py::test_forms_may_post_only_to_this_site",
            _SE + "test_production.py::"
            "test_a_configured_sign_in_provider_may_receive_the_sign_in_redirect",
            "tests/browser/test_security_in_browser.py::"
            "test_the_pages_work_under_the_content_security_policy",
        ),
    ),
    Promise(
        "P22",
        "Payments",
        "Card data never touches our servers; we keep only ids, amount, "
        "status, card brand and last four digits.",
        Status.PLANNED,
    ),
    Promise(
        "P23",
        "Payments",
        "Receipts are sent; payment records are kept 7 years, then anonymised.",
        Status.PLANNED,
    ),
    Promise(
        "P24",
        "Communication",
        "Transactional email: address verification, password reset, updates on your songs.",
        Status.PARTIAL,
        code=("masterbus.mastering.services.job_notify",),
        tests=(
            _GU + "test_sign_up_with_email_verification_moves_the_guests_songs",
            _MS + "test_ready_email_is_sent_once_and_can_be_switched_off",
        ),
        missing="Order, delivery and booking emails come with those features.",
    ),
    Promise(
        "P25",
        "Communication",
        "Marketing email only after opt-in, with one-click unsubscribe.",
        Status.KEPT,
        code=(
            "masterbus.profiles.services.marketing_send",
            "masterbus.profiles.selectors.marketing_recipients",
            "masterbus.profiles.unsubscribe.unsubscribe",
        ),
        tests=(
            _PR + "test_marketing.py::test_marketing_is_off_until_the_user_opts_in",
            _PR + "test_marketing.py::test_one_click_unsubscribe_works_signed_out_without_csrf",
            _PR + "test_marketing.py::test_a_forged_token_unsubscribes_nobody",
        ),
    ),
    Promise(
        "P26",
        "Communication",
        "Messages, notification history and support tickets.",
        Status.PLANNED,
    ),
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
    Promise(
        "P30",
        "Rights",
        "A self-serve export of all your personal data as JSON, with your files.",
        Status.KEPT,
        code=(
            "masterbus.rights.personal.personal_rows",
            "masterbus.rights.personal.ACTOR_FIELDS",
            "masterbus.rights.exports.export_build",
            "masterbus.rights.views.download",
            "masterbus.config.settings.base.EXPORT_RETENTION_DAYS",
        ),
        tests=(
            _RX + "test_export_holds_all_personal_data_and_files_but_no_secrets",
            _RX + "test_the_download_link_checks_the_owner_is_signed_and_expires",
            _RX + "test_a_failed_build_leaves_no_file_and_says_so",
            _RX + "test_old_exports_are_purged_with_their_file_and_logged",
            _RX + "test_a_staff_members_export_holds_none_of_the_people_they_served",
            _RX + "test_every_relation_naming_who_acted_is_declared_as_such",
            _RB + "test_export_download_then_delete_and_purge_leaves_nothing",
        ),
    ),
    Promise(
        "P31",
        "Rights",
        "Everything in your profile is editable in settings: name, picture, platform links, "
        "theme, email choices (your address through the email settings).",
        Status.KEPT,
        code=(
            "masterbus.profiles.views.account_settings",
            "masterbus.profiles.services.profile_update",
            "masterbus.profiles.avatars.avatar_from_upload",
            "masterbus.profiles.handles.PLATFORMS",
        ),
        tests=(
            _PR + "test_profile.py::test_name_and_handles_are_saved_as_canonical_links",
            _PR + "test_profile.py::test_an_avatar_is_re_encoded_square_without_metadata",
            _PR + "test_profile.py::test_a_bad_file_gets_a_clear_message_and_keeps_the_old_avatar",
            _PR + "test_profile.py::test_a_small_file_declaring_a_huge_picture_is_refused_"
            "before_decoding",
            _PR + "test_profile.py::test_pillows_own_bomb_guard_is_a_clear_message_too",
            _PR + "test_profile.py::test_only_the_owner_sees_an_avatar_and_it_can_be_removed",
            _PR + "test_theme.py::test_a_signed_in_user_keeps_the_theme_on_the_account",
            "tests/browser/test_theme.py::test_with_functional_consent_the_dark_theme_stays",
        ),
    ),
    Promise(
        "P32",
        "Rights",
        "Self-serve account deletion: signed out everywhere and closed at once; personal data "
        "and files deleted within 30 days, records the law requires kept without your name.",
        Status.KEPT,
        code=(
            "masterbus.rights.deletion.account_delete",
            "masterbus.rights.deletion.account_purge_due",
            "masterbus.rights.deletion.ANONYMISED",
            "masterbus.config.settings.base.ACCOUNT_PURGE_DAYS",
        ),
        tests=(
            _RD + "test_deleting_needs_the_password_and_signs_out_every_session_at_once",
            _RD + "test_the_purge_waits_for_the_window_then_leaves_nothing_of_the_user",
            _RD + "test_the_periodic_run_purges_at_once_with_a_window_of_zero",
            _RD + "test_purging_a_staff_account_keeps_the_records_of_the_people_they_served",
            _RB + "test_export_download_then_delete_and_purge_leaves_nothing",
        ),
    ),
    Promise(
        "P33",
        "Rights",
        "You can switch off optional processing (analytics, marketing, assistant) at any time.",
        Status.KEPT,
        code=(
            "masterbus.profiles.views.switches",
            "masterbus.profiles.selectors.analytics_allowed",
            "masterbus.profiles.selectors.marketing_recipients",
            "masterbus.profiles.selectors.assistant_allowed",
        ),
        tests=(
            _PR + "test_analytics.py::test_the_users_switch_turns_counting_off_at_once",
            _PR + "test_marketing.py::test_marketing_is_off_until_the_user_opts_in",
            _PR + "test_marketing.py::test_switches_are_shown_and_the_assistant_switch_is_enforced",
        ),
    ),
    Promise(
        "P34",
        "Rights",
        "Rights requests that need a person are tracked and answered within 30 days.",
        Status.KEPT,
        code=(
            "masterbus.rights.rights_requests.rights_request_create",
            "masterbus.rights.rights_requests.rights_request_remind",
            "masterbus.rights.admin.RightsRequestAdmin",
            "masterbus.config.settings.base.RIGHTS_REQUEST_DUE_DAYS",
        ),
        tests=(
            _RQ + "test_a_signed_out_visitor_files_a_request_and_gets_an_acknowledgement",
            _RQ + "test_the_staff_queue_shows_due_dates_flags_overdue_and_records_the_handler",
            _RQ + "test_staff_are_reminded_daily_of_requests_due_within_a_week",
        ),
    ),
    Promise(
        "P35",
        "Rights",
        "Policies are versioned with effective dates; material changes are announced before they "
        "take effect.",
        Status.KEPT,
        code=(
            "masterbus.privacy.policy.POLICY_VERSION",
            "masterbus.privacy.policy.POLICY_CHANGES",
            "masterbus.profiles.selectors.policy_change_notice",
            "masterbus.profiles.services.policy_change_notify",
        ),
        tests=(
            _PV + "test_pages.py::test_policy_pages_show_version_date_and_live_settings",
            _PR + "test_policy_notice.py::test_the_notice_shows_from_announcement_until_days_after",
            _PR + "test_policy_notice.py::test_a_user_closes_the_notice_on_the_account",
            _PR + "test_policy_notice.py::test_every_active_user_gets_one_email_before_the_change",
        ),
    ),
    Promise(
        "P36",
        "Assistant",
        "Content goes to an external model only when you use an assistant feature; never used for "
        "training; works offline.",
        Status.PLANNED,
    ),
)


def promises_by_status() -> dict[Status, list[Promise]]:
    """Promises grouped by status, in registry order (for the public page)."""
    grouped: dict[Status, list[Promise]] = {status: [] for status in Status}
    for promise in PROMISES:
        grouped[promise.status].append(promise)
    return grouped
