"""A booking's message thread (one per booking, client and studio owner) and the notifications
of its moves (P24, P26), through the messaging app. Each notification has a key, so a move
notified twice (a retried webhook) is notified once."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from masterbus.messaging.services import notify, thread_for
from masterbus.studios.models import Booking

SUBJECT = "booking"

# event -> (who is told, title)
EVENTS = {
    "requested": ("owner", "New booking request"),
    "awaiting_payment": ("client", "Your booking is accepted: please pay to confirm it"),
    "charge_declined": (
        "client",
        "Your booking is accepted but the saved card was declined: please pay to confirm it",
    ),
    "confirmed": ("both", "Booking confirmed"),
    "declined": ("client", "Your booking request was declined"),
    "cancelled_by_client": ("owner", "A booking was cancelled by the client"),
    "cancelled_by_studio": ("client", "Your booking was cancelled by the studio"),
    "expired": ("client", "Your booking expired"),
    "reschedule_requested": ("owner", "The client asks to move a booking"),
    "rescheduled": ("both", "A booking was moved to a new time"),
    "reschedule_declined": ("client", "The studio cannot move your booking"),
    "charge_asked": ("client", "The studio asks for an additional charge: please read and sign"),
    "charge_refused": ("owner", "The client refused an additional charge"),
}


def booking_url(booking_id) -> str:
    return reverse("studios:booking", args=[booking_id])


def booking_thread(booking: Booking):
    """The booking's thread with its client and the studio's owner (made on first use)."""
    people = [u for u in (booking.client, booking.room.studio.owner) if u is not None]
    return thread_for(subject_type=SUBJECT, subject_id=str(booking.pk), participants=people)


def booking_notify(booking: Booking, *, event: str | None = None, once_per: str = "") -> None:
    """Tell the party concerned about the booking's current state (``event``: the status);
    ``once_per`` tells apart events that may happen more than once (each reschedule)."""
    event = event or booking.status
    if event not in EVENTS:
        return
    who, title = EVENTS[event]
    studio = booking.room.studio
    when = timezone.localtime(booking.starts_at, studio.zone)
    body = f"{booking.room.name} at {studio.name}, {when:%a %d %b %Y %H:%M} ({studio.time_zone})."
    people = {"owner": [studio.owner], "client": [booking.client]}.get(who)
    for user in people or [booking.client, studio.owner]:
        if user is not None:
            notify(
                user=user,
                kind="booking",
                title=title,
                body=body,
                url=booking_url(booking.pk),
                key=f"booking:{booking.pk}:{event}" + (f":{once_per}" if once_per else ""),
            )
