"""Paying for a booking through the payments app: the deposit (or the full price) at a hosted
checkout, the handler that confirms the booking when the payment is paid, and refunds.

The handler the payments app calls when a payment is paid is ``services.paid``.
"""

from __future__ import annotations

from django.utils import timezone

from masterbus.payments.models import CHARGED, Payment
from masterbus.payments.money import format_money
from masterbus.payments.selectors import payment_for
from masterbus.payments.services import Checkout, Line, checkout_start, payment_refund
from masterbus.studios import policies
from masterbus.studios.errors import BookingStateError
from masterbus.studios.models import Booking, BookingStatus
from masterbus.studios.pricing import FEE_RULE, percent_of

PURPOSE = "booking"
CHANGE_PURPOSE = "booking_change"  # the higher deposit of a moved booking (services.reschedule)


def booking_checkout_start(*, booking: Booking, success_url: str, cancel_url: str) -> Checkout:
    """The hosted checkout for what is due now: the deposit, or the full price."""
    if booking.status != BookingStatus.AWAITING_PAYMENT:
        raise BookingStateError("This booking is not waiting for a payment.")
    return checkout_start(
        payer=booking.client,
        purpose=PURPOSE,
        purpose_id=str(booking.pk),
        lines=booking_lines(booking),
        currency=booking.currency,
        payee=booking.room.studio.owner,
        fee_rule=FEE_RULE,
        success_url=success_url,
        cancel_url=cancel_url,
    )


def booking_label(booking: Booking) -> str:
    """The room, studio and local start, as the payment and the earnings page name it."""
    room = booking.room
    when = timezone.localtime(booking.starts_at, room.studio.zone)
    return f"{room.name} at {room.studio.name}, {when:%a %d %b %Y %H:%M} ({room.studio.time_zone})"


def booking_lines(booking: Booking) -> list[Line]:
    """What is due now, as payment lines: the deposit, or the full price line by line."""
    label = booking_label(booking)
    if booking.deposit >= booking.total:
        return [
            Line(f"{label}: {line['description']}", line["amount"], line["quantity"])
            for line in booking.price_lines
        ]
    total = format_money(booking.total, booking.currency)
    return [Line(f"Deposit for {label} (total {total})", booking.deposit)]


def refund_due(booking: Booking, *, paid: int, by_studio: bool, now=None) -> int:
    """What goes back on cancellation: everything if the studio cancels, else the percentage of
    the tier copied onto the booking for how long before the start it is."""
    if by_studio:
        return paid
    hours = (booking.starts_at - (now or timezone.now())).total_seconds() / 3600
    return percent_of(paid, policies.refund_percent(booking.policy_tiers, hours_before=hours))


def booking_refund(*, booking: Booking, by_studio: bool) -> int:
    """Refund a cancelled booking's payments (the deposit and any paid difference of a move)
    by the rule above; returns the amount refunded."""
    changes = [str(pk) for pk in booking.reschedules.values_list("pk", flat=True)]
    payments = [payment_for(purpose=PURPOSE, purpose_id=str(booking.pk))]
    payments += Payment.objects.filter(
        purpose=CHANGE_PURPOSE, purpose_id__in=changes, status__in=CHARGED
    )
    refunded = 0
    for payment in payments:
        if payment is None or payment.amount <= payment.amount_refunded:
            continue
        amount = min(
            refund_due(booking, paid=payment.amount, by_studio=by_studio),
            payment.amount - payment.amount_refunded,
        )
        if amount > 0:
            who = "the studio" if by_studio else "the client"
            payment_refund(payment=payment, amount=amount, reason=f"booking cancelled by {who}")
            refunded += amount
    if refunded:
        Booking.objects.filter(pk=booking.pk).update(refunded=booking.refunded + refunded)
        booking.refunded += refunded
    return refunded
