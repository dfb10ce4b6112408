"""The Upload row: who owns it, how far it got, where its bytes are, and what the audio is."""

from __future__ import annotations

from django.db import models

from masterbus.core.models import OwnedModel


class UploadStatus(models.TextChoices):
    UPLOADING = "uploading", "Uploading"
    COMPLETE = "complete", "Complete"
    FAILED = "failed", "Failed"


class Upload(OwnedModel):
    # The name the person gave the file, cleaned for display; never used to build a path.
    filename = models.CharField(max_length=255)
    # What the browser said the type was; informative only, the content decides (P8).
    filetype = models.CharField(max_length=100, blank=True)
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    # Relative to MEDIA_ROOT, chosen by the server ("uploads/<hex>"); empty once the bytes are gone.
    stored_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=16, choices=UploadStatus.choices, default=UploadStatus.UPLOADING
    )
    error_message = models.TextField(blank=True)
    # What the engine's probe found: sample_rate, channels, frames, duration_s, format, subtype.
    audio_info = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta(OwnedModel.Meta):
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            *OwnedModel.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(offset__gte=0) & models.Q(offset__lte=models.F("length")),
                name="upload_offset_within_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status}, {self.offset}/{self.length} bytes)"
