"""Payments ledger (P22, P23, P32): what was charged, refunded, owed to a payee and paid out.

Money is always an integer amount of the currency's minor unit (cents) next to its currency.
Card data never reaches us (P22): a payment keeps only the provider's ids, the amounts, the
status, the card brand and its last four digits. Financial rows outlive their people: every
relation to a user is ``SET_NULL`` and the billing details are a snapshot that the account
deletion anonymises (P32) and the retention job anonymises after 7 years (P23).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class PaymentStatus(models.TextChoices):
    OPEN = "open", "Awaiting payment"
    PAID = "paid", "Paid"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"
    EXPIRED = "expired", "Expired"
    FAILED = "failed", "Failed"


# Statuses in which money was received (and may be refunded).
CHARGED = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)


class Payment(models.Model):
    """One hosted checkout for one purpose (an order, a booking); paid by the webhook."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments_made",
    )
    payee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments_received",
    )
    purpose = models.CharField(max_length=40)
    purpose_id = models.CharField(max_length=64)
    currency = models.CharField(max_length=3)
    amount = models.PositiveBigIntegerField()
    fee_rule = models.CharField(max_length=40, blank=True)
    # Written once, when the payment is paid, by the rule in force then (never recomputed).
    payee_share = models.PositiveBigIntegerField(null=True, blank=True)
    platform_fee = models.PositiveBigIntegerField(null=True, blank=True)
    fee_percent = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.OPEN
    )
    amount_refunded = models.PositiveBigIntegerField(default=0)
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    charge_id = models.CharField(max_length=255, blank=True)
    customer_id = models.CharField(max_length=255, blank=True)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    # Billing snapshot for receipts and invoices; anonymised with the account (P32) or at
    # the end of retention (P23). The country stays: the tax record needs it.
    billing_name = models.CharField(max_length=200, blank=True)
    billing_email = models.EmailField(blank=True)
    billing_country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["purpose", "purpose_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_refunded__lte=models.F("amount")),
                name="payment_refund_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"payment {self.purpose}:{self.purpose_id} {self.amount} {self.currency}"

    @property
    def transfer_group(self) -> str:
        """Connect "separate charges and transfers" groups a charge and its transfer by this."""
        return f"{self.purpose}:{self.purpose_id}"


class PaymentLine(models.Model):
    """A line of what was bought, as shown at checkout and on the invoice."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=200)
    amount = models.PositiveBigIntegerField()  # unit price, minor units
    quantity = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "position"], name="payment_line_position")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"


class RefundStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Refund(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=200, blank=True)
    provider_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"refund {self.amount} of {self.payment_id}"


class EarningStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # paid by the client, held until the purpose releases it
    RELEASED = "released", "Released"  # transferred to the payee's connected account
    PAID_OUT = "paid_out", "Paid out"  # included in a payout statement
    CANCELLED = "cancelled", "Cancelled"  # refunded in full before release


class Earning(models.Model):
    """The payee's share of one payment; moves pending → released → paid_out, each move one
    conditional UPDATE so that concurrent callers move it once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="earning")
    payee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="earnings",
    )
    currency = models.CharField(max_length=3)
    amount = models.PositiveBigIntegerField()
    status = models.CharField(
        max_length=20, choices=EarningStatus.choices, default=EarningStatus.PENDING
    )
    transfer_id = models.CharField(max_length=255, blank=True)
    payout = models.ForeignKey(
        "Payout", null=True, blank=True, on_delete=models.PROTECT, related_name="earnings"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"earning {self.amount} {self.currency} ({self.status})"


class Payout(models.Model):
    """A statement batching a payee's released earnings in one currency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payouts",
    )
    currency = models.CharField(max_length=3)
    amount = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"payout {self.amount} {self.currency}"


class PayeeAccount(models.Model):
    """The payee's connected account at the provider (Connect), where transfers go."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payee_account"
    )
    provider_account_id = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"payee account {self.provider_account_id}"


class WebhookEvent(models.Model):
    """A provider event applied once: stored in the same transaction as its effect, so a
    redelivery or a replay finds it and changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class InvoiceKind(models.TextChoices):
    SALE = "sale", "Invoice"  # to the payer, for what they bought
    FEE = "fee", "Platform fee invoice"  # to the payee, for the platform's fee
    CREDIT = "credit", "Credit note"  # to the payer, for a refund of their invoice


class Invoice(models.Model):
    """An issued invoice: numbered without gaps per year (``InvoiceCounter``), with the seller's
    and buyer's details and the lines frozen at issue."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=10, choices=InvoiceKind.choices)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="invoices")
    refund = models.OneToOneField(  # a credit note's refund
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_note"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    buyer_name = models.CharField(max_length=200, blank=True)
    buyer_email = models.EmailField(blank=True)
    buyer_country = models.CharField(max_length=2, blank=True)
    seller = models.JSONField(default=dict)
    lines = models.JSONField(default=list)  # [{description, quantity, unit, total}]
    currency = models.CharField(max_length=3)
    total = models.BigIntegerField()  # gross, tax included (negative on a credit note)
    net = models.BigIntegerField()
    tax = models.BigIntegerField()
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2)  # percent
    issued_at = models.DateTimeField()
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "kind"],
                condition=models.Q(refund__isnull=True),
                name="invoice_once_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(total=models.F("net") + models.F("tax")),
                name="invoice_totals_add_up",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceCounter(models.Model):
    """The last invoice number issued in a year; bumped in the invoice's own transaction."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class SetupStatus(models.TextChoices):
    OPEN = "open", "Awaiting the card"
    READY = "ready", "Card saved"
    EXPIRED = "expired", "Expired"


class PaymentSetup(models.Model):
    """A card saved at the provider (Checkout in setup mode) for a purpose that is charged
    later, off-session: a booking far ahead is charged on acceptance, not when it is made,
    because card holds expire after about a week. Only the provider's ids and the card's brand
    and last four are kept (P22)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payment_setups",
    )
    purpose = models.CharField(max_length=40)
    purpose_id = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=SetupStatus.choices, default=SetupStatus.OPEN)
    checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    customer_id = models.CharField(max_length=255, blank=True)
    setup_intent_id = models.CharField(max_length=255, blank=True)
    payment_method_id = models.CharField(max_length=255, blank=True)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["purpose", "purpose_id"])]

    def __str__(self) -> str:
        return f"saved card for {self.purpose}:{self.purpose_id} ({self.status})"
