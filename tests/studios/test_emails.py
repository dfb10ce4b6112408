"""P24 for bookings: the booking confirmation is e-mailed to both sides when the deposit is paid
(through the payments app and its webhook), with a notification in each one's history; a request
to book is e-mailed to the studio's owner. (Reminders: test_reminders.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from masterbus.messaging.models import Notification
from masterbus.studios.models import BookingStatus
from masterbus.studios.services.bookings import booking_create
from tests.studios import test_payment
from tests.studios.conftest import next_weekday

pytestmark = pytest.mark.django_db
open_room = test_payment.open_room  # the fixture: open round the clock, instant book


def test_the_confirmation_is_emailed_to_client_and_owner_once(
    payments_server, client, client_user, owner, open_room, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking, _payment = test_payment.book_and_pay(
            payments_server, client, client_user, open_room, ahead=30
        )
    assert booking.status == BookingStatus.CONFIRMED
    confirmed = [m for m in mail.outbox if m.subject.endswith("Booking confirmed")]
    assert sorted(m.to[0] for m in confirmed) == sorted([client_user.email, owner.email])
    assert all(open_room.studio.name in m.body for m in confirmed)
    for user in (client_user, owner):
        assert Notification.objects.filter(user=user, title="Booking confirmed").count() == 1


def test_a_request_to_book_is_emailed_to_the_owner(
    client_user, owner, room, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    start = next_weekday(1, dt.time(14))
    with django_capture_on_commit_callbacks(execute=True):
        booking_create(
            client=client_user, room=room, start=start, end=start + 2 * dt.timedelta(hours=1)
        )
    requests = [m for m in mail.outbox if "New booking request" in m.subject]
    assert [m.to for m in requests] == [[owner.email]]
