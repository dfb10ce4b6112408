"""Exports, pending account deletions, rights requests and the audit log."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# An export still unfinished after this long is taken as lost; a new one may be asked for.
EXPORT_LOST_AFTER = timedelta(hours=1)


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    BUILDING = "building", "Being built"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class DataExport(models.Model):
    """One "Export my data" request; the zip exists in storage only once the row is ready."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    file = models.CharField(max_length=200, blank=True)  # storage name, chosen by the server
    size = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.id} ({self.status})"

    @property
    def in_progress(self) -> bool:
        """Waiting or being built, and not lost (a worker that died leaves it behind)."""
        fresh = self.created_at >= timezone.now() - EXPORT_LOST_AFTER
        return self.status in (ExportStatus.PENDING, ExportStatus.BUILDING) and fresh


class DeletionReason(models.TextChoices):
    USER_REQUEST = "user", "Asked by the account holder"
    UNDER_AGE = "under_age", "The account holder is under the minimum age (P7)"


class AccountDeletion(models.Model):
    """An account that is deactivated and waits for its purge; goes with the user it names."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion"
    )
    reason = models.CharField(max_length=16, choices=DeletionReason.choices)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"deletion of user {self.user_id} asked {self.requested_at:%Y-%m-%d}"

    @property
    def purge_after(self):
        """A child's account goes at the next run (P7); others after the window in force."""
        if self.reason == DeletionReason.UNDER_AGE:
            return self.requested_at
        return self.requested_at + timedelta(days=settings.ACCOUNT_PURGE_DAYS)


class RightsRequestKind(models.TextChoices):
    ACCESS = "access", "Access to my data"
    ERASURE = "erasure", "Erasure of my data"
    CORRECTION = "correction", "Correction of my data"
    OBJECTION = "objection", "Objection to processing"
    OTHER = "other", "Something else"


class RightsRequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    REFUSED = "refused", "Refused"


class RightsRequest(models.Model):
    """A request that needs a person (P34); it must be answered by ``due_at``."""

    kind = models.CharField(max_length=16, choices=RightsRequestKind.choices)
    message = models.TextField()
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rights_requests",
    )
    status = models.CharField(
        max_length=16, choices=RightsRequestStatus.choices, default=RightsRequestStatus.OPEN
    )
    staff_note = models.TextField(blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_rights_requests",
    )
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # staff last told it is due soon

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.email or 'a deleted account'}"

    @property
    def due_at(self):
        return self.created_at + timedelta(days=settings.RIGHTS_REQUEST_DUE_DAYS)

    @property
    def is_overdue(self) -> bool:
        return self.status == RightsRequestStatus.OPEN and timezone.now() > self.due_at


class AuditAction(models.TextChoices):
    ADD = "add", "Added"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Deleted"
    ACTION = "action", "Ran an action"


class AuditEvent(models.Model):
    """One administrative action (P20): who, what, on which object, when, which fields.

    Written for every ModelAdmin on the site by ``masterbus.rights.audit``; never edited.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who it was at the time, readable after the staff account is gone.
    actor_label = models.CharField(max_length=254)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    action_name = models.CharField(max_length=100, blank=True)  # bulk actions: which one
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changed_fields = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_repr}"
