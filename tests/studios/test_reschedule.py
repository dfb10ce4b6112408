"""Moving a booking: the client asks for a new time, the studio accepts (the booking moves, never
onto another booking; the deposit difference is refunded or paid at the checkout; the agreement
and the .ics show the new time) or declines; both sides are told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from masterbus.messaging.models import Notification
from masterbus.payments.models import Payment, PaymentStatus
from masterbus.studios import feeds
from masterbus.studios.errors import BookingStateError, SlotTaken
from masterbus.studios.models import Booking, BookingStatus, RescheduleStatus
from masterbus.studios.services.bookings import booking_cancel, booking_create
from masterbus.studios.services.payment import booking_checkout_start
from masterbus.studios.services.reschedule import (
    reschedule_accept,
    reschedule_decline,
    reschedule_request,
)
from tests.studios.conftest import make_adult, make_room, make_studio

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)
PAGE = "https://masterbus.test/booking"


@pytest.fixture
def open_room(owner):
    studio = make_studio(owner, opens=dt.time(0), closes=dt.time(0), instant_book=True)
    return make_room(studio, hourly_rate=5000, minimum_hours=1, buffer_minutes=30)


def at(hours: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)


def paid_booking(server, client, client_user, room, *, ahead=60, hours=2) -> Booking:
    start = at(ahead)
    booking = booking_create(client=client_user, room=room, start=start, end=start + hours * HOUR)
    checkout = booking_checkout_start(booking=booking, success_url=PAGE, cancel_url=PAGE)
    server.pay(checkout.url)
    server.deliver_new(client)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.deposit == hours * 5000
    return booking


def test_a_shorter_new_time_moves_the_booking_and_refunds_the_difference(
    payments_server, client, client_user, owner, open_room
):
    booking = paid_booking(payments_server, client, client_user, open_room)
    new_start = booking.starts_at + 24 * HOUR
    move = reschedule_request(
        booking=booking, user=client_user, start=new_start, end=new_start + HOUR
    )
    assert Notification.objects.filter(user=owner, title__contains="asks to move").exists()
    assert (move.total, move.deposit) == (5000, 5000)
    reschedule_accept(reschedule=move)
    payments_server.deliver_new(client)
    booking.refresh_from_db()
    move.refresh_from_db()
    assert (booking.starts_at, booking.ends_at) == (new_start, new_start + HOUR)
    assert booking.blocked_until == new_start + HOUR + dt.timedelta(minutes=30)
    assert (booking.total, booking.deposit, booking.revision) == (5000, 5000, 1)
    assert booking.price_lines[0]["description"] == f"{open_room.name}, 1 h"
    assert move.status == RescheduleStatus.ACCEPTED and move.difference == -5000
    payment = Payment.objects.get(purpose="booking")
    assert payment.amount_refunded == 5000 == booking.refunded
    for user in (client_user, owner):
        assert Notification.objects.filter(user=user, title__contains="moved").exists()
    feed = client.get(feeds.user_feed_path(client_user))
    [event] = Calendar.from_ical(feed.content).walk("VEVENT")
    assert event.decoded("dtstart") == new_start and event["sequence"] == 1


def test_a_longer_new_time_is_paid_at_the_checkout_and_refunded_on_cancellation(
    payments_server, client, client_user, owner, open_room
):
    booking = paid_booking(payments_server, client, client_user, open_room, ahead=200)
    new_start = booking.starts_at + 24 * HOUR
    move = reschedule_request(
        booking=booking, user=client_user, start=new_start, end=new_start + 3 * HOUR
    )
    client.force_login(owner)
    client.post(reverse("studios:reschedule_accept", args=[move.pk]))
    move.refresh_from_db()
    assert move.difference == 5000
    client.force_login(client_user)
    page = client.get(reverse("studios:booking", args=[booking.pk])).content.decode()
    assert "The new time costs more" in page
    answer = client.post(reverse("studios:reschedule_difference_pay", args=[booking.pk]))
    assert payments_server.pay(answer.url).status_code == 303
    payments_server.deliver_new(client)
    change = Payment.objects.get(purpose="booking_change")
    assert change.status == PaymentStatus.PAID and change.amount == 5000
    page = client.get(reverse("studios:booking", args=[booking.pk])).content.decode()
    assert "The new time costs more" not in page
    booking.refresh_from_db()
    booking_cancel(booking=booking, by_studio=True)  # both payments go back in full
    payments_server.deliver_new(client)
    assert booking.refunded == 15000
    assert set(Payment.objects.values_list("status", flat=True)) == {PaymentStatus.REFUNDED}


def test_a_move_onto_another_booking_is_refused_at_request_and_at_acceptance(
    payments_server, client, client_user, owner, open_room
):
    booking = paid_booking(payments_server, client, client_user, open_room)
    other = make_adult("other@example.com")
    free = booking.starts_at + 24 * HOUR
    move = reschedule_request(booking=booking, user=client_user, start=free, end=free + HOUR)
    # meanwhile someone else books that time (the request does not hold it)
    booking_create(client=other, room=open_room, start=free, end=free + HOUR)
    with pytest.raises(SlotTaken):
        reschedule_accept(reschedule=move)
    booking.refresh_from_db()
    move.refresh_from_db()
    assert booking.starts_at == free - 24 * HOUR and move.status == RescheduleStatus.REQUESTED
    reschedule_decline(reschedule=move)
    assert Notification.objects.filter(user=client_user, title__contains="cannot move").exists()
    inside_buffer = free + HOUR  # the other booking's 30 minutes changeover
    with pytest.raises(SlotTaken):
        reschedule_request(
            booking=booking, user=client_user, start=inside_buffer, end=inside_buffer + HOUR
        )


def test_only_the_client_asks_and_only_once_at_a_time(
    payments_server, client, client_user, owner, open_room
):
    booking = paid_booking(payments_server, client, client_user, open_room)
    new_start = booking.starts_at + 24 * HOUR
    with pytest.raises(BookingStateError):
        reschedule_request(booking=booking, user=owner, start=new_start, end=new_start + HOUR)
    reschedule_request(booking=booking, user=client_user, start=new_start, end=new_start + HOUR)
    with pytest.raises(BookingStateError):
        reschedule_request(
            booking=booking, user=client_user, start=new_start, end=new_start + 2 * HOUR
        )


def test_the_booking_page_form_asks_in_the_studios_zone_and_strangers_cannot_answer(
    payments_server, client, client_user, owner, open_room
):
    booking = paid_booking(payments_server, client, client_user, open_room)
    local = (booking.starts_at + 48 * HOUR).astimezone(open_room.studio.zone)
    client.force_login(client_user)
    client.post(
        reverse("studios:reschedule_request", args=[booking.pk]),
        {"day": local.date().isoformat(), "at": local.strftime("%H:%M"), "hours": 2},
    )
    move = booking.reschedules.get()
    assert move.starts_at == booking.starts_at + 48 * HOUR
    stranger = make_adult("stranger@example.com")
    client.force_login(stranger)
    assert client.post(reverse("studios:reschedule_accept", args=[move.pk])).status_code == 404
    client.force_login(client_user)  # the client cannot accept their own request
    assert client.post(reverse("studios:reschedule_accept", args=[move.pk])).status_code == 404
    client.force_login(owner)
    page = client.get(reverse("studios:booking", args=[booking.pk])).content.decode()
    assert "Accept the new time" in page
