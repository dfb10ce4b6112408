"""Shop state: sellers (applied for, approved by staff), products with versions and files per
OS, licences signed with Ed25519, their machine activations, and download events.

A licence is a sale record (P23): its link to the buyer is SET_NULL, so an account deletion
leaves the licence (revoked, nameless) next to its payment; activations, licence events and
download events are the buyer's own and go with the account.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class SellerProfile(models.Model):
    """A user who sells; applying grants nothing until staff approve (audited)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seller_profile"
    )
    display_name = models.CharField(max_length=80)
    about = models.TextField(max_length=2000, blank=True)
    applied_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class Product(models.Model):
    """A plugin or tool; listed while active and its seller approved. A seller who leaves keeps
    the product's sales for the buyers (SET_NULL): it is no longer listed."""

    seller = models.ForeignKey(
        SellerProfile, null=True, on_delete=models.SET_NULL, related_name="products"
    )
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(max_length=5000, blank=True)
    price = models.PositiveIntegerField()  # minor units
    currency = models.CharField(max_length=3, default="eur")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gt=0), name="shop_product_price_set")
        ]

    def __str__(self) -> str:
        return self.name


class ProductVersion(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=30)
    changelog = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "version"], name="shop_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.version}"


class Platform(models.TextChoices):
    WINDOWS = "windows", "Windows"
    MACOS = "macos", "macOS"
    LINUX = "linux", "Linux"


class VersionFile(models.Model):
    """One downloadable file of a version for one OS, kept in storage (core/storage.py)."""

    version = models.ForeignKey(ProductVersion, on_delete=models.CASCADE, related_name="files")
    platform = models.CharField(max_length=10, choices=Platform.choices)
    stored_name = models.CharField(max_length=300)
    filename = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["platform"]
        constraints = [
            models.UniqueConstraint(fields=["version", "platform"], name="shop_version_file_per_os")
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.platform})"


class LicenceStatus(models.TextChoices):
    PENDING = "pending", "Awaiting payment"
    ACTIVE = "active", "Active"
    REVOKED = "revoked", "Revoked"


class Licence(models.Model):
    """A bought product: pending until the payment's webhook issues the signed key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="licences"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="licences")
    edition = models.CharField(max_length=20, default="standard")
    status = models.CharField(
        max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.PENDING
    )
    key = models.TextField(blank=True)  # the signed licence key, set when issued
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=200, blank=True)
    # Abuse review: flagged by the limits, cleared or revoked by staff (audited); never blocks.
    flagged_at = models.DateTimeField(null=True, blank=True)
    flag_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "product"],
                condition=models.Q(status="active"),
                name="shop_one_active_licence",
            )
        ]

    def __str__(self) -> str:
        return f"licence {str(self.pk)[:8]} for {self.product}"


class Activation(models.Model):
    """A machine using a licence (the plugin sends a hash of its fingerprint, never the raw one).
    Deactivated rows stay as history until the licence goes."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="activations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="licence_activations"
    )
    machine_hash = models.CharField(max_length=64)
    label = models.CharField(max_length=80, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "machine_hash"],
                condition=models.Q(deactivated_at__isnull=True),
                name="shop_one_live_activation",
            )
        ]

    def __str__(self) -> str:
        return f"activation {self.machine_hash[:8]}"


class LicenceEventKind(models.TextChoices):
    ACTIVATE = "activate", "Activated"
    DEACTIVATE = "deactivate", "Deactivated"


class LicenceEvent(models.Model):
    """What the abuse limits count: activation changes and the (hashed) address they came from."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="licence_events"
    )
    kind = models.CharField(max_length=10, choices=LicenceEventKind.choices)
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d}"


class DownloadEvent(models.Model):
    """A download by a licence holder: who, which version and OS, when, and a keyed hash of the
    address (never the raw IP); purged after SHOP_DOWNLOAD_RETENTION_DAYS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shop_downloads"
    )
    version = models.ForeignKey(ProductVersion, on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(max_length=10, choices=Platform.choices)
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"download of {self.version_id} ({self.platform})"
