"""Studios and bookings in the export and the deletion (P30, P32): found generically; a deleted
client's or owner's bookings stay (financial records) with the link to them cut."""

from __future__ import annotations

import datetime as dt

import pytest

from masterbus.rights.deletion import user_purge
from masterbus.rights.personal import personal_rows
from masterbus.studios import selectors
from masterbus.studios.models import Booking, Studio
from masterbus.studios.services.bookings import booking_create
from tests.studios.conftest import next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(client_user, room):
    start = next_weekday(1, dt.time(14))
    return booking_create(
        client=client_user, room=room, start=start, end=start + dt.timedelta(hours=2)
    )


def test_the_export_finds_a_clients_bookings_and_an_owners_studio(booking, client_user, owner):
    assert booking in personal_rows(client_user)[Booking]
    assert booking.room.studio in personal_rows(owner)[Studio]


def test_deleting_the_client_keeps_the_booking_without_them(booking, client_user):
    user_purge(user=client_user)
    booking.refresh_from_db()
    assert booking.client is None and booking.total > 0


def test_deleting_the_owner_unlists_the_studio_and_keeps_its_bookings(booking, owner, client_user):
    user_purge(user=owner)
    booking.refresh_from_db()
    assert booking.room.studio.owner is None
    assert not selectors.rooms_bookable().exists() and not selectors.studios_listed().exists()
    assert list(selectors.bookings_of_client(client_user)) == [booking]
