"""Refunds through the provider; applied to the ledger once (here, or by the webhook)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q, Sum

from masterbus.payments import money, provider, purposes
from masterbus.payments.errors import NotRefundable
from masterbus.payments.models import (
    CHARGED,
    Earning,
    EarningStatus,
    Payment,
    PaymentStatus,
    Refund,
    RefundStatus,
)
from masterbus.payments.services import invoices

logger = logging.getLogger(__name__)


def payment_refund(*, payment: Payment, amount: int | None = None, reason: str) -> Refund:
    """Refund ``amount`` (None: everything not yet refunded) of a paid payment.

    Idempotent: a full refund asked for again returns the refund already made. Allowed while
    the payee's share is pending (no money has moved to them, so no transfer reversal is
    needed); once it is released a refund would take the payee's money back and is refused here.
    """
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status not in CHARGED or not payment.payment_intent_id:
            raise NotRefundable("Only a paid payment can be refunded.")
        if hasattr(payment, "earning") and payment.earning.status in (
            EarningStatus.RELEASED,
            EarningStatus.PAID_OUT,
        ):
            raise NotRefundable(
                "The payee's share has been released; this refund needs finance staff."
            )
        asked = payment.refunds.exclude(status=RefundStatus.FAILED)
        taken = asked.aggregate(total=Sum("amount"))["total"] or 0
        left = payment.amount - taken
        if amount is None:
            if left == 0:
                return asked.last()
            amount = left
        if not 0 < amount <= left:
            raise NotRefundable(f"At most {left} (minor units) can still be refunded.")
        refund = Refund.objects.create(payment=payment, amount=amount, reason=reason[:200])
    try:
        found = provider.refund_create(
            intent_id=payment.payment_intent_id,
            amount=amount,
            idempotency_key=f"refund-{refund.pk}",
            metadata={"refund_id": str(refund.pk), "payment_id": str(payment.pk)},
        )
    except Exception:
        Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.FAILED
        )
        raise
    if found.get("status") == "succeeded":
        with transaction.atomic():
            refund_record(payment=payment, provider_refund=found)
    else:  # pending at the provider: the webhook applies it when it succeeds
        Refund.objects.filter(pk=refund.pk).update(provider_refund_id=found["id"])
    refund.refresh_from_db()
    return refund


def payment_paid_twice(payment: Payment) -> bool:
    """Paid in two tabs: the purpose was paid before by another payment, so this one is
    refunded in full (after commit) and gives no earning, invoice, "paid" or "refunded" to
    the purpose."""
    earlier = Q(paid_at__lt=payment.paid_at) | Q(paid_at=payment.paid_at, pk__lt=payment.pk)
    others = Payment.objects.filter(purpose=payment.purpose, purpose_id=payment.purpose_id)
    return others.filter(earlier).exclude(pk=payment.pk).exists()


def refund_record(*, payment: Payment, provider_refund) -> Refund | None:
    """Apply a refund the provider reports as succeeded, once: ours (made by
    ``payment_refund``, named in its metadata) or one made in the provider's dashboard."""
    ours = (provider_refund.get("metadata") or {}).get("refund_id")
    refund = Refund.objects.filter(provider_refund_id=provider_refund["id"]).first()
    if refund is None and ours:
        refund = Refund.objects.filter(pk=ours, payment=payment).first()
    if refund is None:
        refund = Refund.objects.create(
            payment=payment,
            amount=provider_refund["amount"],
            reason="refunded at the payment provider",
            provider_refund_id=provider_refund["id"],
        )
    moved = Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
        status=RefundStatus.SUCCEEDED, provider_refund_id=provider_refund["id"]
    )
    if not moved:
        return None
    refund.refresh_from_db()
    _apply_refund(payment, refund)
    return refund


def _apply_refund(payment: Payment, refund: Refund) -> None:
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    refunded = min(payment.amount, payment.amount_refunded + refund.amount)
    status = (
        PaymentStatus.REFUNDED if refunded >= payment.amount else (PaymentStatus.PARTIALLY_REFUNDED)
    )
    Payment.objects.filter(pk=payment.pk).update(amount_refunded=refunded, status=status)
    payment.refresh_from_db()
    _earning_reduce(payment)
    invoices.credit_note_issue(refund=refund)
    handler = purposes.handler_for(payment.purpose)
    if handler is not None and not payment_paid_twice(payment):
        handler.on_refunded(payment, refund)
    logger.info("payment %s refunded %s (total %s)", payment.pk, refund.amount, refunded)


def _earning_reduce(payment: Payment) -> None:
    """Before release the payee's share shrinks with the refund (share × kept / amount, rounded
    down) and is cancelled at zero; no money moved yet, so nothing needs reversing. After
    release the transfer stands (a refund then is the platform's, see payment_refund)."""
    kept = payment.amount - payment.amount_refunded
    share = money.scale(payment.payee_share or 0, part=kept, whole=payment.amount)
    pending = Earning.objects.filter(payment=payment, status=EarningStatus.PENDING)
    if share:
        pending.update(amount=share)
    else:
        pending.update(amount=0, status=EarningStatus.CANCELLED)
