"""Bookings: making one (never overlapping another of the room) and each move of its state
machine, one function per move, each a conditional UPDATE on the current state.

    requested --accept--> awaiting_payment --paid--> confirmed --(after the end)--> completed
    requested --decline--> declined; requested / awaiting_payment --(too late)--> expired
    requested / awaiting_payment / confirmed --cancel--> cancelled_by_client / _by_studio

No double booking: ``booking_create`` checks for a blocking booking and inserts inside one
transaction. SQLite opens it with BEGIN IMMEDIATE (settings), so a second writer waits for the
first to commit and then sees its row; PostgreSQL's exclusion constraint (migration 0002)
refuses the second insert even when both checks ran before either committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from masterbus.studios import policies, selectors
from masterbus.studios.availability import within
from masterbus.studios.errors import BookingStateError, SlotTaken, SlotUnavailable, StudioLimit
from masterbus.studios.models import BLOCKING, AddOn, Booking, BookingStatus, Room
from masterbus.studios.pricing import quote, whole_hours
from masterbus.studios.services.age import AdultRequired, is_adult
from masterbus.studios.services.charge_later import booking_payment_request
from masterbus.studios.services.notices import booking_notify
from masterbus.studios.services.payment import booking_refund
from masterbus.studios.services.session_files import session_files_delete
from masterbus.studios.services.terms import agreement_sign, terms_check

CONSTRAINT = "booking_room_no_overlap"
PENDING = (BookingStatus.REQUESTED, BookingStatus.AWAITING_PAYMENT)
TAKEN = "This room is already booked for part of that time. Please pick another time."


def check_time(room: Room, start: dt.datetime, end: dt.datetime, now: dt.datetime) -> int:
    """The booked real hours, or a SlotUnavailable saying what is wrong with the time."""
    if start <= now:
        raise SlotUnavailable("That time has already started. Please pick a later one.")
    if start > now + dt.timedelta(days=settings.BOOKING_MAX_DAYS_AHEAD):
        raise SlotUnavailable(
            f"Bookings open {settings.BOOKING_MAX_DAYS_AHEAD} days ahead; pick an earlier day."
        )
    hours = whole_hours(start, end)
    if not hours or hours < 1:
        raise SlotUnavailable("Book whole hours: the end must be whole hours after the start.")
    if hours < room.minimum_hours:
        raise SlotUnavailable(f"This room is booked for at least {room.minimum_hours} hours.")
    if hours > settings.BOOKING_MAX_HOURS:
        raise SlotUnavailable(f"A booking lasts at most {settings.BOOKING_MAX_HOURS} hours.")
    if not within(
        selectors.room_windows(room, *selectors.local_days(room, start, end)), start, end
    ):
        raise SlotUnavailable("The studio is not open for the whole of that time.")
    return hours


def booking_create(
    *,
    client,
    room: Room,
    start: dt.datetime,
    end: dt.datetime,
    addons: Sequence[AddOn] = (),
    note: str = "",
    signed_name: str = "",
    terms_version: int | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Book the room for [start, end) (aware datetimes, whole real hours) with the add-ons: the
    price and the studio's cancellation tiers are frozen on the booking. Instant-book studios
    go straight to awaiting payment, the others wait for the owner's answer. A studio with
    terms needs them signed (``signed_name``; ``terms_version`` the version the client read)."""
    if not is_adult(client):
        raise AdultRequired(
            f"Booking studios is for people aged {settings.BOOKING_MINIMUM_AGE} or older; "
            "please confirm your age first."
        )
    studio = room.studio
    if not selectors.rooms_bookable().filter(pk=room.pk).exists():
        raise SlotUnavailable("This room cannot be booked.")
    if studio.owner_id == client.pk:
        raise SlotUnavailable("You cannot book your own studio.")
    if any(a.studio_id != studio.pk or not a.active for a in addons):
        raise SlotUnavailable("An add-on is not offered by this studio.")
    terms_check(studio, signed_name=signed_name, terms_version=terms_version)
    now = now or timezone.now()
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    check_time(room, start, end, now)
    price = quote(room=room, start=start, end=end, addons=addons)
    instant = studio.instant_book
    wait = (
        dt.timedelta(minutes=settings.BOOKING_PAYMENT_MINUTES)
        if instant
        else dt.timedelta(hours=settings.BOOKING_REQUEST_HOURS)
    )
    blocked_until = end + dt.timedelta(minutes=room.buffer_minutes)
    try:
        with transaction.atomic():
            pending = Booking.objects.filter(client=client, status__in=PENDING).count()
            if pending >= settings.BOOKING_MAX_PENDING_PER_CLIENT:
                raise StudioLimit(
                    f"You have {pending} bookings waiting for an answer or a payment; "
                    "finish or cancel one first."
                )
            clash = Booking.objects.filter(
                room=room, status__in=BLOCKING, starts_at__lt=blocked_until, blocked_until__gt=start
            )
            if clash.exists():
                raise SlotTaken(TAKEN)
            booking = Booking.objects.create(
                room=room,
                client=client,
                starts_at=start,
                ends_at=end,
                blocked_until=blocked_until,
                status=BookingStatus.AWAITING_PAYMENT if instant else BookingStatus.REQUESTED,
                currency=price.currency,
                price_lines=price.lines,
                total=price.total,
                platform_fee=price.platform_fee,
                deposit=price.deposit,
                policy=studio.cancellation_policy,
                policy_tiers=policies.tiers_for(studio.cancellation_policy),
                note=note[:1000],
                created_at=now,
                expires_at=min(now + wait, start),
            )
            agreement_sign(booking=booking, signer=client, signed_name=signed_name)
    except IntegrityError as error:
        if CONSTRAINT in str(error):
            raise SlotTaken(TAKEN) from error
        raise
    if not instant:  # an instant booking's client is on its page, paying
        booking_notify(booking)
    return booking


def _move(
    booking: Booking, *, sources: Sequence[str], target: str, notify: bool = True, **fields
) -> Booking:
    """One state move, only from ``sources``: a conditional UPDATE, so of two racing moves one
    wins and the other is told the booking changed."""
    moved = Booking.objects.filter(pk=booking.pk, status__in=sources).update(
        status=target, **fields
    )
    booking.refresh_from_db()
    if not moved:
        raise BookingStateError(
            f"This booking is {booking.get_status_display().lower()}; that is no longer possible."
        )
    if notify:
        booking_notify(booking)
    return booking


def booking_accept(*, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """The owner accepts a request: a card the client saved is charged now, else (or if it is
    declined) the client has BOOKING_ACCEPTED_PAYMENT_HOURS to pay at the checkout."""
    now = now or timezone.now()
    expires = min(
        now + dt.timedelta(hours=settings.BOOKING_ACCEPTED_PAYMENT_HOURS), booking.starts_at
    )
    booking = _move(
        booking,
        sources=[BookingStatus.REQUESTED],
        target=BookingStatus.AWAITING_PAYMENT,
        notify=False,
        decided_at=now,
        expires_at=expires,
    )
    booking_payment_request(booking=booking)
    return booking


def booking_decline(*, booking: Booking, now: dt.datetime | None = None) -> Booking:
    return _move(
        booking,
        sources=[BookingStatus.REQUESTED],
        target=BookingStatus.DECLINED,
        decided_at=now or timezone.now(),
    )


def booking_confirm(*, booking: Booking) -> Booking:
    """Paid: the booking is confirmed (called by the payments handler)."""
    return _move(
        booking,
        sources=[BookingStatus.AWAITING_PAYMENT],
        target=BookingStatus.CONFIRMED,
        expires_at=None,
    )


def booking_cancel(*, booking: Booking, by_studio: bool) -> Booking:
    """Cancel before the start; a paid booking is refunded (by the copied tiers for the client,
    in full for the studio) through ``services.payment``."""
    if booking.starts_at <= timezone.now() and booking.status == BookingStatus.CONFIRMED:
        raise BookingStateError("This session has already started; it can no longer be cancelled.")
    target = BookingStatus.CANCELLED_BY_STUDIO if by_studio else BookingStatus.CANCELLED_BY_CLIENT
    with transaction.atomic():
        paid = Booking.objects.filter(pk=booking.pk, status=BookingStatus.CONFIRMED).update(
            status=target
        )
        if paid:  # the refund in the same transaction: both happen or neither
            booking.refresh_from_db()
            booking_refund(booking=booking, by_studio=by_studio)
            booking_notify(booking)
            session_files_delete(booking=booking)  # P15: no session, no files
            return booking
        return _move(booking, sources=PENDING, target=target, expires_at=None)


def booking_expire_due(now: dt.datetime | None = None) -> int:
    """Periodic: requests unanswered and bookings unpaid in time free their slot (each moved
    by its own conditional UPDATE, so a payment landing meanwhile wins or loses cleanly)."""
    due = Booking.objects.filter(status__in=PENDING, expires_at__lte=now or timezone.now())
    expired = 0
    for booking in due.select_related("room__studio", "client")[:500]:
        try:
            _move(booking, sources=PENDING, target=BookingStatus.EXPIRED)
        except BookingStateError:
            continue
        expired += 1
    return expired


def booking_complete_due(now: dt.datetime | None = None) -> int:
    """Periodic: confirmed sessions that have ended are completed."""
    return Booking.objects.filter(
        status=BookingStatus.CONFIRMED, ends_at__lte=now or timezone.now()
    ).update(status=BookingStatus.COMPLETED)
