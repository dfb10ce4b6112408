"""Security and abuse (P16-P21)."""

from __future__ import annotations

from masterbus.privacy.promises.model import _RL, _RS, _SE, _SL, _UP, Promise, Status

SECURITY: tuple[Promise, ...] = (
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
            "masterbus.shop.models.DownloadEvent",  # and licence activations: hashes only
            "masterbus.shop.services.downloads.download_events_purge",
            "masterbus.config.settings.base.SHOP_DOWNLOAD_RETENTION_DAYS",
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
            "tests/shop/test_downloads.py::test_only_a_licence_holder_downloads_and_each_"
            "download_is_recorded",
            "tests/shop/test_downloads.py::test_download_events_are_purged_after_the_"
            "retention_window",
            "tests/shop/test_activations.py::test_the_limit_counts_live_machines_and_"
            "release_frees_a_place",
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
        Status.KEPT,
        code=(
            "masterbus.payments.webhook_view.webhook",
            "masterbus.payments.services.webhooks.event_receive",
            "masterbus.payments.provider.event_construct",
        ),
        tests=(
            "tests/payments/test_flow.py::test_p19_a_bad_signature_is_refused_and_changes_nothing",
            "tests/payments/test_flow.py::test_a_duplicate_delivery_applies_once",
            "tests/payments/test_ledger.py::test_a_replay_of_every_event_changes_nothing",
        ),
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
            "masterbus.community.services.moderation.post_hide",
            "masterbus.community.services.moderation.user_ban",
            "masterbus.courses.services.authoring.lesson_update",
        ),
        tests=(
            _RS + "test_each_role_opens_only_what_it_needs",
            _RS + "test_support_cannot_change_or_delete_users",
            _RS + "test_the_admin_role_has_every_permission_and_the_others_do_not_read_the_log",
            _RS + "test_add_change_delete_and_delete_selected_are_audited_with_fields",
            _RS + "test_bulk_actions_are_audited_on_every_registered_admin",
            _RS + "test_the_audit_log_cannot_be_edited_even_by_the_admin_role",
            "tests/community/test_moderation.py::test_a_report_waits_in_the_queue_until_a_"
            "moderator_hides_the_post",
            "tests/community/test_moderation.py::test_a_ban_hides_every_post_and_is_audited",
            "tests/community/test_moderation.py::test_only_moderators_moderate",
            "tests/courses/test_services.py::test_authoring_writes_are_audited",
            "tests/courses/test_views.py::test_only_teachers_author",
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
)
