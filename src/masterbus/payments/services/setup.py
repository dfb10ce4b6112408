"""Save a card now, charge it later (off-session): for purposes paid long after they are made
(a booking weeks ahead is charged when the studio accepts; card holds expire in about 7 days).

The card is typed on the provider's page (Checkout in setup mode, P22); the webhook marks the
setup ready (``setup_sync``). ``charge_saved`` then creates a Payment and confirms a
PaymentIntent with the saved method, the payer absent; the payment becomes paid by the webhook,
as every payment does. A declined charge leaves the payment failed and raises
``ChargeDeclined``: the caller sends the payer to a hosted checkout instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from masterbus.payments import money, provider
from masterbus.payments.errors import AlreadyPaid, ChargeDeclined, ProviderUnavailable
from masterbus.payments.models import (
    CHARGED,
    Payment,
    PaymentSetup,
    PaymentStatus,
    SetupStatus,
)
from masterbus.payments.services.checkout import Line, _check_rate, _validate, payment_lines_create

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SetupCheckout:
    setup: PaymentSetup
    url: str  # the provider's page where the payer saves the card


def setup_start(
    *, payer, purpose: str, purpose_id: str, currency: str, success_url: str, cancel_url: str
) -> SetupCheckout:
    """Record an open setup and create the provider's customer and setup-mode Checkout."""
    _check_rate(payer)
    setup = PaymentSetup.objects.create(payer=payer, purpose=purpose, purpose_id=str(purpose_id))
    try:
        customer = provider.customer_create(
            email=payer.email, idempotency_key=f"customer-{setup.pk}"
        )
        metadata = {"setup_id": str(setup.pk), "purpose": purpose, "purpose_id": str(purpose_id)}
        session = provider.session_create(
            params={
                "mode": "setup",
                "currency": currency.lower(),
                "customer": customer["id"],
                "client_reference_id": str(setup.pk),
                "success_url": success_url,
                "cancel_url": cancel_url,
                "metadata": metadata,
                "setup_intent_data": {"metadata": metadata},
            },
            idempotency_key=f"setup-{setup.pk}",
        )
    except ProviderUnavailable:
        PaymentSetup.objects.filter(pk=setup.pk).update(status=SetupStatus.EXPIRED)
        raise
    PaymentSetup.objects.filter(pk=setup.pk).update(
        checkout_session_id=session["id"], customer_id=customer["id"]
    )
    setup.refresh_from_db()
    return SetupCheckout(setup=setup, url=session["url"])


def setup_state(setup: PaymentSetup) -> dict | None:
    """The provider's SetupIntent of a completed setup session (outside any transaction)."""
    session = provider.session_get(setup.checkout_session_id)
    if session.get("status") == "expired":
        return {"status": "expired"}
    if session.get("status") != "complete" or not session.get("setup_intent"):
        return None
    return provider.setup_intent_get(session["setup_intent"])


def setup_sync(*, setup: PaymentSetup, state: dict | None) -> None:
    """Apply the provider's state (inside the webhook's transaction): ready once, or expired."""
    if state is None:
        return
    if state.get("status") == "expired":
        PaymentSetup.objects.filter(pk=setup.pk, status=SetupStatus.OPEN).update(
            status=SetupStatus.EXPIRED
        )
        return
    if state.get("status") != "succeeded":
        return
    method = state.get("payment_method")
    card = method.get("card", {}) if isinstance(method, dict) else {}
    PaymentSetup.objects.filter(pk=setup.pk, status=SetupStatus.OPEN).update(
        status=SetupStatus.READY,
        ready_at=timezone.now(),
        customer_id=state.get("customer") or setup.customer_id,
        setup_intent_id=state["id"],
        payment_method_id=method["id"] if isinstance(method, dict) else (method or ""),
        card_brand=str(card.get("brand") or "")[:20],
        card_last4=str(card.get("last4") or "")[:4],
    )


def charge_saved(
    *,
    setup: PaymentSetup,
    lines: list[Line],
    currency: str,
    payee=None,
    fee_rule: str | None = None,
    purpose: str | None = None,
    purpose_id: str | None = None,
) -> Payment:
    """Charge the saved card now (off-session), for the setup's purpose or another one of the
    same payer (a booking's later additional charge). Returns the open payment (paid by the
    webhook); raises ``ChargeDeclined`` if the card was declined."""
    if setup.status != SetupStatus.READY:
        raise ChargeDeclined()
    purpose = purpose or setup.purpose
    purpose_id = str(purpose_id or setup.purpose_id)
    currency = currency.lower()
    total = _validate(lines, currency)
    percent = money.fee_percent(fee_rule or purpose) if payee is not None else None
    charged = Payment.objects.filter(purpose=purpose, purpose_id=purpose_id, status__in=CHARGED)
    if charged.exists():
        raise AlreadyPaid()
    payer = setup.payer
    with transaction.atomic():
        payment = Payment.objects.create(
            payer=payer,
            payee=payee,
            purpose=purpose,
            purpose_id=purpose_id,
            currency=currency,
            amount=total,
            fee_rule=(fee_rule or purpose) if payee is not None else "",
            fee_percent=percent,
            customer_id=setup.customer_id,
            billing_name=((payer.display_name or payer.email) if payer else "")[:200],
            billing_email=payer.email if payer else "",
        )
        payment_lines_create(payment, lines)
    metadata = {
        "payment_id": str(payment.pk),
        "purpose": payment.purpose,
        "purpose_id": payment.purpose_id,
    }
    try:
        intent = provider.off_session_charge(
            params={
                "amount": total,
                "currency": currency,
                "customer": setup.customer_id,
                "payment_method": setup.payment_method_id,
                "metadata": metadata,
                "transfer_group": payment.transfer_group,
            },
            idempotency_key=f"offsession-{payment.pk}",
        )
    except ProviderUnavailable:
        Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED)
        raise
    if intent is None:
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.OPEN).update(
            status=PaymentStatus.FAILED
        )
        logger.info("off-session charge %s declined", payment.pk)
        raise ChargeDeclined()
    Payment.objects.filter(pk=payment.pk).update(payment_intent_id=intent["id"])
    payment.refresh_from_db()
    logger.info("off-session charge %s for %s:%s", payment.pk, payment.purpose, payment.purpose_id)
    return payment
