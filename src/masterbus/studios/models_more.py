"""More studio models, kept apart from ``models`` for size (re-exported there): studio photos
and audio samples, a booking's changes of time and its additional charges. Relations name
their models as strings, so this module needs nothing from ``models``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class StudioKind(models.TextChoices):
    STUDIO = "studio", "Studio"
    ENGINEER = "engineer", "Engineer"


class StudioKindFields(models.Model):
    """What a studio is: a place (listed on staff approval) or an approved engineer's bookable
    sessions (``engineer``, listed while that engineer's profile is approved), so engineers'
    sessions reuse rooms, hours, bookings, deposits and terms unchanged."""

    kind = models.CharField(max_length=16, choices=StudioKind.choices, default=StudioKind.STUDIO)
    engineer = models.OneToOneField(
        "orders.EngineerProfile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions_studio",
    )

    class Meta:
        abstract = True

    @property
    def is_listed(self) -> bool:
        if self.owner_id is None:
            return False
        if self.kind == StudioKind.ENGINEER:
            return self.engineer is not None and self.engineer.approved_at is not None
        return self.approved_at is not None


class StudioPhoto(models.Model):
    """A photo on the studio's page, re-encoded when uploaded (``studios.photos``): public
    like the studio, removed with it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    studio = models.ForeignKey("studios.Studio", on_delete=models.CASCADE, related_name="photos")
    image = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]  # noqa: RUF012  (Django Meta)

    def __str__(self) -> str:
        return f"photo of {self.studio_id}"

    @property
    def file_name(self) -> str:
        """Its name in the photo URL (``studios:photo``)."""
        return f"{self.pk}.webp"


class StudioSample(models.Model):
    """An audio sample of the studio's work (its portfolio), recognised by content when
    uploaded (``services.samples``): public like the studio, its file deleted with it. It names
    its owner too: a deleted owner's studio stays for its bookings, but the samples are the
    owner's own data, exported with them and deleted with them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    studio = models.ForeignKey("studios.Studio", on_delete=models.CASCADE, related_name="samples")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="studio_samples"
    )
    title = models.CharField(max_length=120)
    stored_name = models.CharField(max_length=200)  # core.storage name
    size = models.PositiveBigIntegerField()
    duration_s = models.FloatField()
    format = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]  # noqa: RUF012  (Django Meta)

    def __str__(self) -> str:
        return self.title

    @property
    def file_name(self) -> str:
        """Its name in the sample URL (``studios:sample_audio``)."""
        return f"{self.pk}.{self.format}"


class RescheduleStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Reschedule(models.Model):
    """The client's request to move a booking to a new time, repriced with the booking's frozen
    rates; the studio accepts (the booking moves, the deposit difference is charged or refunded)
    or declines. One open request per booking."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    booking = models.ForeignKey(
        "studios.Booking", on_delete=models.CASCADE, related_name="reschedules"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    price_lines = models.JSONField(default=list)
    total = models.PositiveIntegerField()
    platform_fee = models.PositiveIntegerField()
    deposit = models.PositiveIntegerField()
    # The deposit difference settled on acceptance: positive charged, negative refunded.
    difference = models.BigIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=RescheduleStatus.choices, default=RescheduleStatus.REQUESTED
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]  # noqa: RUF012  (Django Meta)
        constraints = [  # noqa: RUF012  (Django Meta)
            models.UniqueConstraint(
                fields=["booking"],
                condition=models.Q(status="requested"),
                name="reschedule_one_open_per_booking",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="reschedule_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"reschedule of {self.booking_id} ({self.status})"


class ExtraChargeKind(models.TextChoices):
    NO_SHOW = "no_show", "No-show"
    OVERTIME = "overtime", "Overtime"
    DAMAGE = "damage", "Damage"


class ExtraChargeStatus(models.TextChoices):
    AWAITING_SIGNATURE = "awaiting_signature", "Waiting for the client's signature"
    AWAITING_PAYMENT = "awaiting_payment", "Signed, awaiting payment"
    PAID = "paid", "Paid"
    REFUSED = "refused", "Refused by the client"


class ExtraCharge(models.Model):
    """An additional charge the studio asks for after a session (no-show, overtime, damage):
    the exact form text is frozen when made; the client signs it (an ``Agreement`` of kind
    "charge") and then it is charged. A financial record, kept with the booking."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    booking = models.ForeignKey(
        "studios.Booking", on_delete=models.CASCADE, related_name="extra_charges"
    )
    kind = models.CharField(max_length=10, choices=ExtraChargeKind.choices)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    reason = models.TextField(max_length=1000)
    text = models.TextField()  # the exact form text the client signs
    status = models.CharField(
        max_length=20,
        choices=ExtraChargeStatus.choices,
        default=ExtraChargeStatus.AWAITING_SIGNATURE,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]  # noqa: RUF012  (Django Meta)
        constraints = [  # noqa: RUF012  (Django Meta)
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="extra_charge_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} charge on booking {self.booking_id} ({self.status})"
