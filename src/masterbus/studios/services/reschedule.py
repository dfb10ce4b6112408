"""Moving a booking to a new time: the client asks, the studio accepts or declines.

The new time passes the same checks as a new booking (opening hours, whole hours, the room's
minimum) and the same no-overlap guarantee: the move is a clash check and an UPDATE inside one
transaction (BEGIN IMMEDIATE on SQLite, so writers are serialised), and PostgreSQL's exclusion
constraint refuses an overlapping UPDATE as it refuses an INSERT. The price is the booking's
frozen rates for the new hours (``pricing.reprice``). For a paid booking the deposit difference
is refunded at once (a lower price) or paid by the client at the hosted checkout (a higher one,
purpose "booking_change"). The agreement PDF and the .ics feeds are made from the booking, so
they show the new time; the feeds' SEQUENCE (``Booking.revision``) tells calendars to update.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from masterbus.payments.models import CHARGED, Payment
from masterbus.payments.selectors import payment_for
from masterbus.payments.services import Checkout, Line, checkout_start, payment_refund
from masterbus.studios.errors import BookingStateError, SlotTaken, SlotUnavailable
from masterbus.studios.models import (
    BLOCKING,
    Booking,
    BookingStatus,
    Reschedule,
    RescheduleStatus,
)
from masterbus.studios.pricing import FEE_RULE, reprice
from masterbus.studios.services.bookings import CONSTRAINT, TAKEN, check_time
from masterbus.studios.services.notices import booking_notify
from masterbus.studios.services.payment import CHANGE_PURPOSE, PURPOSE, booking_label

MOVABLE = (BookingStatus.REQUESTED, BookingStatus.AWAITING_PAYMENT, BookingStatus.CONFIRMED)


def _clash(booking: Booking, start: dt.datetime, blocked_until: dt.datetime) -> bool:
    return (
        Booking.objects.filter(
            room_id=booking.room_id,
            status__in=BLOCKING,
            starts_at__lt=blocked_until,
            blocked_until__gt=start,
        )
        .exclude(pk=booking.pk)
        .exists()
    )


def _blocked_until(booking: Booking, end: dt.datetime) -> dt.datetime:
    return end + dt.timedelta(minutes=booking.room.buffer_minutes)


def reschedule_request(
    *, booking: Booking, user, start: dt.datetime, end: dt.datetime, now=None
) -> Reschedule:
    """The client asks for [start, end) instead; the studio's owner is told."""
    now = now or timezone.now()
    if booking.client_id != user.pk:
        raise BookingStateError("Only the booking's client can ask to move it.")
    if booking.status not in MOVABLE or booking.starts_at <= now:
        raise BookingStateError("This booking can no longer be moved.")
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    if (start, end) == (booking.starts_at, booking.ends_at):
        raise SlotUnavailable("That is the booking's time already; pick another one.")
    check_time(booking.room, start, end, now)
    if _clash(booking, start, _blocked_until(booking, end)):
        raise SlotTaken(TAKEN)
    price = reprice(booking=booking, start=start, end=end)
    try:
        with transaction.atomic():
            found = Reschedule.objects.create(
                booking=booking,
                starts_at=start,
                ends_at=end,
                price_lines=price.lines,
                total=price.total,
                platform_fee=price.platform_fee,
                deposit=price.deposit,
                created_at=now,
            )
    except IntegrityError as error:
        raise BookingStateError(
            "A change of time is already waiting for the studio's answer."
        ) from error
    booking_notify(booking, event="reschedule_requested", once_per=str(found.pk))
    return found


def reschedule_decline(*, reschedule: Reschedule, now=None) -> Reschedule:
    moved = Reschedule.objects.filter(pk=reschedule.pk, status=RescheduleStatus.REQUESTED).update(
        status=RescheduleStatus.DECLINED, decided_at=now or timezone.now()
    )
    reschedule.refresh_from_db()
    if not moved:
        raise BookingStateError("This change of time has been answered already.")
    booking_notify(reschedule.booking, event="reschedule_declined", once_per=str(reschedule.pk))
    return reschedule


def reschedule_accept(*, reschedule: Reschedule, now=None) -> Reschedule:
    """Move the booking (never onto another booking) and settle the deposit difference of a
    paid booking: a refund now, or a payment the client makes at the checkout."""
    now = now or timezone.now()
    booking = reschedule.booking
    end = reschedule.ends_at
    try:
        with transaction.atomic():
            answered = Reschedule.objects.filter(
                pk=reschedule.pk, status=RescheduleStatus.REQUESTED
            ).update(status=RescheduleStatus.ACCEPTED, decided_at=now)
            if not answered:
                raise BookingStateError("This change of time has been answered already.")
            if _clash(booking, reschedule.starts_at, _blocked_until(booking, end)):
                raise SlotTaken(TAKEN)
            booking = Booking.objects.select_for_update().get(pk=booking.pk)
            moved = Booking.objects.filter(
                pk=booking.pk, status__in=MOVABLE, starts_at__gt=now
            ).update(
                starts_at=reschedule.starts_at,
                ends_at=end,
                blocked_until=_blocked_until(booking, end),
                price_lines=reschedule.price_lines,
                total=reschedule.total,
                platform_fee=reschedule.platform_fee,
                deposit=reschedule.deposit,
                revision=F("revision") + 1,
            )
            if not moved:
                raise BookingStateError("This booking can no longer be moved.")
            difference = 0
            if booking.status == BookingStatus.CONFIRMED:
                difference = reschedule.deposit - booking.deposit
                Reschedule.objects.filter(pk=reschedule.pk).update(difference=difference)
            if difference < 0:  # in the same transaction: moved and refunded, or neither
                _refund_difference(booking, -difference)
    except IntegrityError as error:
        if CONSTRAINT in str(error):
            raise SlotTaken(TAKEN) from error
        raise
    reschedule.refresh_from_db()
    booking.refresh_from_db()
    booking_notify(booking, event="rescheduled", once_per=str(reschedule.pk))
    return reschedule


def _refund_difference(booking: Booking, amount: int) -> None:
    payment = payment_for(purpose=PURPOSE, purpose_id=str(booking.pk))
    if payment is None or payment.status not in CHARGED:
        return
    amount = min(amount, payment.amount - payment.amount_refunded)
    if amount > 0:
        payment_refund(payment=payment, amount=amount, reason="booking moved to a lower price")
        Booking.objects.filter(pk=booking.pk).update(refunded=F("refunded") + amount)


def difference_due(booking: Booking) -> Reschedule | None:
    """The accepted change whose higher deposit the client has still to pay, if any."""
    for found in booking.reschedules.filter(
        status=RescheduleStatus.ACCEPTED, difference__gt=0
    ).order_by("-decided_at"):
        paid = Payment.objects.filter(
            purpose=CHANGE_PURPOSE, purpose_id=str(found.pk), status__in=CHARGED
        )
        if not paid.exists():
            return found
    return None


def difference_checkout_start(
    *, reschedule: Reschedule, success_url: str, cancel_url: str
) -> Checkout:
    """The hosted checkout for a moved booking's higher deposit."""
    booking = reschedule.booking
    if reschedule.difference <= 0 or booking.status != BookingStatus.CONFIRMED:
        raise BookingStateError("Nothing is due for this change of time.")
    return checkout_start(
        payer=booking.client,
        purpose=CHANGE_PURPOSE,
        purpose_id=str(reschedule.pk),
        lines=[Line(f"Moved: {booking_label(booking)} (price difference)", reschedule.difference)],
        currency=booking.currency,
        payee=booking.room.studio.owner,
        fee_rule=FEE_RULE,
        success_url=success_url,
        cancel_url=cancel_url,
    )


def move_context(booking: Booking, *, is_client: bool) -> dict:
    """What the booking page shows of moves: the open request, a due difference, and whether
    the client may ask for another time."""
    movable = booking.status in MOVABLE and booking.starts_at > timezone.now()
    waiting = booking.reschedules.filter(status=RescheduleStatus.REQUESTED).first()
    return {
        "waiting": waiting,
        "due": difference_due(booking) if is_client else None,
        "can_ask": is_client and movable and waiting is None,
    }


class ChangePayments:
    """The payments handler of purpose "booking_change" (a moved booking's difference)."""

    def title(self, payment) -> str:
        found = Reschedule.objects.filter(pk=payment.purpose_id).first()
        return f"Moved booking: {booking_label(found.booking)}" if found else ""

    def on_paid(self, payment) -> None:
        """Nothing moves: the booking was moved when the studio accepted."""

    def on_refunded(self, payment, refund) -> None:
        """Refunds start here (a cancellation)."""
