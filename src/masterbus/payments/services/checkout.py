"""Start a hosted checkout (P22: the card is typed on the provider's page, never ours)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masterbus.payments import money, provider
from masterbus.payments.errors import AlreadyPaid, CheckoutInvalid, ProviderUnavailable
from masterbus.payments.models import CHARGED, Payment, PaymentLine, PaymentStatus

logger = logging.getLogger(__name__)

MAX_LINES = 20
MAX_QUANTITY = 100
CURRENCY = re.compile(r"^[a-z]{3}$")


@dataclass(frozen=True)
class Line:
    description: str
    amount: int  # unit price in minor units
    quantity: int = 1


@dataclass(frozen=True)
class Checkout:
    payment: Payment
    url: str  # the hosted checkout page to send the payer to


def payment_lines_create(payment: Payment, lines: list[Line]) -> None:
    """The payment's lines, numbered in order: the receipt and the provider's line items."""
    PaymentLine.objects.bulk_create(
        PaymentLine(
            payment=payment,
            position=number,
            description=line.description.strip(),
            amount=line.amount,
            quantity=line.quantity,
        )
        for number, line in enumerate(lines)
    )


def _validate(lines: list[Line], currency: str) -> int:
    if not CURRENCY.match(currency):
        raise CheckoutInvalid(f"Unknown currency {currency!r}.")
    if not 1 <= len(lines) <= MAX_LINES:
        raise CheckoutInvalid(f"A checkout has 1 to {MAX_LINES} lines.")
    for line in lines:
        if not line.description.strip() or len(line.description) > 200:
            raise CheckoutInvalid("Each line needs a description of at most 200 characters.")
        if not isinstance(line.amount, int) or line.amount <= 0:
            raise CheckoutInvalid("Each line needs a positive whole amount in minor units.")
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise CheckoutInvalid(f"A quantity is 1 to {MAX_QUANTITY}.")
    total = sum(line.amount * line.quantity for line in lines)
    if total > settings.PAYMENTS_MAX_AMOUNT:
        limit = money.format_money(settings.PAYMENTS_MAX_AMOUNT, currency)
        raise CheckoutInvalid(f"A checkout is at most {limit}.")
    return total


def _check_rate(payer) -> None:
    since = timezone.now() - timedelta(hours=1)
    recent = Payment.objects.filter(payer=payer, created_at__gte=since).count()
    if recent >= settings.PAYMENTS_CHECKOUTS_PER_HOUR:
        raise CheckoutInvalid("Too many checkouts started in the last hour; try again later.")


def checkout_start(
    *,
    payer,
    purpose: str,
    purpose_id: str,
    lines: list[Line],
    currency: str | None = None,
    payee=None,
    fee_rule: str | None = None,
    success_url: str,
    cancel_url: str,
) -> Checkout:
    """Record an open payment and create the provider's hosted Checkout Session for it.

    The payer is sent to ``Checkout.url``; the payment becomes paid only by the provider's
    webhook (``masterbus.payments.services.webhooks``), never by the success redirect. With a
    payee, ``fee_rule`` (default: the purpose's name if a rule of that name exists) is checked
    now and applied when the payment is paid.
    """
    currency = (currency or settings.PAYMENTS_CURRENCY).lower()
    purpose_id = str(purpose_id)
    total = _validate(lines, currency)
    percent = None
    if payee is not None:
        fee_rule = fee_rule or purpose
        percent = money.fee_percent(fee_rule)  # an unknown rule fails now, not at the webhook
    already = Payment.objects.filter(purpose=purpose, purpose_id=purpose_id, status__in=CHARGED)
    if already.exists():
        raise AlreadyPaid()
    _check_rate(payer)
    _expire_earlier(purpose, purpose_id)
    with transaction.atomic():
        payment = Payment.objects.create(
            payer=payer,
            payee=payee,
            purpose=purpose,
            purpose_id=purpose_id,
            currency=currency,
            amount=total,
            fee_rule=fee_rule or "",
            fee_percent=percent,  # provisional: the rule in force when paid is written then
            billing_name=(payer.display_name or payer.email)[:200],
            billing_email=payer.email,
        )
        payment_lines_create(payment, lines)
    try:
        session = provider.session_create(
            params=_session_params(payment, lines, success_url, cancel_url),
            idempotency_key=f"checkout-{payment.pk}",
        )
    except ProviderUnavailable:
        Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED)
        raise
    payment.checkout_session_id = session["id"]
    payment.save(update_fields=["checkout_session_id"])
    logger.info("checkout %s started for %s:%s", payment.pk, purpose, purpose_id)
    return Checkout(payment=payment, url=session["url"])


def _expire_earlier(purpose: str, purpose_id: str) -> None:
    """A new checkout for the same purpose closes the earlier open ones at the provider, so the
    purpose is not paid twice from two tabs (one paid anyway is refunded, see
    ``refunds.payment_paid_twice``)."""
    earlier = Payment.objects.filter(
        purpose=purpose, purpose_id=purpose_id, status=PaymentStatus.OPEN
    ).exclude(checkout_session_id=None)
    for payment in earlier:
        if provider.session_expire(payment.checkout_session_id):
            Payment.objects.filter(pk=payment.pk, status=PaymentStatus.OPEN).update(
                status=PaymentStatus.EXPIRED
            )


def _session_params(payment: Payment, lines: list[Line], success_url: str, cancel_url: str):
    metadata = {
        "payment_id": str(payment.pk),
        "purpose": payment.purpose,
        "purpose_id": payment.purpose_id,
    }
    params = {
        "mode": "payment",
        "client_reference_id": str(payment.pk),
        "success_url": success_url,
        "cancel_url": cancel_url,
        "line_items": [
            {
                "quantity": line.quantity,
                "price_data": {
                    "currency": payment.currency,
                    "unit_amount": line.amount,
                    "product_data": {"name": line.description.strip()},
                },
            }
            for line in lines
        ],
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "transfer_group": payment.transfer_group},
    }
    if payment.billing_email:
        params["customer_email"] = payment.billing_email
    return params
