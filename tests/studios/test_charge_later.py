"""Bookings far ahead: the client saves a card with the request (setup-mode Checkout), the
studio's acceptance charges it off-session (paid by the signed webhook, which confirms the
booking); a card declined off-session leaves the booking unconfirmed and tells the client to
pay at the hosted checkout. All through the stripe library and our test server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from masterbus.messaging.models import Notification
from masterbus.payments.models import Payment, PaymentSetup, PaymentStatus, SetupStatus
from masterbus.payments.testserver.store import DECLINES_OFF_SESSION
from masterbus.studios.errors import BookingStateError
from masterbus.studios.models import BookingStatus
from masterbus.studios.services.bookings import booking_create
from masterbus.studios.services.charge_later import booking_card_save_start, charges_later
from tests.studios.conftest import make_room, make_studio

pytestmark = pytest.mark.django_db
PAGE = "https://masterbus.test/booking"


@pytest.fixture
def far_room(owner):
    """Request-to-book, open round the clock, 40 % deposit."""
    studio = make_studio(owner, opens=dt.time(0), closes=dt.time(0), deposit_percent=40)
    return make_room(studio, hourly_rate=5000, minimum_hours=1)


def request(client_user, room, *, days: int):
    start = (timezone.now() + dt.timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    return booking_create(
        client=client_user, room=room, start=start, end=start + dt.timedelta(hours=2)
    )


def save_card(server, client, client_user, booking, card="4242 4242 4242 4242"):
    client.force_login(client_user)
    answer = client.post(reverse("studios:booking_save_card", args=[booking.pk]))
    assert answer.status_code == 302 and answer.url.startswith(server.url + "/pay/")
    assert server.pay(answer.url, card).status_code == 303
    for delivered in server.deliver_new(client):
        assert delivered.status_code == 200


def accept(client, owner, booking):
    client.force_login(owner)
    answer = client.post(reverse("studios:booking_accept", args=[booking.pk]))
    assert answer.status_code == 302


def test_a_saved_card_is_charged_when_the_studio_accepts(
    payments_server, client, client_user, owner, far_room
):
    booking = request(client_user, far_room, days=20)
    assert charges_later(booking) and booking.deposit == 4000
    client.force_login(client_user)
    page = client.get(reverse("studios:booking", args=[booking.pk])).content.decode()
    assert "Save a card" in page and "Pay " not in page
    save_card(payments_server, client, client_user, booking)
    [setup] = PaymentSetup.objects.all()
    assert setup.status == SetupStatus.READY and setup.payer == client_user
    assert not Payment.objects.exists()  # nothing charged while the studio decides
    page = client.get(reverse("studios:booking", args=[booking.pk])).content.decode()
    assert "Card saved: Visa ending 4242" in page and "Save a card" not in page

    accept(client, owner, booking)
    [payment] = Payment.objects.all()
    assert payment.amount == 4000 and payment.checkout_session_id is None
    for delivered in payments_server.deliver_new(client):
        assert delivered.status_code == 200
    booking.refresh_from_db()
    payment.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and payment.status == PaymentStatus.PAID
    assert payment.payee == owner and (payment.payee_share, payment.platform_fee) == (3400, 600)
    assert not Notification.objects.filter(user=client_user, title__contains="please pay").exists()


def test_a_declined_saved_card_leaves_the_booking_unpaid_and_the_client_pays_at_checkout(
    payments_server, client, client_user, owner, far_room
):
    booking = request(client_user, far_room, days=20)
    save_card(payments_server, client, client_user, booking, DECLINES_OFF_SESSION)
    accept(client, owner, booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_PAYMENT and booking.expires_at is not None
    assert Payment.objects.get().status == PaymentStatus.FAILED
    told = Notification.objects.get(user=client_user, title__contains="declined")
    assert told.url == reverse("studios:booking", args=[booking.pk])
    payments_server.deliver_new(client)  # the failure event changes nothing
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_PAYMENT

    client.force_login(client_user)
    answer = client.post(reverse("studios:booking_pay", args=[booking.pk]))
    assert payments_server.pay(answer.url).status_code == 303
    payments_server.deliver_new(client)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1


def test_without_a_saved_card_acceptance_asks_the_client_to_pay(
    payments_server, client, client_user, owner, far_room
):
    booking = request(client_user, far_room, days=20)
    accept(client, owner, booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_PAYMENT and not Payment.objects.exists()
    assert Notification.objects.filter(user=client_user, title__contains="please pay").exists()


def test_no_card_is_saved_for_a_booking_within_the_week(client_user, far_room):
    booking = request(client_user, far_room, days=3)
    assert not charges_later(booking)
    with pytest.raises(BookingStateError):
        booking_card_save_start(booking=booking, success_url=PAGE, cancel_url=PAGE)
