"""Songs, albums, their mastering jobs (each job is one kept version) and delivery files."""

from __future__ import annotations

import uuid

from django.db import models

from masterbus.core.models import OwnedModel, OwnedQuerySet


class AlbumJobQuerySet(OwnedQuerySet):
    owner_path = "album"


class JobQuerySet(OwnedQuerySet):
    owner_path = "song"


class DeliveryQuerySet(OwnedQuerySet):
    owner_path = "job__song"


class Album(OwnedModel):
    """Songs mastered together, so loudness and tone stay consistent from track to track."""

    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OwnedModel.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Song(OwnedModel):
    """One uploaded mix, owned by a user or a guest; it keeps its original for re-mastering."""

    title = models.CharField(max_length=200)
    # A track of an album (deleting the album deletes its songs through the service).
    album = models.ForeignKey(
        Album, null=True, blank=True, on_delete=models.SET_NULL, related_name="tracks"
    )
    track_number = models.PositiveIntegerField(null=True, blank=True)
    # The original's integrated loudness, measured once when an album needs it; a measured
    # silence stays None, so the time tells "measured" from "not yet".
    loudness_lufs = models.FloatField(null=True, blank=True)
    loudness_measured_at = models.DateTimeField(null=True, blank=True)
    # The upload this song was made from: pressing Master twice makes one song, not two.
    source_upload_id = models.UUIDField(null=True, blank=True, unique=True)
    # Storage names, chosen by the server: never derived from what the user typed.
    original = models.CharField(max_length=200)
    original_size = models.BigIntegerField()
    audio_info = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(OwnedModel.Meta):
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    ANALYSING = "analysing", "Analysing"
    MASTERING = "mastering", "Mastering"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.ANALYSING, JobStatus.MASTERING)


class AlbumJob(models.Model):
    """One mastering of a whole album with one set of settings: a job per track links here.

    The track jobs are ordinary jobs (lease, heartbeat, sweeper, one set of deliveries each);
    this row only ties them together and numbers the album's versions.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="jobs")
    number = models.PositiveIntegerField()
    settings = models.JSONField()
    reference_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AlbumJobQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["album", "number"], name="album_job_number"),
        ]

    def __str__(self) -> str:
        return f"{self.album} v{self.number}"


class Job(models.Model):
    """One mastering of a song with one set of settings: a version the user can compare.

    The row is the source of truth. A worker takes a lease (token + expiry) before working and
    renews it by heartbeat; the sweeper re-queues a job whose lease ran out.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    song = models.ForeignKey(Song, on_delete=models.CASCADE, related_name="jobs")
    # Set for a track mastered as part of an album: its loudness target follows the album.
    album_job = models.ForeignKey(
        AlbumJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="tracks"
    )
    number = models.PositiveIntegerField()
    settings = models.JSONField()
    reference = models.CharField(max_length=200, blank=True)
    reference_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.FloatField(default=0.0)
    stage = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    lease_token = models.CharField(max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    report = models.JSONField(null=True, blank=True)
    # The loudest ~30 s of the master and the same window of the original, for the A/B player.
    preview = models.CharField(max_length=200, blank=True)
    original_preview = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once the task is in the queue; a queued job without it was lost between commit and
    # enqueue (a crash), and the sweeper queues it again.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Set when the WAV 24 master and the previews are stored: the page plays them and they can
    # be downloaded while the other formats are made from that master (the job is still active).
    playable_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["song", "number"], name="job_number_per_song"),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0) & models.Q(progress__lte=1),
                name="job_progress_fraction",
            ),
        ]
        indexes = [models.Index(fields=["status", "lease_expires_at"])]

    def __str__(self) -> str:
        return f"{self.song} v{self.number} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_playable(self) -> bool:
        """The master and its previews are stored (the other formats may still be coming); a
        job finished before ``playable_at`` existed is playable too."""
        if self.status == JobStatus.DONE:
            return True
        return self.playable_at is not None and self.status != JobStatus.FAILED


class DeliveryFormat(models.TextChoices):
    """The formats every master is delivered in (the engine's names), in the order shown."""

    WAV24 = "wav24", "WAV 24"
    WAV16 = "wav16", "WAV 16"
    FLAC = "flac", "FLAC"
    MP3 = "mp3", "MP3 320"


class Delivery(models.Model):
    """One mastered file in one format; at most one per job and format."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="deliveries")
    format = models.CharField(max_length=16, choices=DeliveryFormat.choices)
    file = models.CharField(max_length=200)
    size = models.BigIntegerField()

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["format"]
        constraints = [
            models.UniqueConstraint(fields=["job", "format"], name="one_delivery_per_format"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.format}"
