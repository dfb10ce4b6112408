"""Reviews from real bookings only: after a completed session that was paid, the client may
review the studio and the studio the client, once each."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from masterbus.payments.models import PaymentStatus
from masterbus.payments.selectors import payment_for
from masterbus.studios.errors import BookingStateError
from masterbus.studios.models import Booking, BookingStatus, Review, ReviewSide
from masterbus.studios.services.payment import PURPOSE

PAID = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED)


def review_side(booking: Booking, user) -> str | None:
    """Which side the user reviews from on this booking, or None (not a party to it)."""
    if user.pk == booking.client_id:
        return ReviewSide.CLIENT
    if user.pk == booking.room.studio.owner_id:
        return ReviewSide.STUDIO
    return None


def review_open(booking: Booking, user) -> bool:
    """Whether the user may still review this booking."""
    side = review_side(booking, user)
    if side is None or booking.status != BookingStatus.COMPLETED:
        return False
    payment = payment_for(purpose=PURPOSE, purpose_id=str(booking.pk))
    if payment is None or payment.status not in PAID:
        return False
    return not booking.reviews.filter(side=side).exists()


def review_create(*, booking: Booking, author, rating: int, text: str = "") -> Review:
    if not review_open(booking, author):
        raise BookingStateError(
            "Reviews are for the two sides of a completed, paid session, once each."
        )
    review = Review(
        booking=booking, author=author, side=review_side(booking, author), rating=rating, text=text
    )
    review.full_clean(exclude=["booking", "author"])
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:  # the other tab got there first
        raise BookingStateError("You have reviewed this booking already.") from error
    return review
