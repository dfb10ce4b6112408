"""Rights and the assistant (P30-P36)."""

from __future__ import annotations

from masterbus.privacy.promises.model import _PR, _PV, _RB, _RD, _RQ, _RX, Promise, Status

_AS = "tests/assistant/"

RIGHTS: tuple[Promise, ...] = (
    Promise(
        "P30",
        "Rights",
        "A self-serve export of all your personal data as JSON, with your files.",
        Status.KEPT,
        code=(
            "masterbus.rights.personal.personal_rows",
            "masterbus.rights.personal.ACTOR_FIELDS",
            "masterbus.rights.exporter.export_build",
            "masterbus.rights.views.download",
            "masterbus.config.settings.base.EXPORT_RETENTION_DAYS",
        ),
        tests=(
            _RX + "test_export_holds_all_personal_data_and_files_but_no_secrets",
            "tests/training/test_personal.py::test_the_export_holds_exercises_answers_workouts_"
            "and_clips",
            _RX + "test_the_download_link_checks_the_owner_is_signed_and_expires",
            _RX + "test_a_failed_build_leaves_no_file_and_says_so",
            _RX + "test_old_exports_are_purged_with_their_file_and_logged",
            _RX + "test_a_staff_members_export_holds_none_of_the_people_they_served",
            _RX + "test_every_relation_naming_who_acted_is_declared_as_such",
            _RB + "test_export_download_then_delete_and_purge_leaves_nothing",
            "tests/community/test_personal.py::test_the_export_holds_every_kind_of_community_row",
            "tests/courses/test_personal.py::test_the_export_holds_the_learners_course_data",
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
            "tests/training/test_personal.py::test_deleting_the_account_deletes_the_training_"
            "data_and_files",
            _RD + "test_purging_a_staff_account_keeps_the_records_of_the_people_they_served",
            _RB + "test_export_download_then_delete_and_purge_leaves_nothing",
            "tests/studios/test_deletion.py::test_deleting_the_client_scrubs_the_note_and_the_"
            "signed_name",
            "tests/orders/test_deletion_text.py::test_the_clients_text_goes_and_the_order_stays",
            "tests/orders/test_deletion_text.py::test_the_engineers_messages_go_and_the_clients_"
            "text_stays",
            "tests/shop/test_personal.py::test_deleting_the_buyer_keeps_the_sale_and_ends_the_"
            "licence",
            "tests/courses/test_personal.py::test_deleting_the_learner_removes_it_and_keeps_the_"
            "course",
            "tests/courses/test_personal.py::test_a_paid_enrolments_payment_is_kept_without_the_"
            "learner",
            "tests/community/test_personal.py::test_deleting_an_account_takes_its_posts_and_its_"
            "reports",
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
            "masterbus.assistant.features.asking.assistant_check",
            "masterbus.assistant.providers.get_provider",
        ),
        tests=(
            _PR + "test_analytics.py::test_the_users_switch_turns_counting_off_at_once",
            _PR + "test_marketing.py::test_marketing_is_off_until_the_user_opts_in",
            _PR + "test_marketing.py::test_switches_are_shown_and_the_assistant_switch_is_enforced",
            _AS + "test_feedback_flow.py::test_the_switch_off_refuses_before_reading_anything",
            _AS + "test_api.py::test_switch_off_is_403_and_bad_text_is_400_or_422",
            _AS + "test_core.py::test_nothing_is_sent_when_the_users_switch_is_off",
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
        Status.KEPT,
        code=(
            "masterbus.assistant.providers.get_provider",
            "masterbus.assistant.providers.OfflineProvider",
            "masterbus.assistant.providers.numbers_allowed",
            "masterbus.assistant.features.asking.feature_ask",
            "masterbus.assistant.services.conversations.turn_record",
            "masterbus.assistant.services.conversations.conversations_purge",
            "masterbus.assistant.review_views.review_detail",
            "masterbus.config.settings.learning.ASSISTANT_RETENTION_DAYS",
        ),
        tests=(
            _AS + "test_core.py::test_offline_is_the_default_and_returns_the_draft",
            _AS + "test_core.py::test_nothing_is_sent_without_a_feature_being_used",
            _AS + "test_core.py::test_a_model_that_changes_numbers_is_overruled",
            _AS + "test_core.py::test_a_failing_or_slow_model_falls_back_to_the_draft",
            _AS + "test_feedback_flow.py::test_words_become_explained_changes_and_a_remaster_"
            "that_measures_less",
            _AS + "test_feedback_flow.py::test_injected_text_does_not_change_what_is_read_or_done",
            _AS + "test_feedback_flow.py::test_a_model_provider_gets_only_the_asking_users_data",
            _AS + "test_conversations.py::test_the_periodic_run_purges_conversations_past_the_"
            "window",
            _AS + "test_conversations.py::test_staff_review_needs_the_role_and_is_audited",
            _AS + "test_conversations.py::test_conversations_are_in_the_export_and_go_with_the_"
            "account",
        ),
    ),
)
