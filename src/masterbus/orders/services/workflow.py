"""The order's state machine: one function per move, each a conditional UPDATE on the state it
starts from, so two people (or two requests of one) can never both make the same move.

    awaiting_payment -> paid (purpose.on_paid) | cancelled
    paid -> accepted | declined (full refund) | cancelled (client, full refund)
    accepted -> in_progress -> delivered (deliveries.delivery_create, also from accepted)
    delivered -> revision_requested (uses a round) -> delivered ...
    delivered -> approved (client, or automatically after ORDERS_AUTO_APPROVE_DAYS) -> completed
    delivered | revision_requested -> disputed (staff settle it)
    any paid state -> refunded (a refund made outside the flow, purpose.on_refunded)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from masterbus.orders.errors import OrderError, WrongState
from masterbus.orders.models import REVIEW_MAX_CHARS, EventKind, Order, OrderStatus
from masterbus.orders.services.events import event_record
from masterbus.orders.services.ordering import ROUND_PURPOSE
from masterbus.payments import services as payments
from masterbus.payments.models import Payment
from masterbus.payments.selectors import payment_for

logger = logging.getLogger(__name__)


def order_move(order: Order, sources: Iterable[str], target: str, **fields) -> bool:
    """Move the order from one of ``sources`` to ``target`` in one conditional UPDATE; True when
    this call made the move (the in-memory order is updated), False when it was not there."""
    fields = {"status": target, **fields}
    moved = Order.objects.filter(pk=order.pk, status__in=list(sources)).update(**fields)
    if moved:
        order.refresh_from_db()
    return bool(moved)


def _must(moved: bool, message: str) -> None:
    if not moved:
        raise WrongState(message)


def _payment(order: Order):
    return payment_for(purpose="order", purpose_id=str(order.pk))


def _payments(order: Order) -> list[Payment]:
    """The order's payment and those of the revision rounds bought since (``<order>:<n>``)."""
    rounds = Payment.objects.filter(purpose=ROUND_PURPOSE, purpose_id__startswith=f"{order.pk}:")
    return [p for p in [_payment(order), *rounds.order_by("created_at")] if p is not None]


@transaction.atomic
def order_accept(*, order: Order) -> Order:
    _must(
        order_move(order, [OrderStatus.PAID], OrderStatus.ACCEPTED),
        "Only a paid order waiting for you can be accepted.",
    )
    event_record(order=order, kind=EventKind.ACCEPTED)
    return order


@transaction.atomic
def order_decline(*, order: Order, reason: str = "") -> Order:
    """Decline a paid order: the client gets everything back (no engineer money moved yet)."""
    now = timezone.now()
    _must(
        order_move(order, [OrderStatus.PAID], OrderStatus.DECLINED, closed_at=now),
        "Only a paid order you have not accepted can be declined.",
    )
    payments.payment_refund(payment=_payment(order), reason="declined by the engineer")
    event_record(order=order, kind=EventKind.DECLINED, text=reason.strip()[:300])
    return order


@transaction.atomic
def order_start(*, order: Order) -> Order:
    _must(
        order_move(order, [OrderStatus.ACCEPTED], OrderStatus.IN_PROGRESS),
        "Only an accepted order can be started.",
    )
    event_record(order=order, kind=EventKind.STARTED)
    return order


@transaction.atomic
def order_cancel(*, order: Order) -> Order:
    """The client cancels before the engineer accepted: unpaid, or paid and refunded in full."""
    now = timezone.now()
    if order_move(order, [OrderStatus.AWAITING_PAYMENT], OrderStatus.CANCELLED, closed_at=now):
        event_record(order=order, kind=EventKind.CANCELLED, text="Cancelled before payment.")
        return order
    _must(
        order_move(order, [OrderStatus.PAID], OrderStatus.CANCELLED, closed_at=now),
        "Once the engineer has accepted, an order cannot be cancelled; message them or dispute.",
    )
    payments.payment_refund(payment=_payment(order), reason="cancelled by the client")
    event_record(order=order, kind=EventKind.CANCELLED, text="Cancelled and refunded.")
    return order


@transaction.atomic
def revision_request(*, order: Order, text: str = "") -> Order:
    """Ask for another version: uses one of the rounds included (or bought with the order)."""
    if order.status == OrderStatus.DELIVERED and order.revisions_left <= 0:
        raise OrderError("All revision rounds of this order are used; approve or dispute it.")
    moved = Order.objects.filter(
        pk=order.pk,
        status=OrderStatus.DELIVERED,
        revisions_used__lt=F("revisions_included"),
    ).update(status=OrderStatus.REVISION_REQUESTED, revisions_used=F("revisions_used") + 1)
    _must(bool(moved), "A revision can be asked for a delivered version only.")
    order.refresh_from_db()
    event_record(
        order=order,
        kind=EventKind.REVISION_REQUESTED,
        text=text.strip()[:300],
        notify_key=str(order.revisions_used),
    )
    return order


@transaction.atomic
def order_dispute(*, order: Order, text: str = "") -> Order:
    _must(
        order_move(
            order, [OrderStatus.DELIVERED, OrderStatus.REVISION_REQUESTED], OrderStatus.DISPUTED
        ),
        "Only an order with a delivery can be disputed.",
    )
    event_record(order=order, kind=EventKind.DISPUTED, text=text.strip()[:300])
    return order


@transaction.atomic
def order_approve(
    *, order: Order, rating: int | None = None, review: str = "", automatic: bool = False
) -> Order:
    """Approve the delivered version: the engineer's share is released (once: only the call that
    moves delivered -> approved reaches the release) and the order is completed. A review's
    words count only with a rating."""
    if rating is not None and not 1 <= rating <= 5:
        raise OrderError("A rating is 1 to 5 stars.")
    review = review.replace("\x00", "").strip() if rating is not None else ""
    if len(review) > REVIEW_MAX_CHARS:
        raise OrderError(f"A review has at most {REVIEW_MAX_CHARS:,} characters.")
    _must(
        order_move(
            order, [OrderStatus.DELIVERED], OrderStatus.APPROVED, rating=rating, review=review
        ),
        "Only a delivered order can be approved.",
    )
    event_record(order=order, kind=EventKind.AUTO_APPROVED if automatic else EventKind.APPROVED)
    for payment in _payments(order):
        payments.earning_release(payment=payment)
    order_move(order, [OrderStatus.APPROVED], OrderStatus.COMPLETED, closed_at=timezone.now())
    event_record(order=order, kind=EventKind.COMPLETED)
    return order


@transaction.atomic
def order_settle(*, order: Order, release: bool) -> Order:
    """Staff settle a dispute: approve it for the engineer (the share is released) or refund
    the client in full (nothing was released, so no transfer is reversed)."""
    if release:
        _must(
            order_move(order, [OrderStatus.DISPUTED], OrderStatus.APPROVED),
            "Only a disputed order is settled here.",
        )
        event_record(order=order, kind=EventKind.APPROVED, text="Settled by our staff.")
        for payment in _payments(order):
            payments.earning_release(payment=payment)
        order_move(order, [OrderStatus.APPROVED], OrderStatus.COMPLETED, closed_at=timezone.now())
        event_record(order=order, kind=EventKind.COMPLETED)
        return order
    _must(
        order_move(order, [OrderStatus.DISPUTED], OrderStatus.REFUNDED, closed_at=timezone.now()),
        "Only a disputed order is settled here.",
    )
    for payment in _payments(order):
        payments.payment_refund(payment=payment, reason="dispute settled for the client")
    event_record(order=order, kind=EventKind.REFUNDED, text="Settled by our staff.")
    return order


def order_unpaid_expire(*, now=None) -> int:
    """Cancel orders left unpaid ORDERS_UNPAID_DAYS (a periodic job; idempotent); their files
    go with the next source purge (an order never paid keeps nothing)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ORDERS_UNPAID_DAYS)
    count = 0
    for order in Order.objects.filter(
        status=OrderStatus.AWAITING_PAYMENT, created_at__lte=cutoff
    ).iterator():
        with transaction.atomic():
            if order_move(
                order,
                [OrderStatus.AWAITING_PAYMENT],
                OrderStatus.CANCELLED,
                closed_at=timezone.now(),
            ):
                event_record(order=order, kind=EventKind.CANCELLED, text="Not paid in time.")
                count += 1
    return count


def order_auto_approve_due(*, now=None) -> int:
    """Approve orders delivered ORDERS_AUTO_APPROVE_DAYS ago and neither approved, revised nor
    disputed since (a periodic job; idempotent: an approved order is no longer delivered)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ORDERS_AUTO_APPROVE_DAYS)
    count = 0
    due = Order.objects.filter(status=OrderStatus.DELIVERED, delivered_at__lte=cutoff)
    for order in due.select_related("client", "engineer").iterator():
        try:
            order_approve(order=order, automatic=True)
        except WrongState:  # approved or disputed by a person a moment ago
            continue
        count += 1
    if count:
        logger.info("approved %d order(s) automatically", count)
    return count
