"""Calendar feeds (.ics): one per room for its owner, one per client for their bookings.

Calendar apps fetch a feed without a session, so the URL's signed token is the credential
(``keyed_link``); it does not expire (a calendar subscription lasts) and names only the room or
the user. Times are written in UTC, which every calendar app converts to the viewer's zone, so
DST never shifts an event. A room's feed shows its busy times only, never who booked them.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from masterbus.core import access
from masterbus.studios.models import BLOCKING, Booking, BookingStatus, Room

SALT = "masterbus.studios.feeds"
SHOWN = (*BLOCKING,)
LIMIT = 1000  # events per feed: the newest first


def _token(kind: str, pk) -> str:
    return signing.dumps({"k": kind, "id": str(pk)}, salt=SALT, compress=True)


def _payload(token: str, kind: str) -> str:
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise Http404 from None
    if not isinstance(payload, dict) or payload.get("k") != kind:
        raise Http404
    return str(payload.get("id", ""))


def room_feed_path(room: Room) -> str:
    return reverse("studios:room_feed", args=[_token("room", room.pk)])


def user_feed_path(user) -> str:
    return reverse("studios:user_feed", args=[_token("user", user.pk)])


def _calendar(name: str, bookings, summary) -> HttpResponse:
    calendar = Calendar()
    calendar.add("prodid", "-//Masterbus//studios//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{settings.SITE_URL.split('//')[-1]}")
        event.add("dtstamp", timezone.now())
        event.add("sequence", booking.revision)  # a moved booking replaces the event held
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        event.add("summary", summary(booking))
        event.add(
            "status", "CONFIRMED" if booking.status == BookingStatus.CONFIRMED else "TENTATIVE"
        )
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@access.keyed_link
@require_GET
def room_feed(request: HttpRequest, token: str) -> HttpResponse:
    room = Room.objects.select_related("studio").filter(pk=_payload(token, "room")).first()
    if room is None or room.studio.owner_id is None:
        raise Http404
    bookings = room.bookings.filter(status__in=SHOWN).order_by("-starts_at")[:LIMIT]
    return _calendar(
        f"{room.name} at {room.studio.name}",
        bookings,
        lambda b: f"{room.name}: {b.get_status_display()}",
    )


@access.keyed_link
@require_GET
def user_feed(request: HttpRequest, token: str) -> HttpResponse:
    user_id = _payload(token, "user")
    bookings = (
        Booking.objects.filter(client_id=user_id, status__in=SHOWN)
        .select_related("room__studio")
        .order_by("-starts_at")[:LIMIT]
    )
    return _calendar(
        "My studio bookings",
        bookings,
        lambda b: f"{b.room.name} at {b.room.studio.name} ({b.room.studio.address})",
    )
