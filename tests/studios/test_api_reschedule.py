"""Moving a booking through the API: the client asks, the studio's owner accepts or declines,
with the page flow's services and rules; refusals are 4xx (a stranger's booking or request is a
404, an answered request a 409, an out-of-range or naive time a 400)."""

from __future__ import annotations

import datetime as dt

import pytest

from masterbus.studios.models import Booking, RescheduleStatus
from masterbus.studios.services.bookings import booking_create
from tests.platform.fixtures import make_user
from tests.studios.conftest import make_room, make_studio
from tests.studios.test_api import api_for
from tests.studios.test_reschedule import at

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def booking(owner, client_user) -> Booking:
    studio = make_studio(owner, opens=dt.time(0), closes=dt.time(0), instant_book=True)
    room = make_room(studio, hourly_rate=5000, minimum_hours=1, buffer_minutes=30)
    start = at(60)
    return booking_create(client=client_user, room=room, start=start, end=start + 2 * HOUR)


def test_the_client_asks_and_the_owner_accepts_the_booking_moves(booking, client_user, owner):
    client_api, owner_api = api_for(client_user), api_for(owner)
    new_start = booking.starts_at + 24 * HOUR
    url = f"/api/v1/bookings/{booking.pk}/reschedule"
    asked = client_api.post(url, {"start": new_start.isoformat(), "hours": 1})
    assert asked.status_code == 201, asked.content
    move = asked.json()
    assert (move["status"], move["total"], move["booking_id"]) == (
        "requested",
        5000,
        str(booking.pk),
    )
    again = client_api.post(url, {"start": (new_start + HOUR).isoformat(), "hours": 1})
    assert again.status_code == 409 and again.json()["code"] == "booking_state"
    assert owner_api.post(url, {"start": new_start.isoformat(), "hours": 1}).status_code == 404
    listed = owner_api.get(f"/api/v1/bookings/{booking.pk}/reschedules").json()
    assert [r["id"] for r in listed] == [move["id"]]
    assert client_api.post(f"/api/v1/reschedules/{move['id']}/accept").status_code == 404
    accepted = owner_api.post(f"/api/v1/reschedules/{move['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    booking.refresh_from_db()
    assert (booking.starts_at, booking.ends_at) == (new_start, new_start + HOUR)
    answered = owner_api.post(f"/api/v1/reschedules/{move['id']}/decline")
    assert answered.status_code == 409 and answered.json()["code"] == "booking_state"


def test_the_owner_declines_and_bad_times_are_refused_not_server_errors(
    booking, client_user, owner
):
    client_api, owner_api = api_for(client_user), api_for(owner)
    url = f"/api/v1/bookings/{booking.pk}/reschedule"
    for start, hours, status in [
        ((booking.starts_at + 24 * HOUR).replace(tzinfo=None).isoformat(), 1, 400),  # no offset
        ("9999-12-31T23:00:00+00:00", 24, 400),  # would overflow
        ("0001-01-01T00:30:00+01:00", 1, 400),
        (booking.starts_at.isoformat(), 2, 400),  # its time already
        ((booking.starts_at - 100 * HOUR).isoformat(), 1, 400),  # in the past
        ("2026-01-01T10:00:00\x00+00:00", 1, 422),
        ((booking.starts_at + 24 * HOUR).isoformat(), 25, 422),
    ]:
        answer = client_api.post(url, {"start": start, "hours": hours})
        assert answer.status_code == status, (start, answer.content)
    empty = client_api.post(url, {})
    assert empty.status_code == 400 and empty.json()["field"] == "hours"
    stranger = api_for(make_user("stranger@example.com"))
    new_start = (booking.starts_at + 48 * HOUR).isoformat()
    assert stranger.post(url, {"start": new_start, "hours": 1}).status_code == 404
    move = client_api.post(url, {"start": new_start, "hours": 2}).json()
    assert stranger.post(f"/api/v1/reschedules/{move['id']}/decline").status_code == 404
    assert stranger.get(f"/api/v1/bookings/{booking.pk}/reschedules").status_code == 404
    declined = owner_api.post(f"/api/v1/reschedules/{move['id']}/decline")
    assert declined.json()["status"] == RescheduleStatus.DECLINED
    booking.refresh_from_db()
    assert booking.starts_at == at(60)
