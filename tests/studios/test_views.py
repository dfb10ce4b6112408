"""The studio pages through the test client: search, the slot picker in the visitor's zone,
the price and policy before booking, the 18+ question, the owner's answers, staff approval."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from masterbus.messaging.models import Notification, Thread
from masterbus.studios.models import Booking, BookingStatus, Studio
from masterbus.studios.services.bookings import booking_create
from masterbus.studios.services.studios import addon_create
from tests.platform.fixtures import make_user
from tests.studios.conftest import make_adult, make_room, make_studio, next_weekday, staff

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def test_search_filters_by_city_equipment_price_and_free_time(client, owner, client_user):
    berlin = make_studio(owner, genres="techno, rock")
    cheap = make_room(berlin, name="Booth", hourly_rate=2000, equipment="SM7B")
    dear = make_room(berlin, name="Live room", hourly_rate=9000, equipment="Neve 8078")
    make_studio(make_user("o2@example.com"), name="Unapproved").approved_at = None
    page = client.get(
        reverse("studios:search"), {"city": "berlin", "max_rate": 50}
    ).content.decode()
    assert "Booth" in page and "Live room" not in page
    page = client.get(reverse("studios:search"), {"equipment": "neve"}).content.decode()
    assert "Live room" in page and "Booth" not in page
    start = next_weekday(2, dt.time(12))
    booking_create(client=client_user, room=cheap, start=start, end=start + 2 * HOUR)
    query = {"day": start.date().isoformat(), "at": "12:00", "hours": 2}  # Berlin time
    page = client.get(reverse("studios:search"), query).content.decode()
    assert "Live room" in page and "Booth" not in page  # the booth is taken then
    assert (
        client.get(reverse("studios:search"), {"genre": "jazz"}).content.decode().count("<h3>") == 0
    )
    assert dear.pk


def test_the_slot_picker_shows_free_hours_in_the_visitors_zone(client, owner, client_user):
    room = make_room(make_studio(owner), buffer_minutes=0)
    start = next_weekday(1, dt.time(14))
    booking_create(client=client_user, room=room, start=start, end=start + 2 * HOUR)
    url = reverse("studios:room", args=[room.pk])
    page = client.get(url, {"from": start.date().isoformat(), "tz": "America/New_York"})
    text = page.content.decode()
    ny = (start + 2 * HOUR).astimezone(ZoneInfo("America/New_York"))
    free_after = (start + 2 * HOUR).astimezone(dt.UTC).isoformat()
    assert f'value="{free_after}"' in text  # 16:00 Berlin is free
    assert f'value="{start.astimezone(dt.UTC).isoformat()}"' not in text  # 14:00 is booked
    assert f"{ny:%H:%M} <small>16:00 at the studio</small>" in text  # 10:00 (or 11:00) in NY
    assert "Times in America/New_York; the studio is in Europe/Berlin" in text
    bad = client.get(url, {"tz": "Mars/Olympus", "from": "not a date"})
    assert bad.status_code == 200 and "Times in Europe/Berlin" in bad.content.decode()


def test_booking_page_shows_price_and_policy_before_booking_then_books(client, owner, client_user):
    studio = make_studio(owner, deposit_percent=25)
    room = make_room(studio, hourly_rate=4000, minimum_hours=2)
    engineer = addon_create(studio=studio, name="Engineer", price=2500, unit="per_hour")
    start = next_weekday(1, dt.time(14))
    client.force_login(client_user)
    query = {"start": start.astimezone(dt.UTC).isoformat(), "hours": 3, "tz": "Europe/Berlin"}
    page = client.get(reverse("studios:book"), {**query, "room": room.pk}).content.decode()
    assert "€120.00" in page and "€30.00" in page  # 3 h x 40, deposit 25 %
    assert "5 days or more before the start: 100 % of what you paid back" in page
    assert "If the studio cancels, you get everything back." in page
    answer = client.post(
        reverse("studios:book"), {**query, "room": room.pk, "addons": [engineer.pk]}
    )
    booking = Booking.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("studios:booking", args=[booking.pk])
    assert (booking.total, booking.deposit, booking.status) == (
        19500,
        4875,
        BookingStatus.REQUESTED,
    )
    assert Thread.objects.filter(subject_type="booking", subject_id=str(booking.pk)).exists()
    assert Notification.objects.filter(user=owner, title="New booking request").exists()
    again = client.post(reverse("studios:book"), {**query, "room": room.pk})
    assert again.status_code == 409 and "already booked" in again.content.decode()


def test_booking_asks_the_18_plus_question_first(client, owner):
    room = make_room(make_studio(owner))
    person = make_user("young@example.com")
    client.force_login(person)
    start = next_weekday(1, dt.time(14))
    query = {"start": start.astimezone(dt.UTC).isoformat(), "hours": 2, "room": room.pk}
    book = reverse("studios:book")
    assert "Confirm your age" in client.get(book, query).content.decode()
    refused = client.post(reverse("studios:adult_confirm"), {"born": "2015-01-01", "next": book})
    assert refused.status_code == 302
    client.post(reverse("studios:adult_confirm"), {"born": "1990-01-01", "next": book})
    person.refresh_from_db()
    assert person.age_confirmed_minimum != 18  # a refusal sticks for the session
    assert client.post(book, query).status_code == 409
    assert not Booking.objects.exists()


def test_owner_accepts_and_others_see_nothing(client, owner, client_user):
    room = make_room(make_studio(owner))
    start = next_weekday(1, dt.time(14))
    booking = booking_create(client=client_user, room=room, start=start, end=start + 2 * HOUR)
    page = reverse("studios:booking", args=[booking.pk])
    client.force_login(make_adult("stranger@example.com"))
    assert client.get(page).status_code == 404
    assert client.post(reverse("studios:booking_accept", args=[booking.pk])).status_code == 404
    assert client.post(reverse("studios:booking_cancel", args=[booking.pk])).status_code == 404
    client.force_login(client_user)
    assert client.post(reverse("studios:booking_accept", args=[booking.pk])).status_code == 404
    client.force_login(owner)
    assert "Accept" in client.get(reverse("studios:dashboard")).content.decode()
    client.post(reverse("studios:booking_accept", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_PAYMENT
    assert Notification.objects.filter(
        user=client_user, key=f"booking:{booking.pk}:awaiting_payment"
    ).exists()
    client.force_login(client_user)
    assert "Pay €90.00" in client.get(page).content.decode()
    client.post(reverse("studios:booking_cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED_BY_CLIENT


def test_apply_then_staff_approve(client, owner):
    client.force_login(owner)
    form = {
        "name": "Riverside",
        "city": "Hamburg",
        "address": "Elbchaussee 1",
        "time_zone": "Europe/Berlin",
        "currency": "EUR",
        "cancellation_policy": "flexible",
        "deposit_percent": 50,
    }
    assert client.post(reverse("studios:apply"), {**form, "time_zone": "GMT+1"}).status_code == 200
    assert client.post(reverse("studios:apply"), form).status_code == 302
    studio = Studio.objects.get(name="Riverside")
    assert studio.approved_at is None
    assert client.get(reverse("studios:studio", args=[studio.pk])).status_code == 404
    assert client.post(reverse("studios:studio_approve", args=[studio.pk])).status_code == 302
    studio.refresh_from_db()
    assert studio.approved_at is None  # not staff: sent to sign in as staff
    client.force_login(staff())
    assert "Riverside" in client.get(reverse("studios:approvals")).content.decode()
    client.post(reverse("studios:studio_approve", args=[studio.pk]))
    studio.refresh_from_db()
    assert studio.approved_at is not None
    assert client.get(reverse("studios:studio", args=[studio.pk])).status_code == 200
