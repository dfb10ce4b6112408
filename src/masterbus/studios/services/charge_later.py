"""Bookings far ahead: the client saves a card when requesting, the studio's acceptance
charges it off-session. A card hold would expire (about 7 days) before a session weeks away,
so nothing is held; the booking is charged when it is accepted. A declined charge leaves it
awaiting payment (it expires if unpaid in time) and tells the client to pay at the checkout.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from masterbus.payments.errors import ChargeDeclined, ProviderUnavailable
from masterbus.payments.selectors import saved_card_for
from masterbus.payments.services import SetupCheckout, charge_saved, setup_start
from masterbus.studios.errors import BookingStateError
from masterbus.studios.models import Booking, BookingStatus
from masterbus.studios.pricing import FEE_RULE
from masterbus.studios.services.notices import booking_notify
from masterbus.studios.services.payment import PURPOSE, booking_lines


def charges_later(booking: Booking, now: dt.datetime | None = None) -> bool:
    """True if the session starts more than BOOKING_CHARGE_LATER_DAYS from now."""
    later = dt.timedelta(days=settings.BOOKING_CHARGE_LATER_DAYS)
    return booking.starts_at > (now or timezone.now()) + later


def saved_card(booking: Booking):
    return saved_card_for(purpose=PURPOSE, purpose_id=str(booking.pk))


def booking_card_save_start(
    *, booking: Booking, success_url: str, cancel_url: str
) -> SetupCheckout:
    """The provider's page where the client of a request far ahead saves the card charged when
    the studio accepts."""
    if booking.status != BookingStatus.REQUESTED or not charges_later(booking):
        raise BookingStateError(
            "A card is saved only for a request more than "
            f"{settings.BOOKING_CHARGE_LATER_DAYS} days ahead that waits for the studio."
        )
    return setup_start(
        payer=booking.client,
        purpose=PURPOSE,
        purpose_id=str(booking.pk),
        currency=booking.currency,
        success_url=success_url,
        cancel_url=cancel_url,
    )


def booking_payment_request(*, booking: Booking) -> None:
    """After acceptance: charge the saved card if there is one (the webhook confirms the
    booking), else, or if it is declined, ask the client to pay at the checkout."""
    card = saved_card(booking)
    if card is None:
        booking_notify(booking)
        return
    try:
        charge_saved(
            setup=card,
            lines=booking_lines(booking),
            currency=booking.currency,
            payee=booking.room.studio.owner,
            fee_rule=FEE_RULE,
        )
    except (ChargeDeclined, ProviderUnavailable):
        booking_notify(booking, event="charge_declined")
