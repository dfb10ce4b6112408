"""Demo studio (loaded by `masterbus demo`; idempotent): a Berlin studio with two rooms, weekly
hours, a closed day, an engineer add-on, and a request from the demo client waiting for the owner,
so the search, the slot picker, the owner's dashboard and "my bookings" have something to show.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from masterbus.demo.users import demo_user
from masterbus.studios.models import Studio
from masterbus.studios.services.bookings import booking_create
from masterbus.studios.services.studios import (
    addon_create,
    exception_add,
    hours_set,
    room_create,
    studio_apply,
    studio_approve,
)

NAME = "Spreeklang Studios"
ZONE = "Europe/Berlin"


def load(*, stdout) -> None:
    owner = demo_user("studio", display_name="Demo Studio Owner", stdout=stdout)
    client = demo_user("listener", display_name="Demo Listener", stdout=stdout)
    if Studio.objects.filter(owner=owner, name=NAME).exists():
        return
    studio = studio_apply(
        owner=owner,
        name=NAME,
        city="Berlin",
        address="Köpenicker Str. 70, 10179 Berlin",
        time_zone=ZONE,
        genres="techno, indie, jazz",
        credits="Demo credits: records tracked and mixed here.",
        description="Two rooms by the river: a live room with a vintage desk and a mix suite.",
        cancellation_policy="moderate",
        deposit_percent=30,
    )
    staff = demo_user("staff", display_name="Demo Staff", stdout=stdout, staff_role="admin")
    studio_approve(staff_user=staff, studio=studio)
    week = {day: [(dt.time(10), dt.time(22))] for day in range(6)}  # Monday to Saturday
    hours_set(studio=studio, week=week)
    live = room_create(
        studio=studio,
        name="Live room",
        equipment="Neve 8078 console\nNeumann U 47\nSteinway B grand piano",
        hourly_rate=6500,
        minimum_hours=3,
        buffer_minutes=30,
        capacity=8,
    )
    room_create(
        studio=studio,
        name="Mix suite",
        equipment="SSL AWS 948\nATC SCM45A monitors",
        hourly_rate=4000,
        minimum_hours=2,
        buffer_minutes=15,
        capacity=3,
    )
    addon_create(studio=studio, name="House engineer", price=3500, unit="per_hour")
    addon_create(studio=studio, name="Piano tuning", price=9000, unit="flat")
    today = timezone.localdate()
    christmas = dt.date(today.year, 12, 24)
    exception_add(studio=studio, starts_on=christmas, ends_on=christmas, note="Christmas Eve")
    start = _next_tuesday_at(14)
    booking_create(client=client, room=live, start=start, end=start + dt.timedelta(hours=3))
    stdout.write(f"  studio {NAME!r} with 2 rooms; a request from {client.email} waits")


def _next_tuesday_at(hour: int) -> dt.datetime:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(ZONE)
    day = timezone.now().astimezone(zone).date() + dt.timedelta(days=2)
    day += dt.timedelta(days=(1 - day.weekday()) % 7)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)
