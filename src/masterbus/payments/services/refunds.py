"""Refunds through the provider; applied to the ledger once (here, or by the webhook)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum

from masterbus.payments import provider
from masterbus.payments.errors import NotRefundable
from masterbus.payments.models import (
    CHARGED,
    EarningStatus,
    Payment,
    Refund,
    RefundStatus,
)
from masterbus.payments.services.sync import refund_record


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
