"""Reminders before a confirmed session: 24 h and 1 h ahead, to both sides, once each (P24)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from masterbus.config import periodic
from masterbus.messaging.models import Notification
from masterbus.studios.models import Booking, BookingStatus
from masterbus.studios.services.bookings import booking_create
from masterbus.studios.services.reminders import booking_remind_due
from tests.studios.conftest import next_weekday

pytestmark = pytest.mark.django_db


def test_each_reminder_is_sent_once_to_client_and_owner(
    client_user, owner, room, django_capture_on_commit_callbacks
):
    start = next_weekday(3, dt.time(14))
    booking = booking_create(
        client=client_user, room=room, start=start, end=start + dt.timedelta(hours=2)
    )
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CONFIRMED)
    assert booking_remind_due(now=start - dt.timedelta(hours=30)) == 0  # too early
    day_before = start - dt.timedelta(hours=23)
    with django_capture_on_commit_callbacks(execute=True):
        assert booking_remind_due(now=day_before) == 2
    assert booking_remind_due(now=day_before) == 0  # idempotent
    assert booking_remind_due(now=start - dt.timedelta(hours=5)) == 0
    assert booking_remind_due(now=start - dt.timedelta(minutes=50)) == 2
    titles = sorted(
        Notification.objects.filter(user=client_user, kind="reminder").values_list(
            "title", flat=True
        )
    )
    assert titles == [
        "Your studio session is coming up",
        "Your studio session starts within the hour",
    ]
    assert Notification.objects.filter(user=owner, kind="reminder").count() == 2
    assert any(m.to == [client_user.email] and "coming up" in m.subject for m in mail.outbox)
    assert booking_remind_due(now=start + dt.timedelta(minutes=1)) == 0  # started: nothing


def test_the_reminders_run_with_the_periodic_jobs():
    assert "booking reminders" in periodic.run_once()
