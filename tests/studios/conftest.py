"""Studios for the tests: an approved studio in Berlin with a room open every day, an adult
client; built through the real services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from masterbus.accounts.models import User
from masterbus.studios.models import Room, Studio
from masterbus.studios.services.age import adult_confirm
from masterbus.studios.services.studios import (
    addon_create,
    hours_set,
    room_create,
    studio_apply,
    studio_approve,
)
from tests.platform.fixtures import make_user
from tests.support.payments import payments_server  # noqa: F401  (the fixture)

ADULT_BIRTHDAY = dt.date(1990, 5, 17)


def make_adult(email: str) -> User:
    user = make_user(email)
    adult_confirm(user=user, born=ADULT_BIRTHDAY)
    return user


def make_studio(
    owner: User,
    *,
    zone: str = "Europe/Berlin",
    opens: dt.time = dt.time(10),
    closes: dt.time = dt.time(22),
    name: str = "Hansa Tonstudio",
    **fields,
) -> Studio:
    """An approved studio with the same hours every day."""
    studio = studio_apply(
        owner=owner, name=name, city="Berlin", address="Köthener Str. 38", time_zone=zone, **fields
    )
    studio_approve(staff_user=staff(), studio=studio)
    hours_set(studio=studio, week={day: [(opens, closes)] for day in range(7)})
    return studio


def make_room(studio: Studio, **fields) -> Room:
    fields = {"name": "Studio 2", "hourly_rate": 4500, "equipment": "Neve 8078\nU 47", **fields}
    return room_create(studio=studio, **fields)


def staff() -> User:
    found = User.objects.filter(email="staff@example.com").first()
    return found or User.objects.create_superuser("staff@example.com", "correct horse battery")


def next_weekday(weekday: int, at: dt.time, zone: str = "Europe/Berlin") -> dt.datetime:
    """The next such weekday (at least two days ahead) at a local time, aware in the zone."""
    from zoneinfo import ZoneInfo

    day = timezone.now().astimezone(ZoneInfo(zone)).date() + dt.timedelta(days=2)
    day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    return dt.datetime.combine(day, at, tzinfo=ZoneInfo(zone))


@pytest.fixture
def owner(db) -> User:
    return make_user("owner@example.com")


@pytest.fixture
def client_user(db) -> User:
    return make_adult("client@example.com")


@pytest.fixture
def studio(owner) -> Studio:
    return make_studio(owner)


@pytest.fixture
def room(studio) -> Room:
    return make_room(studio, buffer_minutes=30, minimum_hours=2)


@pytest.fixture
def engineer(studio):
    return addon_create(studio=studio, name="Engineer", price=3000, unit="per_hour")
