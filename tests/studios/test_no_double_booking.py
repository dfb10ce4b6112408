"""No double booking, ever: 50 clients at once for one slot get exactly one booking, through the
service and through the web server.

Each thread has its own database connection (Django's are per thread). On SQLite the service's
transaction is BEGIN IMMEDIATE, so the check-then-insert runs one writer at a time; on
PostgreSQL (the scale-out run) the exclusion constraint refuses every overlapping insert, which
the second test shows directly, under the service's own check.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import Client

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


def test_fifty_concurrent_booking_requests_over_http_make_exactly_one(owner, live_server):
    """The same through the web server: 50 signed-in browsers post the booking form at once."""
    room = make_room(make_studio(owner), buffer_minutes=15)
    start = next_weekday(2, dt.time(15))
    form = {"room": str(room.pk), "start": start.astimezone(dt.UTC).isoformat(), "hours": "2"}
    sessions = []
    for n in range(ATTEMPTS):
        browser = Client()
        browser.force_login(make_adult(f"h{n}@example.com"))
        session = requests.Session()
        session.cookies.set(
            settings.SESSION_COOKIE_NAME, browser.cookies[settings.SESSION_COOKIE_NAME].value
        )
        page = session.get(f"{live_server.url}/studios/book", params=form, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        sessions.append((session, token))
    go = threading.Barrier(ATTEMPTS)

    def post(pair) -> int:
        session, token = pair
        go.wait()
        answer = session.post(
            f"{live_server.url}/studios/book",
            data={**form, "csrfmiddlewaretoken": token},
            headers={"Referer": live_server.url},
            allow_redirects=False,
            timeout=60,
        )
        return answer.status_code

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        statuses = Counter(pool.map(post, sessions))
    assert statuses == {302: 1, 409: ATTEMPTS - 1}
    assert Booking.objects.filter(room=room).count() == 1
