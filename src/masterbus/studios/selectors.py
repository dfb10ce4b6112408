"""Reads: listed studios for everyone; bookings only for their client or the studio's owner."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Avg, Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from masterbus.studios import availability
from masterbus.studios.models import (
    BLOCKING,
    Booking,
    BookingStatus,
    HoursException,
    OpeningHours,
    Review,
    ReviewSide,
    Room,
    Studio,
    StudioKind,
)


def _listed(prefix: str = "") -> Q:
    """A place is listed once staff approve it; an engineer's sessions while the engineer's
    profile is approved (revoking the engineer unlists them). Either way the owner has an
    account (Studio.is_listed says the same for one studio)."""
    place = Q(**{f"{prefix}kind": StudioKind.STUDIO, f"{prefix}approved_at__isnull": False})
    engineer = Q(
        **{f"{prefix}kind": StudioKind.ENGINEER, f"{prefix}engineer__approved_at__isnull": False}
    )
    return (place | engineer) & Q(**{f"{prefix}owner__isnull": False})


def studios_listed() -> QuerySet[Studio]:
    return Studio.objects.filter(_listed())


def studio_media_get(queryset: QuerySet, *, user, name: str):
    """A studio's photo or sample named ``<id>.<ext>``: anyone's for a listed studio, else only
    its owner's; a name that is no such object's, or not theirs to see, is a 404."""
    try:
        object_id = uuid.UUID(name.partition(".")[0])
    except ValueError:
        raise Http404 from None
    visible = Q(studio__in=studios_listed())
    if user.is_authenticated:
        visible |= Q(studio__owner=user)
    return get_object_or_404(queryset.filter(visible), pk=object_id)


def rooms_bookable() -> QuerySet[Room]:
    return Room.objects.filter(_listed("studio__"), active=True).select_related("studio")


def engineer_sessions_listed(profile) -> Studio | None:
    """The engineer's listed sessions studio if it offers an active session, for the link on
    the engineer's public page."""
    return studios_listed().filter(engineer=profile, rooms__active=True).distinct().first()


def studios_owned(user) -> QuerySet[Studio]:
    return Studio.objects.filter(owner=user)


def rooms_owned(user) -> QuerySet[Room]:
    return Room.objects.filter(studio__owner=user).select_related("studio")


@dataclass
class Search:
    city: str = ""
    genre: str = ""
    equipment: str = ""
    max_rate: int | None = None  # minor units per hour
    free_on: dt.date | None = None  # free on this day at this time, in each studio's zone
    free_at: dt.time | None = None
    hours: int = 1
    kind: str = ""  # a StudioKind value, or any


def rooms_search(search: Search, *, limit: int = 50) -> list[Room]:
    """Bookable rooms matching the filters; cheapest first, then by studio name. The "free"
    filter takes the day and time as the studio's local time (a client looking for 14:00 in
    Berlin means 14:00 there) and checks each candidate's hours and bookings (bounded)."""
    rooms = rooms_bookable()
    if search.city:
        rooms = rooms.filter(studio__city__iexact=search.city.strip())
    if search.genre:
        rooms = rooms.filter(studio__genres__icontains=search.genre.strip())
    if search.equipment:
        rooms = rooms.filter(equipment__icontains=search.equipment.strip())
    if search.kind:
        rooms = rooms.filter(studio__kind=search.kind)
    if search.max_rate is not None:
        rooms = rooms.filter(hourly_rate__lte=search.max_rate)
    rooms = rooms.order_by("hourly_rate", "studio__name", "name")
    if search.free_on is None or search.free_at is None:
        return list(rooms[:limit])
    found = []
    for room in rooms[: limit * 4]:
        wall = dt.datetime.combine(search.free_on, search.free_at)
        start = availability.attach(wall, room.studio.zone, closing=False).astimezone(dt.UTC)
        end = start + dt.timedelta(hours=search.hours)
        if room_is_free(room, start, end):
            found.append(room)
        if len(found) == limit:
            break
    return found


def room_windows(room: Room, first_day: dt.date, last_day: dt.date) -> list[availability.Window]:
    """The room's opening windows (UTC) over the studio's local days ``first_day``..``last_day``
    (the day before too, for a night running past midnight)."""
    studio = room.studio
    hours = OpeningHours.objects.filter(studio=studio, room=room)
    if not hours.exists():
        hours = OpeningHours.objects.filter(studio=studio, room__isnull=True)
    specials = HoursException.objects.filter(
        Q(room__isnull=True) | Q(room=room),
        studio=studio,
        ends_on__gte=first_day - dt.timedelta(days=1),
        starts_on__lte=last_day,
    )
    return availability.windows(
        first_day - dt.timedelta(days=1),
        last_day,
        studio.zone,
        [availability.Weekly(h.weekday, h.opens, h.closes) for h in hours],
        [
            availability.Special(s.starts_on, s.ends_on, s.closed, s.opens, s.closes)
            for s in specials
        ],
    )


def room_busy(room: Room, start: dt.datetime, end: dt.datetime) -> list[availability.Window]:
    """Spans (start, blocked_until) of the room's blocking bookings that reach into [start, end)."""
    rows = Booking.objects.filter(
        room=room, status__in=BLOCKING, starts_at__lt=end, blocked_until__gt=start
    ).values_list("starts_at", "blocked_until")
    return [(s.astimezone(dt.UTC), e.astimezone(dt.UTC)) for s, e in rows]


def local_days(room: Room, start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    zone = room.studio.zone
    return start.astimezone(zone).date(), end.astimezone(zone).date()


def room_is_free(room: Room, start: dt.datetime, end: dt.datetime) -> bool:
    """Open for the whole of [start, end) and clear of other bookings and their buffers."""
    spans = room_windows(room, *local_days(room, start, end))
    buffer = dt.timedelta(minutes=room.buffer_minutes)
    busy = room_busy(room, start - dt.timedelta(days=1), end + buffer)
    return availability.free(spans, busy, start, end, buffer=buffer)


def room_free_slots(room: Room, first_day: dt.date, last_day: dt.date) -> list[dt.datetime]:
    """Hour slots (UTC starts) of the room's local days that are open and free to book (with
    the room's buffer after them)."""
    spans = room_windows(room, first_day, last_day)
    if not spans:
        return []
    buffer = dt.timedelta(minutes=room.buffer_minutes)
    busy = room_busy(room, spans[0][0] - dt.timedelta(days=1), spans[-1][1] + buffer)
    hour = dt.timedelta(hours=1)
    return [
        slot
        for slot in availability.slots(spans)
        if slot.astimezone(room.studio.zone).date() >= first_day
        and availability.free(spans, busy, slot, slot + hour, buffer=buffer)
    ]


def bookings_of_client(user) -> QuerySet[Booking]:
    return Booking.objects.filter(client=user).select_related("room__studio")


def bookings_of_owner(user) -> QuerySet[Booking]:
    return Booking.objects.filter(room__studio__owner=user).select_related("room__studio", "client")


def booking_for_party(user, booking_id) -> Booking | None:
    """The booking if the user is its client or the studio's owner, else None (a 404)."""
    return (
        Booking.objects.filter(Q(client=user) | Q(room__studio__owner=user), pk=booking_id)
        .select_related("room__studio", "client")
        .first()
    )


def requests_waiting(user) -> QuerySet[Booking]:
    return bookings_of_owner(user).filter(status=BookingStatus.REQUESTED).order_by("starts_at")


def next_free_day(room: Room, today: dt.date) -> dt.date | None:
    """The first local day from ``today`` within two weeks with a free slot (for listings)."""
    slots = room_free_slots(room, today, today + dt.timedelta(days=13))
    return slots[0].astimezone(room.studio.zone).date() if slots else None


def studio_reviews(studio: Studio) -> tuple[list[Review], float | None]:
    """The clients' reviews of the studio (newest first, at most 50) and their average rating."""
    reviews = Review.objects.filter(booking__room__studio=studio, side=ReviewSide.CLIENT)
    average = reviews.aggregate(average=Avg("rating"))["average"]
    return list(reviews.select_related("author")[:50]), average


def cheapest_rate(studio: Studio) -> int | None:
    return studio.rooms.filter(active=True).aggregate(low=Min("hourly_rate"))["low"]
