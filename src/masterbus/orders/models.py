"""Engineers, their packages and samples, and orders: stems in, versions out, notes, a timeline.

Money is in integer minor units with its currency. The order's price, fee and share are copied
from the package when the order is made (a later price change does not touch it); the split the
payment records at payment time is the one that counts for the engineer's earnings.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

REVIEW_MAX_CHARS = 2000


class Service(models.TextChoices):
    MASTERING = "mastering", "Mastering"
    MIXING = "mixing", "Mixing"
    PRODUCTION = "production", "Production"
    STEM_MASTERING = "stem_mastering", "Stem mastering"


class EngineerProfile(models.Model):
    """An engineer's public page. Applying creates it; only staff approval makes it public and
    lets its packages be ordered (the role is granted, never self-declared)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engineer_profile"
    )
    display_name = models.CharField(max_length=80)
    bio = models.TextField(max_length=4000, blank=True)
    services = models.JSONField(default=list)  # Service values
    genres = models.CharField(max_length=300, blank=True)
    credits = models.TextField(max_length=4000, blank=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def service_labels(self) -> list[str]:
        return [Service(s).label for s in self.services if s in Service.values]


class Package(models.Model):
    engineer = models.ForeignKey(EngineerProfile, on_delete=models.CASCADE, related_name="packages")
    name = models.CharField(max_length=80)
    service = models.CharField(max_length=20, choices=Service.choices)
    description = models.TextField(max_length=2000, blank=True)
    price = models.PositiveIntegerField()  # minor units
    currency = models.CharField(max_length=3, default="eur")
    turnaround_days = models.PositiveSmallIntegerField()
    revisions_included = models.PositiveSmallIntegerField(default=2)
    extra_revision_price = models.PositiveIntegerField(default=0)  # 0: no extra rounds sold
    rush_price = models.PositiveIntegerField(default=0)  # 0: no rush delivery
    rush_days = models.PositiveSmallIntegerField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["price"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="package_price_positive"),
            models.CheckConstraint(
                condition=models.Q(turnaround_days__gte=1), name="package_turnaround_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(rush_price=0)
                | models.Q(rush_days__gte=1, rush_days__lt=models.F("turnaround_days")),
                name="package_rush_faster",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_service_display()})"


class Sample(models.Model):
    """A before/after pair on an engineer's page, played in the A/B player."""

    engineer = models.ForeignKey(EngineerProfile, on_delete=models.CASCADE, related_name="samples")
    title = models.CharField(max_length=120)
    before = models.CharField(max_length=200)  # storage names
    after = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
    PAID = "paid", "Paid: waiting for the engineer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined (refunded)"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    REVISION_REQUESTED = "revision_requested", "Revision requested"
    APPROVED = "approved", "Approved"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"
    DISPUTED = "disputed", "Disputed"


# The engineer is working on it (it is in their queue).
WORKING = (
    OrderStatus.PAID,
    OrderStatus.ACCEPTED,
    OrderStatus.IN_PROGRESS,
    OrderStatus.REVISION_REQUESTED,
)


class Order(models.Model):
    """One order of one package. Both people keep it: a deleted account leaves it to the other
    side with the link cleared (P32), so the relations to the two users are SET_NULL."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="orders_placed",
    )
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="orders_received",
    )
    package = models.ForeignKey(Package, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=120)
    service = models.CharField(max_length=20, choices=Service.choices)
    notes = models.TextField(max_length=5000, blank=True)
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.AWAITING_PAYMENT
    )
    currency = models.CharField(max_length=3)
    price = models.PositiveIntegerField()  # the package's price when ordered
    extra_revisions = models.PositiveSmallIntegerField(default=0)
    extra_revision_price = models.PositiveIntegerField(default=0)  # each
    rush = models.BooleanField(default=False)
    rush_price = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField()
    platform_fee = models.PositiveIntegerField()  # the quote; the payment's split is final
    engineer_share = models.PositiveIntegerField()
    turnaround_days = models.PositiveSmallIntegerField()
    revisions_included = models.PositiveSmallIntegerField()  # package rounds + extra rounds
    revisions_used = models.PositiveSmallIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)  # 1-5, given on approval
    # The client's words with the rating: shown on the engineer's page, summarised by the assistant.
    review = models.TextField(max_length=REVIEW_MAX_CHARS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)  # from payment + turnaround
    delivered_at = models.DateTimeField(null=True, blank=True)  # the latest version
    # When it reached an end (completed, declined, cancelled, refunded): retention counts from it.
    closed_at = models.DateTimeField(null=True, blank=True)
    sources_deleted_at = models.DateTimeField(null=True, blank=True)  # P15

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "delivered_at"]),
            models.Index(fields=["status", "closed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total=models.F("platform_fee") + models.F("engineer_share")),
                name="order_split_adds_up",
            ),
            models.CheckConstraint(
                condition=models.Q(revisions_used__lte=models.F("revisions_included")),
                name="order_revisions_within_rounds",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="order_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def revisions_left(self) -> int:
        return self.revisions_included - self.revisions_used


class FileKind(models.TextChoices):
    STEM = "stem", "Stem"
    REFERENCE = "reference", "Reference"


class OrderFile(models.Model):
    """A stem or the reference the client sent (source files: deleted after completion, P15)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=10, choices=FileKind.choices)
    filename = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=200, blank=True)  # empty once deleted
    size = models.BigIntegerField()
    audio_info = models.JSONField(default=dict)

    class Meta:
        ordering = ["kind", "filename"]

    def __str__(self) -> str:
        return self.filename


class Delivery(models.Model):
    """One version the engineer delivered (v1, v2, ...)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="deliveries")
    number = models.PositiveSmallIntegerField()
    message = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the previews' task reached the queue; empty: the periodic sweep queues it again.
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["order", "number"], name="delivery_order_number")
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class DeliveryFile(models.Model):
    """A file of a version: full resolution (unlocks on approval) and its full-length preview
    (MP3, made by a worker) with the waveform peaks for the player."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="files")
    filename = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=200)
    size = models.BigIntegerField()
    audio_info = models.JSONField(default=dict)
    preview = models.CharField(max_length=200, blank=True)  # empty until the worker made it
    waveform = models.JSONField(null=True, blank=True)  # the engine's {"peaks": [[lo, hi]...]}
    preview_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["filename"]

    def __str__(self) -> str:
        return self.filename


class RevisionNote(models.Model):
    """A note pinned to a time of a version ("0:42 vocal too loud")."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="notes")
    at_seconds = models.FloatField()
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at_seconds", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(at_seconds__gte=0), name="revisionnote_time_positive"
            )
        ]

    def __str__(self) -> str:
        minutes, seconds = divmod(int(self.at_seconds), 60)
        return f"{minutes}:{seconds:02d} {self.text}"


class EventKind(models.TextChoices):
    CREATED = "created", "Order placed"
    PAID = "paid", "Paid"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined and refunded"
    STARTED = "started", "Work started"
    DELIVERED = "delivered", "Version delivered"
    REVISION_REQUESTED = "revision_requested", "Revision requested"
    ROUND_BOUGHT = "round_bought", "Extra revision round bought"
    APPROVED = "approved", "Approved"
    AUTO_APPROVED = "auto_approved", "Approved automatically"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"
    DISPUTED = "disputed", "Disputed"
    SOURCES_DELETED = "sources_deleted", "Source files deleted"


class OrderEvent(models.Model):
    """A line of the order's timeline."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    text = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()
