"""The studios API: public studios and availability, bookings with a token for their two
parties only, the same rules and errors as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from masterbus.api.services import token_create
from masterbus.studios.models import Booking, BookingStatus
from tests.api.conftest import ApiClient
from tests.platform.fixtures import make_user
from tests.studios.conftest import make_adult, next_weekday

pytestmark = pytest.mark.django_db


def api_for(user) -> ApiClient:
    return ApiClient(token_create(user=user, name="script")[1])


def test_studios_and_availability_are_public(room, engineer):
    studio = Client().get("/api/v1/studios", {"city": "berlin"}).json()
    assert [s["name"] for s in studio] == ["Hansa Tonstudio"]
    assert (
        studio[0]["rooms"][0]["hourly_rate"] == 4500
        and studio[0]["addons"][0]["unit"] == "per_hour"
    )
    assert studio[0]["cancellation_tiers"][0] == {"hours_before": 120, "refund_percent": 100}
    day = next_weekday(1, dt.time(0)).date()
    slots = (
        Client().get(f"/api/v1/rooms/{room.pk}/availability", {"start_day": day, "days": 1}).json()
    )
    assert [s["local"][11:16] for s in slots] == [f"{h:02d}:00" for h in range(10, 22)]
    assert slots[0]["local"].endswith(("+01:00", "+02:00"))  # Berlin, with its offset
    assert Client().get(f"/api/v1/rooms/{room.pk}/availability", {"days": 99}).status_code == 422


def test_a_city_with_a_nul_character_is_refused_not_a_server_error(room):
    """PostgreSQL cannot compare text holding NUL: the search refuses it on both stacks."""
    assert Client().get("/api/v1/studios", {"city": "ber\x00lin"}).status_code == 422


def test_a_booking_through_the_api_for_its_two_parties_only(room, engineer, client_user, owner):
    start = next_weekday(1, dt.time(14))
    body = {
        "room_id": str(room.pk),
        "start": start.isoformat(),
        "hours": 3,
        "addon_ids": [engineer.pk],
    }
    made = api_for(client_user).post("/api/v1/bookings", body)
    assert made.status_code == 201, made.content
    booking = made.json()
    assert (booking["status"], booking["total"], booking["role"]) == ("requested", 22500, "client")
    again = api_for(make_adult("second@example.com")).post("/api/v1/bookings", body)
    assert again.status_code == 409 and again.json()["code"] == "slot_taken"
    stranger = api_for(make_user("stranger@example.com"))
    assert stranger.get(f"/api/v1/bookings/{booking['id']}").status_code == 404
    assert stranger.post("/api/v1/bookings", body).json()["code"] == "adult_required"
    client_api = api_for(client_user)
    assert client_api.post(f"/api/v1/bookings/{booking['id']}/accept").status_code == 404
    assert [b["id"] for b in api_for(owner).get("/api/v1/bookings").json()] == [booking["id"]]
    assert stranger.get("/api/v1/bookings").json() == []
    accepted = api_for(owner).post(f"/api/v1/bookings/{booking['id']}/accept")
    assert accepted.json()["status"] == "awaiting_payment" and accepted.json()["role"] == "studio"
    review = client_api.post(f"/api/v1/bookings/{booking['id']}/review", {"rating": 5})
    assert review.status_code == 409  # not completed and paid
    no_rating = client_api.post(f"/api/v1/bookings/{booking['id']}/review", {})
    assert no_rating.status_code == 400 and no_rating.json()["field"] == "rating"
    assert stranger.post(f"/api/v1/bookings/{booking['id']}/review", {}).status_code == 404
    cancelled = client_api.post(f"/api/v1/bookings/{booking['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled_by_client"
    assert Booking.objects.get().status == BookingStatus.CANCELLED_BY_CLIENT
    naive = {**body, "start": start.replace(tzinfo=None).isoformat()}
    assert client_api.post("/api/v1/bookings", naive).status_code == 400
