"""Paying a booking through the payments app and the local Stripe-compatible test server: the
deposit checkout, the webhook confirming the booking, refunds by the copied tiers, a studio's
cancellation refunded in full, and a payment that arrives too late refunded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from masterbus.payments.models import Payment, PaymentStatus
from masterbus.studios.errors import BookingStateError
from masterbus.studios.models import Booking, BookingStatus, Review
from masterbus.studios.services.bookings import (
    booking_cancel,
    booking_complete_due,
    booking_create,
    booking_expire_due,
)
from masterbus.studios.services.payment import booking_checkout_start, refund_due
from masterbus.studios.services.reviews import review_create
from tests.studios.conftest import make_adult, make_room, make_studio

pytestmark = pytest.mark.django_db
PAGE = "https://masterbus.test/booking"


@pytest.fixture
def open_room(owner):
    """Open round the clock, instant book, 40 % deposit, moderate policy (5 d 100 %, 2 d 50 %)."""
    studio = make_studio(
        owner, opens=dt.time(0), closes=dt.time(0), instant_book=True, deposit_percent=40
    )
    return make_room(studio, hourly_rate=5000, minimum_hours=1)


def hours_ahead(hours: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


def book_and_pay(server, client, client_user, room, *, ahead: int):
    start = hours_ahead(ahead)
    booking = booking_create(
        client=client_user, room=room, start=start, end=start + dt.timedelta(hours=2)
    )
    assert booking.status == BookingStatus.AWAITING_PAYMENT and booking.deposit == 4000
    checkout = booking_checkout_start(booking=booking, success_url=PAGE, cancel_url=PAGE)
    assert checkout.payment.amount == 4000 and checkout.payment.payee == room.studio.owner
    assert server.pay(checkout.url).status_code == 303
    for answer in server.deliver_new(client):
        assert answer.status_code == 200
    booking.refresh_from_db()
    return booking, Payment.objects.get(pk=checkout.payment.pk)


def test_the_deposit_is_paid_through_the_hosted_page_and_confirms_the_booking(
    payments_server, client, client_user, open_room
):
    booking, payment = book_and_pay(payments_server, client, client_user, open_room, ahead=30)
    assert booking.status == BookingStatus.CONFIRMED and payment.status == PaymentStatus.PAID
    assert (payment.payee_share, payment.platform_fee) == (3400, 600)  # 15 % of the deposit


@pytest.mark.parametrize(("ahead", "percent"), [(200, 100), (72, 50), (10, 0)])
def test_a_client_cancellation_refunds_by_the_copied_tier(
    payments_server, client, client_user, open_room, ahead, percent
):
    booking, payment = book_and_pay(payments_server, client, client_user, open_room, ahead=ahead)
    open_room.studio.cancellation_policy = "flexible"  # later changes do not apply
    open_room.studio.save()
    booking_cancel(booking=booking, by_studio=False)
    payment.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED_BY_CLIENT
    assert booking.refunded == payment.amount_refunded == 4000 * percent // 100


def test_a_studio_cancellation_refunds_everything(payments_server, client, client_user, open_room):
    booking, payment = book_and_pay(payments_server, client, client_user, open_room, ahead=10)
    booking_cancel(booking=booking, by_studio=True)
    payment.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED_BY_STUDIO
    assert payment.amount_refunded == 4000 and payment.status == PaymentStatus.REFUNDED


def test_a_payment_arriving_after_expiry_is_refunded(
    payments_server, client, client_user, open_room
):
    start = hours_ahead(30)
    booking = booking_create(
        client=client_user, room=open_room, start=start, end=start + dt.timedelta(hours=1)
    )
    checkout = booking_checkout_start(booking=booking, success_url=PAGE, cancel_url=PAGE)
    assert booking_expire_due(now=booking.expires_at) == 1
    payments_server.pay(checkout.url)
    payments_server.deliver_new(client)
    payment = Payment.objects.get(pk=checkout.payment.pk)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert payment.amount_refunded == payment.amount


def test_the_pay_button_sends_the_client_to_the_hosted_checkout(
    payments_server, client, client_user, open_room
):
    start = hours_ahead(30)
    booking = booking_create(
        client=client_user, room=open_room, start=start, end=start + dt.timedelta(hours=1)
    )
    client.force_login(client_user)
    answer = client.post(reverse("studios:booking_pay", args=[booking.pk]))
    assert answer.status_code == 302 and answer.url.startswith(payments_server.url + "/pay/")


def test_refund_due_follows_the_tiers_at_their_edges(client_user, open_room):
    start = hours_ahead(300)
    booking = booking_create(
        client=client_user, room=open_room, start=start, end=start + dt.timedelta(hours=1)
    )
    at = lambda hours: start - dt.timedelta(hours=hours)  # noqa: E731
    assert refund_due(booking, paid=1001, by_studio=False, now=at(120)) == 1001
    assert refund_due(booking, paid=1001, by_studio=False, now=at(119.9)) == 501  # 50 %, half up
    assert refund_due(booking, paid=1001, by_studio=False, now=at(48)) == 501
    assert refund_due(booking, paid=1001, by_studio=False, now=at(47)) == 0
    assert refund_due(booking, paid=1001, by_studio=True, now=at(1)) == 1001


def test_both_sides_review_a_completed_paid_session_once(
    payments_server, client, client_user, owner, open_room
):
    booking, _payment = book_and_pay(payments_server, client, client_user, open_room, ahead=30)
    review = reverse("studios:booking_review", args=[booking.pk])
    client.force_login(client_user)
    client.post(review, {"rating": 5, "text": "Great room"})
    assert not Review.objects.exists()  # not completed yet
    assert booking_complete_due(now=booking.ends_at) == 1
    assert (
        "Review the studio"
        in client.get(reverse("studios:booking", args=[booking.pk])).content.decode()
    )
    client.post(review, {"rating": 5, "text": "Great room"})
    client.post(review, {"rating": 1, "text": "Changed my mind"})  # once per side
    client.force_login(owner)
    client.post(review, {"rating": 4, "text": "On time"})
    client.force_login(make_adult("stranger@example.com"))
    assert client.post(review, {"rating": 1}).status_code == 404
    assert sorted(Review.objects.values_list("side", "rating")) == [("client", 5), ("studio", 4)]
    page = client.get(reverse("studios:studio", args=[open_room.studio.pk])).content.decode()
    assert "Great room" in page and "5.0 of 5" in page and "On time" not in page


def test_an_unpaid_session_cannot_be_reviewed(client_user, open_room):
    start = hours_ahead(30)
    booking = booking_create(
        client=client_user, room=open_room, start=start, end=start + dt.timedelta(hours=1)
    )
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.COMPLETED)
    booking.refresh_from_db()
    with pytest.raises(BookingStateError):
        review_create(booking=booking, author=client_user, rating=5)


def test_the_studios_earnings_page_names_the_booking_paid_for(
    payments_server, client, client_user, owner, open_room
):
    book_and_pay(payments_server, client, client_user, open_room, ahead=30)
    client.force_login(owner)
    page = client.get(reverse("payments:earnings")).content.decode()
    assert f"Booking: {open_room.name} at {open_room.studio.name}, " in page
    assert f"({open_room.studio.time_zone})" in page
