"""The payments app calls these when an order's payment is paid or refunded, inside the
transaction that applies the provider's event (so the order moves with the payment or not at
all). Both are idempotent: a replayed event finds the order already moved."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone

from masterbus.orders.models import EventKind, Order, OrderStatus
from masterbus.orders.services.events import event_record
from masterbus.orders.services.workflow import order_move

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
            logger.warning("order %s was paid after it was cancelled: refund it", order.pk)

    def on_refunded(self, payment, refund) -> None:
        order = Order.objects.filter(pk=payment.purpose_id).first()
        if order is None or payment.amount_refunded < payment.amount:
            return  # a partial refund leaves the order as it is
        if order_move(order, REFUNDABLE, OrderStatus.REFUNDED, closed_at=timezone.now()):
            event_record(order=order, kind=EventKind.REFUNDED)
