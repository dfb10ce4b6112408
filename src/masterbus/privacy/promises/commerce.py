"""Payments and communication (P22-P26)."""

from __future__ import annotations

from masterbus.privacy.promises.model import _GU, _MS, _PR, Promise, Status

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
        ),
        tests=(
            "tests/payments/test_flow.py::test_a_paid_checkout_records_ids_card_and_split",
            "tests/payments/test_flow.py::test_p22_no_card_number_is_stored",
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
        ),
        tests=(
            "tests/payments/test_flow.py::test_a_paid_checkout_records_ids_card_and_split",
            "tests/payments/test_invoices.py::test_concurrent_invoices_get_distinct_consecutive_numbers",
            "tests/payments/test_records.py::test_payment_records_are_anonymised_after_seven_years",
            "tests/payments/test_records.py::test_account_deletion_anonymises_payments_and_keeps_them",
        ),
        missing="Studio booking records join when booking pays through the payments app.",
    ),
    Promise(
        "P24",
        "Communication",
        "Transactional email: address verification, password reset, updates on your songs.",
        Status.PARTIAL,
        code=(
            "masterbus.mastering.services.notify.job_notify",
            "masterbus.orders.services.events.event_record",
        ),
        tests=(
            _GU + "test_sign_up_with_email_verification_moves_the_guests_songs",
            _MS + "test_ready_email_is_sent_once_and_can_be_switched_off",
            "tests/orders/test_emails.py::test_every_event_mails_its_recipients_from_its_templates",
            "tests/orders/test_emails.py::test_delivery_mail_follows_the_preference_and_stays_in_the_"
            "history",
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
)
