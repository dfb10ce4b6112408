"""Converge a payment on the provider's current state.

Every webhook event only says *which* payment changed; what changed is read back from the
provider. So events in any order, duplicates and replays all end in the same state: the paid
move, each refund and the expiry are applied at most once, by conditional updates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from masterbus.payments import money, provider, purposes
from masterbus.payments.errors import UnknownFeeRule
from masterbus.payments.models import (
    Earning,
    Payment,
    PaymentStatus,
)
from masterbus.payments.services import invoices
from masterbus.payments.services.refunds import payment_paid_twice, payment_refund, refund_record

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProviderState:
    """What the provider says of a payment: its checkout session, payment intent, refunds."""

    session: dict
    intent: dict | None
    refunds: list[dict]


def provider_state(payment: Payment) -> ProviderState | None:
    """Read the payment's state at the provider; outside any transaction (a network call must
    not hold the database's write lock)."""
    if not payment.checkout_session_id:
        return _off_session_state(payment)
    session = provider.session_get(payment.checkout_session_id)
    intent_id = session.get("payment_intent")
    intent = provider.payment_intent_get(intent_id) if intent_id else None
    refunds = provider.refunds_of(intent_id) if intent_id else []
    return ProviderState(session=session, intent=intent, refunds=refunds)


def _off_session_state(payment: Payment) -> ProviderState | None:
    """An off-session charge has no checkout session: its PaymentIntent says whether it was
    paid, in the same words a session uses."""
    if not payment.payment_intent_id:
        return None
    intent = provider.payment_intent_get(payment.payment_intent_id)
    paid = intent.get("status") == "succeeded"
    session = {
        "payment_status": "paid" if paid else "unpaid",
        "status": "complete" if paid else "open",
        "customer": intent.get("customer"),
    }
    return ProviderState(
        session=session, intent=intent, refunds=provider.refunds_of(payment.payment_intent_id)
    )


def payment_sync(*, payment: Payment, state: ProviderState | None) -> Payment:
    """Apply what is new in ``state``, inside a transaction (the webhook's), so the effect
    commits with the event record. Every move is monotonic (paid once, each refund once), so
    a state read a moment earlier than another event's never undoes that event's effect."""
    if state is None:
        return payment
    session = state.session
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if session.get("payment_status") == "paid" and payment.paid_at is None and state.intent:
        payment = _mark_paid(payment, session, state.intent)
    elif session.get("status") == "expired" and payment.status == PaymentStatus.OPEN:
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.OPEN).update(
            status=PaymentStatus.EXPIRED
        )
        payment.refresh_from_db()
    if payment.paid_at is not None and payment.payment_intent_id:
        for found in state.refunds:
            if found.get("status") == "succeeded":
                refund_record(payment=payment, provider_refund=found)
        payment.refresh_from_db()
    return payment


def _mark_paid(payment: Payment, session, intent) -> Payment:
    percent = _percent_now(payment)
    if percent is None:
        share, fee = 0, payment.amount
    else:
        share, fee = money.split_by_percent(payment.amount, percent)
    charge = intent.get("latest_charge")
    card = provider.card_of(intent)
    moved = Payment.objects.filter(pk=payment.pk, paid_at__isnull=True).update(
        status=PaymentStatus.PAID,
        paid_at=timezone.now(),
        payee_share=share,
        platform_fee=fee,
        fee_percent=percent,
        payment_intent_id=intent["id"],
        charge_id=charge["id"] if isinstance(charge, dict) else (charge or ""),
        customer_id=session.get("customer") or "",
        card_brand=card.brand,
        card_last4=card.last4,
        billing_country=_country(session),
    )
    payment.refresh_from_db()
    if not moved:
        return payment
    if payment_paid_twice(payment):
        transaction.on_commit(lambda: _refund_duplicate(payment.pk))
        return payment
    if payment.payee_id and share:
        Earning.objects.create(
            payment=payment, payee_id=payment.payee_id, currency=payment.currency, amount=share
        )
    invoices.invoices_issue(payment=payment)
    handler = purposes.handler_for(payment.purpose)
    if handler is not None:
        handler.on_paid(payment)
    transaction.on_commit(lambda: invoices.receipt_send(payment_id=payment.pk))
    logger.info("payment %s paid (%s)", payment.pk, payment.amount)
    return payment


def _country(session) -> str:
    """The billing country Checkout collected (the tax record needs it), if any."""
    address = (session.get("customer_details") or {}).get("address") or {}
    return str(address.get("country") or "")[:2]


def _refund_duplicate(payment_id) -> None:
    try:
        payment_refund(payment=Payment.objects.get(pk=payment_id), reason="paid twice")
    except Exception:  # finance sees it in the export; the provider's dashboard can refund
        logger.exception("duplicate payment %s was not refunded", payment_id)


def _percent_now(payment: Payment) -> Decimal | None:
    """The fee rule in force now; if it was removed since checkout, the one shown then."""
    if not payment.payee_id:
        return None
    try:
        return money.fee_percent(payment.fee_rule)
    except UnknownFeeRule:
        logger.warning(
            "fee rule %r is gone; payment %s keeps its checkout rule", payment.fee_rule, payment.pk
        )
        return payment.fee_percent if payment.fee_percent is not None else Decimal(0)
