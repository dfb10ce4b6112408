"""Payments and communication (P22-P26)."""

from __future__ import annotations

from masterbus.privacy.promises.model import _GU, _MS, _PR, Promise, Status

_MG = "tests/messaging/"

COMMERCE: tuple[Promise, ...] = (
    Promise(
        "P22",
        "Payments",
        "Card data never touches our servers; we keep only ids, amount, "
        "status, card brand and last four digits.",
        Status.KEPT,
        code=(
            "masterbus.payments.services.checkout.checkout_start",
            "masterbus.payments.provider.card_of",
            "masterbus.payments.models.Payment",
            "masterbus.payments.models.PaymentSetup",
            "masterbus.payments.services.setup.setup_sync",
        ),
        tests=(
            "tests/payments/test_flow.py::test_a_paid_checkout_records_ids_card_and_split",
            "tests/payments/test_flow.py::test_p22_no_card_number_is_stored",
            "tests/payments/test_saved_cards.py::test_a_saved_card_is_charged_off_session_and_paid_"
            "by_the_webhook",
        ),
    ),
    Promise(
        "P23",
        "Payments",
        "Receipts are sent; payment records are kept 7 years, then anonymised.",
        Status.KEPT,
        code=(
            "masterbus.payments.services.invoices.receipt_send",
            "masterbus.payments.services.invoices.invoice_number_next",
            "masterbus.payments.services.retention.payments_retention_anonymise",
            "masterbus.rights.deletion.ANONYMISED",
            "masterbus.studios.services.retention.bookings_retention_anonymise",
        ),
        tests=(
            "tests/payments/test_flow.py::test_a_paid_checkout_records_ids_card_and_split",
            "tests/payments/test_invoices.py::test_concurrent_invoices_get_distinct_consecutive_numbers",
            "tests/payments/test_records.py::test_payment_records_are_anonymised_after_seven_years",
            "tests/payments/test_records.py::test_account_deletion_anonymises_payments_and_keeps_them",
            "tests/studios/test_payment.py::test_the_deposit_is_paid_through_the_hosted_page_and_"
            "confirms_the_booking",
            "tests/studios/test_retention.py::test_bookings_are_anonymised_after_the_retention_period",
            "tests/studios/test_deletion.py::test_deleting_the_client_scrubs_the_note_and_the_"
            "signed_name",
        ),
    ),
    Promise(
        "P24",
        "Communication",
        "Transactional email: address verification, password reset, updates on your songs, "
        "and for orders, deliveries, bookings, reminders, messages and support answers an e-mail "
        "with every notification; optional kinds can be switched off in the settings.",
        Status.KEPT,
        code=(
            "masterbus.mastering.services.notify.job_notify",
            "masterbus.messaging.services.notifications.notify",
            "masterbus.messaging.services.notifications.email_wanted",
            "masterbus.messaging.kinds",
            "masterbus.orders.services.events.event_record",
        ),
        tests=(
            _GU + "test_sign_up_with_email_verification_moves_the_guests_songs",
            _MS + "test_ready_email_is_sent_once_and_can_be_switched_off",
            "tests/orders/test_emails.py::test_every_event_mails_its_recipients_from_its_templates",
            "tests/orders/test_emails.py::test_delivery_mail_follows_the_preference_and_stays_in_the_"
            "history",
            _MG + "test_services.py::test_switched_off_kind_is_kept_in_history_but_not_emailed",
            _MG + "test_services.py::test_notify_is_idempotent_by_key",
            _MG + "test_views.py::test_preferences_switch_optional_kinds_and_keep_required_ones",
            "tests/studios/test_reminders.py::test_each_reminder_is_sent_once_to_client_and_owner",
            "tests/studios/test_emails.py::test_the_confirmation_is_emailed_to_client_and_owner_once",
            "tests/studios/test_emails.py::test_a_request_to_book_is_emailed_to_the_owner",
            _MG + "test_services.py::test_a_support_answer_is_emailed_even_with_optional_kinds_off",
        ),
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
        Status.KEPT,
        code=(
            "masterbus.messaging.services.threads.message_post",
            "masterbus.messaging.selectors.thread_get",
            "masterbus.messaging.views.notifications",
            "masterbus.messaging.services.support.ticket_open",
            "masterbus.messaging.support_views.staff_ticket",
            "masterbus.messaging.services.notifications.notification_purge_expired",
            "masterbus.assistant.features.support_handover.support_handover",
        ),
        tests=(
            _MG + "test_services.py::test_post_notifies_the_others_once_with_a_link_to_the_subject",
            _MG + "test_services.py::test_posting_is_rate_limited_per_author",
            _MG + "test_views.py::test_a_non_participant_gets_404_and_posts_nothing",
            _MG + "test_views.py::test_notification_history_header_count_open_and_mark_all",
            _MG + "test_views.py::test_a_user_opens_a_ticket_and_support_answers_audited",
            _MG + "test_api.py::test_a_non_participant_gets_404_everywhere_and_posts_nothing",
            _MG + "test_personal_data.py::"
            "test_the_purge_keeps_messages_for_the_other_side_and_deletes_notifications",
            _MG + "test_browser.py::test_a_ticket_answered_by_support_shows_up_as_a_notification",
            "tests/assistant/test_support.py::test_ask_and_hand_over_to_a_ticket_for_that_user_only",
        ),
    ),
)
