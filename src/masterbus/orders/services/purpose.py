"""The payments app calls these when an order's payment is paid or refunded, inside the
transaction that applies the provider's event (so the order moves with the payment or not at
all). Both are idempotent: a replayed event finds the order already moved."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from masterbus.orders.models import EventKind, Order, OrderStatus
from masterbus.orders.services.events import event_record
from masterbus.orders.services.workflow import order_move
from masterbus.payments import services as payments

logger = logging.getLogger(__name__)

# Where a refund made outside the order's own moves (staff, the provider's dashboard) applies.
REFUNDABLE = (
    OrderStatus.PAID,
    OrderStatus.ACCEPTED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.DELIVERED,
    OrderStatus.REVISION_REQUESTED,
    OrderStatus.DISPUTED,
)


class OrderPurpose:
    """The "order" purpose (registered in OrdersConfig.ready)."""

    def on_paid(self, payment) -> None:
        order = Order.objects.filter(pk=payment.purpose_id).first()
        if order is None:
            logger.warning("payment %s is for an unknown order %s", payment.pk, payment.purpose_id)
            return
        paid_at = payment.paid_at or timezone.now()
        moved = order_move(
            order,
            [OrderStatus.AWAITING_PAYMENT],
            OrderStatus.PAID,
            paid_at=paid_at,
            due_at=paid_at + timedelta(days=order.turnaround_days),
        )
        if moved:
            event_record(order=order, kind=EventKind.PAID)
        elif order.status == OrderStatus.CANCELLED:
            # Cancelled (or expired unpaid) while the client was paying: nothing was delivered.
            payments.payment_refund(payment=payment, reason="order cancelled before payment")

    def title(self, payment) -> str:
        return (
            Order.objects.filter(pk=payment.purpose_id).values_list("title", flat=True).first()
            or ""
        )

    def on_refunded(self, payment, refund) -> None:
        order = Order.objects.filter(pk=payment.purpose_id).first()
        if order is None or payment.amount_refunded < payment.amount:
            return  # a partial refund leaves the order as it is
        if order_move(order, REFUNDABLE, OrderStatus.REFUNDED, closed_at=timezone.now()):
            event_record(order=order, kind=EventKind.REFUNDED)


class RevisionRoundPurpose:
    """The "order_round" purpose: a revision round bought after the included ones were used.

    Paid, it adds the round and its money to the order (the payment's own split, in force when
    it was paid); its earning is released with the order's on approval."""

    def title(self, payment) -> str:
        order_id = payment.purpose_id.partition(":")[0]
        title = Order.objects.filter(pk=order_id).values_list("title", flat=True).first()
        return f"{title}: extra revision round" if title else ""

    def on_paid(self, payment) -> None:
        order_id, _, number = payment.purpose_id.partition(":")
        order = Order.objects.filter(pk=order_id).first()
        if order is None or not number.isdigit():
            logger.warning("payment %s is for an unknown revision round", payment.pk)
            return
        moved = Order.objects.filter(pk=order.pk, revisions_included=int(number) - 1).update(
            revisions_included=int(number),
            total=F("total") + payment.amount,
            platform_fee=F("platform_fee") + (payment.platform_fee or 0),
            engineer_share=F("engineer_share") + (payment.payee_share or 0),
        )
        if moved:
            order.refresh_from_db()
            event_record(
                order=order, kind=EventKind.ROUND_BOUGHT, text=f"Round {number}", notify_key=number
            )

    def on_refunded(self, payment, refund) -> None:
        """A refunded round stays counted; staff settle it with the order (logged)."""
        logger.warning("revision round payment %s was refunded (%s)", payment.pk, refund.amount)
