"""Studios, rooms and availability (public), and bookings (token) over the studios services.

A booking is visible to its two parties only: the client and the studio's owner; anyone else's
id is answered like an unknown one (404). Client moves (pay, cancel) and owner moves (accept,
decline, and a change of time: the client asks, the owner accepts or declines) refuse the other
side with 404 too. Times are instants with an offset (answers in
UTC); a slot's ``local`` is the studio's wall-clock time.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from masterbus.api.errors import ERRORS, ApiError, ErrorOut
from masterbus.studios import policies, selectors
from masterbus.studios.models import Booking, BookingStatus, Reschedule, Studio
from masterbus.studios.services.bookings import (
    booking_accept,
    booking_cancel,
    booking_create,
    booking_decline,
)
from masterbus.studios.services.notices import booking_thread
from masterbus.studios.services.payment import booking_checkout_start
from masterbus.studios.services.reschedule import (
    reschedule_accept,
    reschedule_decline,
    reschedule_request,
)
from masterbus.studios.services.reviews import review_create

router = Router(tags=["studios"])
NO_BOOKING = "There is no such booking."
MAX_DAYS = 14
MAX_START = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)  # far past any bookable day, clear of overflow


class RoomOut(Schema):
    id: UUID
    name: str
    equipment: list[str]
    hourly_rate: int = Field(description="minor units of the studio's currency")
    minimum_hours: int
    buffer_minutes: int
    capacity: int


class AddOnOut(Schema):
    id: int
    name: str
    price: int = Field(description="minor units")
    unit: str = Field(description='"flat" (per session) or "per_hour"')


class StudioOut(Schema):
    id: UUID
    name: str
    city: str
    address: str
    time_zone: str = Field(description="IANA zone name")
    currency: str
    genres: list[str]
    description: str
    cancellation_policy: str
    cancellation_tiers: list[dict[str, int]]
    deposit_percent: int
    instant_book: bool
    terms: str = Field(description="signed by typing your name when booking; empty: none")
    terms_version: int
    rooms: list[RoomOut]
    addons: list[AddOnOut]


class SlotOut(Schema):
    start: dt.datetime = Field(description="UTC; each slot is one real hour")
    local: str = Field(description="the studio's wall-clock time, with its offset")


class AvailabilityQuery(Schema):
    start_day: dt.date | None = Field(None, description="the studio's local day; default today")
    days: int = Field(7, ge=1, le=MAX_DAYS)


class BookingIn(Schema):
    room_id: UUID
    start: dt.datetime = Field(description="with an offset; a slot start from availability")
    hours: int = Field(ge=1, le=24, description="whole real hours")
    addon_ids: list[int] = Field(default_factory=list, max_length=30)
    note: str = Field("", max_length=1000)
    signed_name: str = Field(
        "", max_length=120, description="your full name: signs the studio's terms, if any"
    )
    terms_version: int | None = Field(None, description="the terms version you read")


class BookingOut(Schema):
    id: UUID
    role: str = Field(description='"client" or "studio": your side of the booking')
    room_id: UUID
    studio_id: UUID
    status: str
    start: dt.datetime
    end: dt.datetime
    currency: str
    total: int
    platform_fee: int
    deposit: int = Field(description="paid when booking")
    refunded: int
    price_lines: list[dict]
    cancellation_tiers: list[dict[str, int]]
    expires_at: dt.datetime | None
    thread_id: UUID = Field(description="the booking's messages: /threads/{thread_id}/messages")


class PayIn(Schema):
    success_url: str = Field("", max_length=500, description="default: the booking page")
    cancel_url: str = Field("", max_length=500, description="default: the booking page")


class PayOut(Schema):
    url: str = Field(description="the hosted checkout page")


class RescheduleIn(Schema):
    """Both are required; optional in the schema so a stranger's booking is a 404 first."""

    start: dt.datetime | None = Field(None, description="required: with an offset")
    hours: int | None = Field(None, ge=1, le=24, description="required: whole real hours")


class RescheduleOut(Schema):
    id: UUID
    booking_id: UUID
    status: str = Field(description='"requested", "accepted" or "declined"')
    start: dt.datetime
    end: dt.datetime
    total: int = Field(description="the new price, minor units of the booking's currency")
    deposit: int
    difference: int = Field(
        description="deposit difference settled on acceptance: positive is paid by the client "
        "on the booking page, negative was refunded"
    )


class ReviewIn(Schema):
    rating: int | None = Field(None, ge=1, le=5, description="required: 1 to 5")
    text: str = Field("", max_length=2000)


class ReviewOut(Schema):
    side: str = Field(description='"client" (on the studio) or "studio" (on the client)')
    rating: int
    text: str


def _studio_out(studio: Studio) -> dict:
    return {
        **{f: getattr(studio, f) for f in StudioOut.model_fields if hasattr(studio, f)},
        "genres": studio.genre_list,
        "cancellation_tiers": policies.tiers_for(studio.cancellation_policy),
        "rooms": [
            {**{f: getattr(r, f) for f in RoomOut.model_fields}, "equipment": r.equipment_list}
            for r in studio.rooms.filter(active=True)
        ],
        "addons": list(studio.addons.filter(active=True).values("id", "name", "price", "unit")),
    }


def _booking_out(booking: Booking, user) -> dict:
    return {
        **{f: getattr(booking, f) for f in BookingOut.model_fields if hasattr(booking, f)},
        "role": "client" if booking.client_id == user.pk else "studio",
        "studio_id": booking.room.studio_id,
        "start": booking.starts_at,
        "end": booking.ends_at,
        "cancellation_tiers": booking.policy_tiers,
        "thread_id": booking_thread(booking).pk,
    }


def _booking(request: HttpRequest, booking_id: UUID, side: str | None = None) -> Booking:
    user = request.owner.user
    if side == "client":
        found = selectors.bookings_of_client(user).filter(pk=booking_id).first()
    elif side == "studio":
        found = selectors.bookings_of_owner(user).filter(pk=booking_id).first()
    else:
        found = selectors.booking_for_party(user, booking_id)
    if found is None:
        raise ApiError(404, "not_found", NO_BOOKING)
    return found


@router.get("/studios", response={200: list[StudioOut], **ERRORS}, auth=None, url_name="studios")
def studio_list(request: HttpRequest, city: str = Query("", max_length=80, pattern=r"^[^\x00]*$")):
    """Listed studios with their rooms and add-ons (public), at most 200. A NUL character in
    ``city`` is refused (422): PostgreSQL cannot compare text holding one."""
    found = selectors.studios_listed()
    if city:
        found = found.filter(city__iexact=city.strip())
    return [_studio_out(s) for s in found[:200]]


@router.get(
    "/studios/{studio_id}", response={200: StudioOut, **ERRORS}, auth=None, url_name="studio"
)
def studio_get(request: HttpRequest, studio_id: UUID):
    studio = selectors.studios_listed().filter(pk=studio_id).first()
    if studio is None:
        raise ApiError(404, "not_found", "There is no such studio.")
    return _studio_out(studio)


@router.get(
    "/rooms/{room_id}/availability",
    response={200: list[SlotOut], **ERRORS},
    auth=None,
    url_name="room_availability",
)
def room_availability(request: HttpRequest, room_id: UUID, query: Query[AvailabilityQuery]):
    """Free one-hour slots over the studio's local days (up to 14), DST-correct."""
    room = selectors.rooms_bookable().filter(pk=room_id).first()
    if room is None:
        raise ApiError(404, "not_found", "There is no such room.")
    zone = room.studio.zone
    today = timezone.now().astimezone(zone).date()
    first = max(query.start_day or today, today)
    if first > today + dt.timedelta(days=settings.BOOKING_MAX_DAYS_AHEAD):
        return []
    slots = selectors.room_free_slots(room, first, first + dt.timedelta(days=query.days - 1))
    now = timezone.now()
    return [{"start": s, "local": s.astimezone(zone).isoformat()} for s in slots if s > now]


@router.get("/bookings", response={200: list[BookingOut], **ERRORS}, url_name="bookings")
def booking_list(request: HttpRequest):
    """Your bookings as a client and at your studios, newest start first (at most 200)."""
    user = request.owner.user
    mine = selectors.bookings_of_client(user) | selectors.bookings_of_owner(user)
    return [_booking_out(b, user) for b in mine.distinct().order_by("-starts_at")[:200]]


@router.post("/bookings", response={201: BookingOut, 403: ErrorOut, 409: ErrorOut, **ERRORS})
def booking_make(request: HttpRequest, payload: BookingIn):
    """Book a room: price and tiers are frozen; then ``POST /bookings/{id}/pay`` when it is
    awaiting payment (instant book, or once the studio accepts)."""
    room = selectors.rooms_bookable().filter(pk=payload.room_id).first()
    if room is None:
        raise ApiError(404, "not_found", "There is no such room.")
    if payload.start.tzinfo is None:
        raise ApiError(400, "bad_request", "The start needs an offset (or Z).", field="start")
    addons = list(room.studio.addons.filter(pk__in=payload.addon_ids, active=True))
    if len(addons) != len(set(payload.addon_ids)):
        raise ApiError(400, "bad_request", "An add-on is not offered by this studio.")
    booking = booking_create(
        client=request.owner.user,
        room=room,
        start=payload.start,
        end=payload.start + dt.timedelta(hours=payload.hours),
        addons=addons,
        note=payload.note,
        signed_name=payload.signed_name,
        terms_version=payload.terms_version,
    )
    return Status(201, _booking_out(booking, request.owner.user))


@router.get("/bookings/{booking_id}", response={200: BookingOut, **ERRORS})
def booking_get(request: HttpRequest, booking_id: UUID):
    return _booking_out(_booking(request, booking_id), request.owner.user)


@router.post("/bookings/{booking_id}/pay", response={200: PayOut, 409: ErrorOut, **ERRORS})
def booking_pay(request: HttpRequest, booking_id: UUID, payload: PayIn):
    """A hosted checkout link for a booking awaiting payment (the client's)."""
    booking = _booking(request, booking_id, "client")
    if booking.status != BookingStatus.AWAITING_PAYMENT:
        raise ApiError(409, "booking_state", "This booking is not waiting for a payment.")
    page = f"{settings.SITE_URL}{reverse('studios:booking', args=[booking.pk])}"
    checkout = booking_checkout_start(
        booking=booking,
        success_url=payload.success_url or page,
        cancel_url=payload.cancel_url or page,
    )
    return {"url": checkout.url}


@router.post("/bookings/{booking_id}/cancel", response={200: BookingOut, 409: ErrorOut, **ERRORS})
def booking_cancel_api(request: HttpRequest, booking_id: UUID):
    """Cancel: as the client, refunded by the booking's tiers; as the studio, in full."""
    booking = _booking(request, booking_id)
    by_studio = booking.client_id != request.owner.user.pk
    return _booking_out(booking_cancel(booking=booking, by_studio=by_studio), request.owner.user)


@router.post("/bookings/{booking_id}/accept", response={200: BookingOut, 409: ErrorOut, **ERRORS})
def booking_accept_api(request: HttpRequest, booking_id: UUID):
    booking = booking_accept(booking=_booking(request, booking_id, "studio"))
    return _booking_out(booking, request.owner.user)


@router.post("/bookings/{booking_id}/decline", response={200: BookingOut, 409: ErrorOut, **ERRORS})
def booking_decline_api(request: HttpRequest, booking_id: UUID):
    booking = booking_decline(booking=_booking(request, booking_id, "studio"))
    return _booking_out(booking, request.owner.user)


@router.post("/bookings/{booking_id}/review", response={201: ReviewOut, 409: ErrorOut, **ERRORS})
def booking_review_api(request: HttpRequest, booking_id: UUID, payload: ReviewIn):
    """Review the other side of a completed, paid booking (once)."""
    booking = _booking(request, booking_id)  # someone else's: 404 before anything else
    if payload.rating is None:
        raise ApiError(400, "bad_request", "Give a rating from 1 to 5.", field="rating")
    review = review_create(
        booking=booking, author=request.owner.user, rating=payload.rating, text=payload.text
    )
    return Status(201, {"side": review.side, "rating": review.rating, "text": review.text})


def _reschedule_out(found: Reschedule) -> dict:
    return {
        **{f: getattr(found, f) for f in RescheduleOut.model_fields if hasattr(found, f)},
        "start": found.starts_at,
        "end": found.ends_at,
    }


@router.post(
    "/bookings/{booking_id}/reschedule",
    response={201: RescheduleOut, 409: ErrorOut, **ERRORS},
    url_name="booking_reschedule_api",
)
def booking_reschedule_api(request: HttpRequest, booking_id: UUID, payload: RescheduleIn):
    """Ask the studio to move your booking (the client's; one open request at a time): repriced
    with the booking's frozen rates; the owner accepts or declines it."""
    booking = _booking(request, booking_id, "client")
    if payload.hours is None:
        raise ApiError(400, "bad_request", "Give the hours, 1 to 24.", field="hours")
    if payload.start is None or payload.start.tzinfo is None:
        raise ApiError(400, "bad_request", "The start needs an offset (or Z).", field="start")
    if not dt.datetime(2000, 1, 2, tzinfo=dt.UTC) < payload.start < MAX_START:
        raise ApiError(400, "slot_unavailable", "That start is out of range.", field="start")
    found = reschedule_request(
        booking=booking,
        user=request.owner.user,
        start=payload.start,
        end=payload.start + dt.timedelta(hours=payload.hours),
    )
    return Status(201, _reschedule_out(found))


@router.get(
    "/bookings/{booking_id}/reschedules",
    response={200: list[RescheduleOut], **ERRORS},
    url_name="booking_reschedules_api",
)
def booking_reschedules_api(request: HttpRequest, booking_id: UUID):
    """The booking's changes of time, newest first (either party)."""
    return [_reschedule_out(r) for r in _booking(request, booking_id).reschedules.all()[:50]]


def _owned_reschedule(request: HttpRequest, reschedule_id: UUID) -> Reschedule:
    found = (
        Reschedule.objects.select_related("booking__room__studio")
        .filter(pk=reschedule_id, booking__room__studio__owner=request.owner.user)
        .first()
    )
    if found is None:
        raise ApiError(404, "not_found", "There is no such change of time.")
    return found


@router.post(
    "/reschedules/{reschedule_id}/accept",
    response={200: RescheduleOut, 409: ErrorOut, **ERRORS},
    url_name="reschedule_accept_api",
)
def reschedule_accept_api(request: HttpRequest, reschedule_id: UUID):
    """Move the booking (the studio owner's): a lower deposit is refunded at once."""
    return _reschedule_out(reschedule_accept(reschedule=_owned_reschedule(request, reschedule_id)))


@router.post(
    "/reschedules/{reschedule_id}/decline",
    response={200: RescheduleOut, 409: ErrorOut, **ERRORS},
    url_name="reschedule_decline_api",
)
def reschedule_decline_api(request: HttpRequest, reschedule_id: UUID):
    return _reschedule_out(reschedule_decline(reschedule=_owned_reschedule(request, reschedule_id)))
