"""Listings for the assistant's fair-price and review tests: approved engineers with packages and
approved studios with rooms, built through the apps' own services."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from masterbus.orders.models import Order, Package, Service
from masterbus.orders.services import engineers
from masterbus.studios.models import Booking, BookingStatus, Review, ReviewSide, Room
from tests.platform.fixtures import make_user
from tests.studios.conftest import make_room, make_studio, staff


def engineer_with(
    email: str, *, genres: str = "", prices: tuple[int, ...], service=Service.MASTERING
) -> list[Package]:
    """An approved engineer offering one package of ``service`` per price (minor units, EUR)."""
    user = make_user(email)
    profile = engineers.engineer_apply(
        user=user, display_name=email.split("@")[0], services=[service], genres=genres
    )
    engineers.engineer_approve(profile=profile, staff_user=staff())
    return [
        engineers.package_create(
            profile=profile,
            name=f"Package {index}",
            service=service,
            price=price,
            currency="eur",
            turnaround_days=5,
        )
        for index, price in enumerate(prices, start=1)
    ]


def studio_with(
    email: str, *, city: str = "Berlin", genres: str = "", rates: tuple[int, ...]
) -> list[Room]:
    """An approved studio in ``city`` with one room per hourly rate (minor units, EUR)."""
    owner = make_user(email)
    studio = make_studio(owner, name=f"Studio {email.split('@')[0]}", genres=genres)
    if city != "Berlin":
        studio.city = city
        studio.save(update_fields=["city"])
    return [make_room(studio, name=f"Room {i}", hourly_rate=r) for i, r in enumerate(rates, 1)]


def studio_reviewed(studio, reviews: list[tuple[int, str]]) -> list:
    """Client reviews of completed sessions at the studio's first room (rows as the review
    service leaves them; that flow is tested in tests/studios/test_payment.py)."""
    room = studio.rooms.first() or make_room(studio)
    made = []
    earlier = Booking.objects.filter(room=room).count()  # a second call books other days
    for index, (rating, text) in enumerate(reviews):
        start = timezone.now() - dt.timedelta(days=earlier + index + 2)
        client = make_user(f"reviewer-{uuid.uuid4().hex[:12]}@example.com")
        booking = Booking.objects.create(
            room=room,
            client=client,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            blocked_until=start + dt.timedelta(hours=1),
            status=BookingStatus.COMPLETED,
            currency="EUR",
            total=4500,
            platform_fee=450,
            deposit=4500,
            policy=studio.cancellation_policy,
        )
        made.append(
            Review.objects.create(
                booking=booking, author=client, side=ReviewSide.CLIENT, rating=rating, text=text
            )
        )
    return made


def order_between(client_user, engineer_user, title: str, status: str = "in_progress") -> Order:
    """An order row between two users (the ordering flow is tested in tests/orders)."""
    return Order.objects.create(
        client=client_user,
        engineer=engineer_user,
        title=title,
        service=Service.MASTERING,
        status=status,
        currency="eur",
        price=5000,
        total=5000,
        platform_fee=500,
        engineer_share=4500,
        turnaround_days=5,
        revisions_included=1,
    )
