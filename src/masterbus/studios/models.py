"""Studios, rooms, opening hours and bookings.

Times: opening hours are local wall-clock times in the studio's zone (an IANA name); bookings
are aware datetimes stored in UTC. Money: integer minor units in the studio's currency.

No double booking: a booking blocks its room from ``starts_at`` to ``blocked_until`` (its end
plus the room's buffer), half-open; two blocking bookings of one room never overlap. PostgreSQL
enforces that with an exclusion constraint (migration 0002); on SQLite the booking service
checks and inserts inside one IMMEDIATE transaction, which SQLite serialises.
"""

from __future__ import annotations

import functools
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from masterbus.studios.models_more import (  # noqa: F401  (models of the app, re-exported)
    ExtraCharge,
    ExtraChargeKind,
    ExtraChargeStatus,
    Reschedule,
    RescheduleStatus,
    StudioKind,
    StudioKindFields,
    StudioPhoto,
    StudioSample,
)
from masterbus.studios.policies import CancellationPolicy


@functools.cache
def zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """An IANA zone name that zoneinfo knows ("Europe/Berlin"), not an offset or abbreviation."""
    if value not in zone_names():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/Berlin.")


def turnaround_default() -> int:
    return settings.BOOKING_FILES_TURNAROUND_DAYS


class Studio(StudioKindFields):
    """A studio's profile. It is an application until staff approve it (``approved_at``); only
    approved studios are listed and bookable. The owner's deletion leaves the studio unlisted,
    its bookings stay (financial records, P32)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="studios"
    )
    name = models.CharField(max_length=120)
    city = models.CharField(max_length=80, db_index=True)
    address = models.CharField(max_length=200)
    time_zone = models.CharField(
        max_length=64,
        validators=[validate_time_zone],
        help_text="An IANA name, e.g. Europe/Berlin.",
    )
    currency = models.CharField(max_length=3, default="EUR")
    genres = models.CharField(
        max_length=300, blank=True, help_text="Comma-separated, e.g. rock, jazz, hip-hop."
    )
    credits = models.TextField(max_length=2000, blank=True)
    description = models.TextField(max_length=4000, blank=True)
    cancellation_policy = models.CharField(
        max_length=16, choices=CancellationPolicy.choices, default=CancellationPolicy.MODERATE
    )
    deposit_percent = models.PositiveSmallIntegerField(
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Paid when booking; 100 means the full price.",
    )
    instant_book = models.BooleanField(
        default=False, help_text="Bookings need no acceptance: the client pays straight away."
    )
    terms = models.TextField(
        max_length=10000, blank=True, help_text="The studio's terms clients sign when booking."
    )
    terms_version = models.PositiveIntegerField(default=1)
    files_turnaround_days = models.PositiveSmallIntegerField(
        default=turnaround_default,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Session files are deleted this many days after the session (P15).",
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deposit_percent__gte=1, deposit_percent__lte=100),
                name="studio_deposit_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def genre_list(self) -> list[str]:
        return [g.strip() for g in self.genres.split(",") if g.strip()]


class Room(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=120)
    equipment = models.TextField(max_length=4000, blank=True, help_text="One item per line.")
    hourly_rate = models.PositiveIntegerField(help_text="In minor units of the studio's currency.")
    minimum_hours = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(240)],
        help_text="Kept free after each session (changeover).",
    )
    capacity = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} at {self.studio.name}"

    @property
    def equipment_list(self) -> list[str]:
        return [line.strip() for line in self.equipment.splitlines() if line.strip()]


class AddOnUnit(models.TextChoices):
    FLAT = "flat", "per session"
    PER_HOUR = "per_hour", "per hour"


class AddOn(models.Model):
    """Something booked with a room: an engineer, mixing, instrument hire."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="addons")
    name = models.CharField(max_length=120)
    price = models.PositiveIntegerField(help_text="In minor units of the studio's currency.")
    unit = models.CharField(max_length=8, choices=AddOnUnit.choices, default=AddOnUnit.FLAT)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_unit_display()})"


class OpeningHours(models.Model):
    """Weekly hours in local wall-clock time. Rows with a room apply to that room instead of the
    studio's rows. ``closes`` at or before ``opens`` runs past midnight into the next day."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="opening_hours")
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(6)], help_text="0 is Monday."
    )
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"day {self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"


class HoursException(models.Model):
    """Days (local dates, inclusive) closed, or open with special hours instead of the week's."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="exceptions")
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.CASCADE, related_name="exceptions"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    closed = models.BooleanField(default=True)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="exception_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(closed=True)
                | models.Q(opens__isnull=False, closes__isnull=False),
                name="exception_special_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}..{self.ends_on} {'closed' if self.closed else 'special hours'}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED_BY_CLIENT = "cancelled_by_client", "Cancelled by the client"
    CANCELLED_BY_STUDIO = "cancelled_by_studio", "Cancelled by the studio"
    COMPLETED = "completed", "Completed"
    EXPIRED = "expired", "Expired"
    DECLINED = "declined", "Declined"


# Statuses that hold the room: these never overlap (buffers included).
BLOCKING = (
    BookingStatus.REQUESTED,
    BookingStatus.AWAITING_PAYMENT,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
)


class Booking(models.Model):
    """A room from ``starts_at`` to ``ends_at`` (aware, UTC in the database). The price lines,
    totals and cancellation tiers are frozen when it is made. The client link is cleared, not
    the row deleted, when the client's account goes (financial record, P32)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    blocked_until = models.DateTimeField(help_text="The end plus the room's buffer.")
    status = models.CharField(max_length=24, choices=BookingStatus.choices)
    currency = models.CharField(max_length=3)
    price_lines = models.JSONField(default=list)  # [{"description", "amount", "quantity"}]
    total = models.PositiveIntegerField()
    platform_fee = models.PositiveIntegerField()
    deposit = models.PositiveIntegerField(help_text="Paid when booking.")
    policy = models.CharField(max_length=16, choices=CancellationPolicy.choices)
    policy_tiers = models.JSONField(default=list)
    refunded = models.PositiveIntegerField(default=0)
    note = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Bumped at each change of time: calendars (.ics SEQUENCE) replace the event they hold.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after"
            ),
            models.CheckConstraint(
                condition=models.Q(blocked_until__gte=models.F("ends_at")),
                name="booking_blocked_after_end",
            ),
        ]
        indexes = [models.Index(fields=["room", "status", "starts_at"])]

    def __str__(self) -> str:
        return f"booking {self.id} ({self.status})"

    @property
    def agreement(self) -> Agreement | None:
        """The studio's terms as signed with the booking (other signed documents: documents)."""
        found = self.documents.filter(kind=DocumentKind.TERMS).first()
        if found is not None:
            found.booking = self  # the PDF reads the booking from it: no second query
        return found

    @property
    def real_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class ReviewSide(models.TextChoices):
    CLIENT = "client", "The client reviews the studio"
    STUDIO = "studio", "The studio reviews the client"


class Review(models.Model):
    """One review per side of a completed, paid booking: only real bookings are reviewed."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="studio_reviews"
    )
    side = models.CharField(max_length=8, choices=ReviewSide.choices)
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "side"], name="review_once_per_side"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 on booking {self.booking_id} ({self.side})"


class DocumentKind(models.TextChoices):
    TERMS = "terms", "The studio's terms"
    CHARGE = "charge", "Additional charge form"


class Agreement(models.Model):
    """A document the client signed for a booking (the studio's terms when booking, then any
    additional-charge form): by typed name, at a time, the exact text with its SHA-256 and the
    version, so either side can show what was agreed. Kept with the booking (a financial
    record); the signer link is cleared with the account."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=8, choices=DocumentKind.choices, default=DocumentKind.TERMS)
    charge = models.OneToOneField(
        "studios.ExtraCharge",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="document",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="agreements"
    )
    signed_name = models.CharField(max_length=120)
    signed_at = models.DateTimeField(default=timezone.now)
    terms_version = models.PositiveIntegerField()
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=models.Q(kind="terms"),
                name="agreement_terms_once_per_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.terms_version} signed for booking {self.booking_id}"


class SessionFile(models.Model):
    """A file the client or the studio shared in a booking (P15): only the two parties see it,
    and it goes the studio's turnaround days after the session, or when the booking is
    cancelled. The uploader's account deletion takes it too (their file)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="session_files")
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_files"
    )
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    stored_name = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} in booking {self.booking_id}"
