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


class PreviewStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Preparing"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class PreviewSet(OwnedModel):
    """Loudness-matched previews of every style (and the original) of one upload, for one
    intensity and loudness target: what a person listens to before choosing how to master."""

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="preview_sets")
    intensity = models.PositiveSmallIntegerField()
    target_lufs = models.FloatField()
    status = models.CharField(
        max_length=16, choices=PreviewStatus.choices, default=PreviewStatus.QUEUED
    )
    error_message = models.TextField(blank=True)
    # {"original": storage name, "<style>": storage name, ...} once done.
    files = models.JSONField(default=dict, blank=True)
    # The engine's report: excerpt window, common loudness, each preview's settings and levels.
    report = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta(OwnedModel.Meta):
        ordering = ["created_at"]
        constraints = [
            *OwnedModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["upload", "intensity", "target_lufs"], name="preview_set_once"
            ),
            models.CheckConstraint(
                condition=models.Q(intensity__lte=100), name="preview_set_intensity_range"
            ),
        ]

    def __str__(self) -> str:
        return f"previews of {self.upload_id} at {self.intensity} % ({self.status})"
