"""Reminders 24 hours and 1 hour before a confirmed session, to the client and the studio's
owner (P24: e-mail by their preference; P26: in the notification history). Periodic and
idempotent: each reminder has a key, so a second run (or a second worker) sends nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from masterbus.messaging.services import notify
from masterbus.studios.models import Booking, BookingStatus
from masterbus.studios.services.notices import booking_url

HOUR = dt.timedelta(hours=1)
# (key part, due while the start is between these two times from now, title); a booking made
# less than a day ahead gets the one-hour reminder only.
REMINDERS = (
    ("remind24", HOUR, 24 * HOUR, "Your studio session is coming up"),
    ("remind1", dt.timedelta(0), HOUR, "Your studio session starts within the hour"),
)


def booking_remind_due(now: dt.datetime | None = None) -> int:
    """Send every reminder now due; returns how many notifications were made."""
    now = now or timezone.now()
    made = 0
    for name, after, until, title in REMINDERS:
        due = Booking.objects.filter(
            status=BookingStatus.CONFIRMED, starts_at__gt=now + after, starts_at__lte=now + until
        ).select_related("room__studio__owner", "client")
        for booking in due[:1000]:
            studio = booking.room.studio
            when = timezone.localtime(booking.starts_at, studio.zone)
            body = (
                f"{booking.room.name} at {studio.name}, {studio.address}: "
                f"{when:%a %d %b %H:%M} ({studio.time_zone})."
            )
            for user in (booking.client, studio.owner):
                if user is not None:
                    made += (
                        notify(
                            user=user,
                            kind="reminder",
                            title=title,
                            body=body,
                            url=booking_url(booking.pk),
                            key=f"booking:{booking.pk}:{name}",
                        )
                        is not None
                    )
    return made
