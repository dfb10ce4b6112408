"""The owner's management page: rooms, weekly hours (past midnight too), closed days and
add-ons, each bounded and each only for the studio's owner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from masterbus.studios import selectors
from masterbus.studios.models import HoursException, OpeningHours
from tests.platform.fixtures import make_user
from tests.studios.conftest import make_room

pytestmark = pytest.mark.django_db


def test_an_owner_adds_rooms_hours_closed_days_and_addons(client, owner, studio):
    client.force_login(owner)
    manage = reverse("studios:manage", args=[studio.pk])
    assert "Opening hours" in client.get(manage).content.decode()
    room = {
        "name": "B",
        "hourly_rate": 3000,
        "minimum_hours": 2,
        "buffer_minutes": 15,
        "capacity": 4,
    }
    assert client.post(reverse("studios:room_add", args=[studio.pk]), room).status_code == 302
    assert studio.rooms.get().hourly_rate == 3000
    week = {"opens_4": "20:00", "closes_4": "04:00", "opens_5": "12:00", "closes_5": "18:00"}
    assert client.post(reverse("studios:hours_save", args=[studio.pk]), week).status_code == 302
    hours = sorted(
        OpeningHours.objects.filter(studio=studio).values_list("weekday", "opens", "closes")
    )
    assert hours == [(4, dt.time(20), dt.time(4)), (5, dt.time(12), dt.time(18))]
    friday = dt.date(2026, 12, 11)
    slots = selectors.room_free_slots(studio.rooms.get(), friday, friday)
    assert len(slots) == 8  # 20:00 to 04:00 next morning
    closed = {"starts_on": "2026-12-24", "ends_on": "2026-12-26", "note": "Christmas"}
    assert client.post(reverse("studios:closed_add", args=[studio.pk]), closed).status_code == 302
    assert HoursException.objects.get().closed
    special = {"starts_on": "2026-12-31", "ends_on": "2026-12-31", "opens": "10:00"}
    answer = client.post(reverse("studios:closed_add", args=[studio.pk]), special)
    assert answer.status_code == 400 and "both times" in answer.content.decode()
    addon = {"name": "Engineer", "price": 2500, "unit": "per_hour"}
    assert client.post(reverse("studios:addon_add", args=[studio.pk]), addon).status_code == 302
    assert studio.addons.get().name == "Engineer"


def test_bad_hours_and_limits_are_refused_with_the_reason(client, owner, studio, settings):
    client.force_login(owner)
    answer = client.post(reverse("studios:hours_save", args=[studio.pk]), {"opens_0": "10:00"})
    assert answer.status_code == 400 and "Monday: give both times" in answer.content.decode()
    settings.STUDIO_MAX_ROOMS = 1
    make_room(studio)
    room = {"name": "C", "hourly_rate": 1, "minimum_hours": 1, "buffer_minutes": 0, "capacity": 1}
    answer = client.post(reverse("studios:room_add", args=[studio.pk]), room)
    assert answer.status_code == 400 and "at most 1 rooms" in answer.content.decode()


def test_someone_elses_studio_is_not_found(client, studio):
    client.force_login(make_user("other@example.com"))
    assert client.get(reverse("studios:manage", args=[studio.pk])).status_code == 404
    room = {"name": "X", "hourly_rate": 1, "minimum_hours": 1, "buffer_minutes": 0, "capacity": 1}
    assert client.post(reverse("studios:room_add", args=[studio.pk]), room).status_code == 404
    assert not studio.rooms.exists()
