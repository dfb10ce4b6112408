"""Calendar feeds: they parse, their times are the booked instants on both sides of a DST
change, the token is the only credential and a forged one shows nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from masterbus.studios import feeds
from masterbus.studios.models import Booking, BookingStatus
from tests.studios.conftest import make_adult, make_room, make_studio

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


def booked(room, client, start: dt.datetime, hours: int, status=BookingStatus.CONFIRMED) -> Booking:
    """A booking row at a fixed date (the service refuses past or far dates; feeds do not care),
    ``hours`` real hours long (added in UTC: same-zone arithmetic would add wall-clock hours)."""
    start = start.astimezone(dt.UTC)
    return Booking.objects.create(
        room=room,
        client=client,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        blocked_until=start + dt.timedelta(hours=hours),
        status=status,
        currency="USD",
        total=1,
        platform_fee=0,
        deposit=1,
        policy="moderate",
    )


def events(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    return sorted(
        Calendar.from_ical(response.content).walk("VEVENT"), key=lambda e: e.decoded("dtstart")
    )


def test_feeds_parse_and_keep_real_times_across_dst(client, owner):
    room = make_room(make_studio(owner, zone="America/New_York", name="Electric Lady"))
    person = make_adult("c@example.com")
    # 00:00 to 04:00 local on the fall-back night is 5 real hours; on the spring night, 3.
    fall = booked(room, person, dt.datetime(2026, 11, 1, 0, tzinfo=NEW_YORK), 5)
    spring = booked(room, person, dt.datetime(2026, 3, 8, 0, tzinfo=NEW_YORK), 3)
    booked(room, person, dt.datetime(2026, 6, 1, 10, tzinfo=NEW_YORK), 2, BookingStatus.DECLINED)
    for path in (feeds.room_feed_path(room), feeds.user_feed_path(person)):
        found = events(client.get(path))
        assert len(found) == 2  # the declined one is not there
        for event, booking in zip(found, [spring, fall], strict=True):
            start, end = event.decoded("dtstart"), event.decoded("dtend")
            assert (start, end) == (booking.starts_at, booking.ends_at)
            assert start.astimezone(NEW_YORK).hour == 0
            assert end.astimezone(NEW_YORK).hour == 4  # wall-clock 04:00 on both nights
        assert [e.decoded("dtend") - e.decoded("dtstart") for e in found] == [
            dt.timedelta(hours=3),
            dt.timedelta(hours=5),
        ]
    room_feed = client.get(feeds.room_feed_path(room)).content.decode()
    assert "c@example.com" not in room_feed  # busy times only, never who


def test_a_forged_or_swapped_token_shows_nothing(client, owner):
    room = make_room(make_studio(owner))
    person = make_adult("c@example.com")
    booked(room, person, timezone.now() + dt.timedelta(days=3), 2)
    good = feeds.user_feed_path(person)
    assert client.get(good).status_code == 200
    assert client.get(good.replace(".ics", "x.ics")).status_code == 404
    room_token = feeds.room_feed_path(room).rsplit("/", 1)[1]
    assert client.get(good.rsplit("/", 1)[0] + "/" + room_token).status_code == 404  # a room's
