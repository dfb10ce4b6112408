"""No double booking, ever: 50 clients at once for one slot get exactly one booking.

Each thread has its own database connection (Django's are per thread). On SQLite the service's
transaction is BEGIN IMMEDIATE, so the check-then-insert runs one writer at a time; on
PostgreSQL (the scale-out run) the exclusion constraint refuses every overlapping insert, which
the second test shows directly, under the service's own check.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import IntegrityError, connection, transaction

from masterbus.studios.errors import SlotTaken
from masterbus.studios.models import Booking, BookingStatus
from masterbus.studios.services.bookings import booking_create
from tests.studios.conftest import make_adult, make_room, make_studio, next_weekday

pytestmark = pytest.mark.django_db(transaction=True)
ATTEMPTS = 50


def test_fifty_concurrent_attempts_at_one_slot_make_exactly_one_booking(owner):
    room = make_room(make_studio(owner), buffer_minutes=15)
    clients = [make_adult(f"c{n}@example.com") for n in range(ATTEMPTS)]
    start = next_weekday(1, dt.time(14))
    # 14-17, 15-18 and 12-15: each pair overlaps (12-15 and 15-18 only by the 15 min buffer).
    shifts = [dt.timedelta(hours=0), dt.timedelta(hours=1), dt.timedelta(hours=-2)]
    go = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []

    def attempt(n: int) -> None:
        begin = start + shifts[n % 3]
        try:
            go.wait()
            booking_create(
                client=clients[n], room=room, start=begin, end=begin + dt.timedelta(hours=3)
            )
            outcomes.append("booked")
        except SlotTaken:
            outcomes.append("taken")
        except Exception as error:  # anything else (a locked database) fails the test below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(outcomes) == {"booked": 1, "taken": ATTEMPTS - 1}
    assert Booking.objects.filter(room=room).count() == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_database_itself_refuses_an_overlapping_active_booking(owner):
    """PostgreSQL: with the service's check skipped, the exclusion constraint still refuses."""
    room = make_room(make_studio(owner))
    client = make_adult("c@example.com")
    start = next_weekday(1, dt.time(14))
    first = booking_create(client=client, room=room, start=start, end=start + dt.timedelta(hours=3))
    copy = {
        f.attname: getattr(first, f.attname)
        for f in Booking._meta.concrete_fields
        if f.attname != "id"
    }
    copy["starts_at"] = start + dt.timedelta(hours=2)
    with pytest.raises(IntegrityError, match="booking_room_no_overlap"), transaction.atomic():
        Booking.objects.create(**copy)
    copy["status"] = BookingStatus.DECLINED  # a declined booking holds nothing
    Booking.objects.create(**copy)
