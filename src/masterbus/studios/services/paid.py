"""The payments app's handler for purpose "booking" (registered in StudiosConfig.ready).

The payments app calls ``on_paid`` inside the transaction that applies the provider's webhook.
A payment that arrives for a booking no longer waiting for it (expired or cancelled meanwhile,
its slot perhaps given to someone else) is refunded in full.
"""

from __future__ import annotations

import logging

from masterbus.payments.services import payment_refund
from masterbus.studios.errors import BookingStateError
from masterbus.studios.models import Booking
from masterbus.studios.services.bookings import booking_confirm
from masterbus.studios.services.payment import booking_label

logger = logging.getLogger(__name__)


class BookingPayments:
    """Confirms the booking when its payment is paid."""

    def on_paid(self, payment) -> None:
        booking = Booking.objects.filter(pk=payment.purpose_id).first()
        if booking is None:
            logger.warning("payment %s names no booking", payment.pk)
            return
        try:
            booking_confirm(booking=booking)
        except BookingStateError:
            # Expired or cancelled while the client was paying: nothing was delivered.
            payment_refund(payment=payment, reason=f"booking {booking.status} before payment")

    def title(self, payment) -> str:
        """The room, studio and local start: what the studio's earnings page names."""
        booking = (
            Booking.objects.filter(pk=payment.purpose_id).select_related("room__studio").first()
        )
        return f"Booking: {booking_label(booking)}" if booking is not None else ""

    def on_refunded(self, payment, refund) -> None:
        """Refunds start here (cancellations); nothing further to do when one is applied."""
