"""Ear training: exercises (one question each, rendered from a seed) and daily workouts.

The exercise row keeps the secret (``params``: what was done to the audio, hence the answer);
pages and the API only ever show ``choices`` and the clips under opaque names until it is
answered. Signed-in users only: a guest has no stats or streak worth keeping.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    FREQUENCY = "frequency", "Frequency"
    LEVEL = "level", "Level"
    COMPRESSION = "compression", "Compression"
    WIDTH = "width", "Stereo width"
    MATCH_EQ = "match-eq", "Match the EQ"


class Material(models.TextChoices):
    PINK = "pink", "Pink noise"
    MUSIC = "music", "Built-in music"
    SONG = "song", "One of my songs"


class ExerciseStatus(models.TextChoices):
    RENDERING = "rendering", "Preparing"
    READY = "ready", "Ready"
    ANSWERED = "answered", "Answered"
    FAILED = "failed", "Failed"


class Workout(models.Model):
    """The day's fixed set of questions, one per skill at the user's level on that skill."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_workouts"
    )
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="training_workout_one_per_day")
        ]

    def __str__(self) -> str:
        return f"workout of {self.day}"


class Exercise(models.Model):
    """One question: clips rendered from ``seed`` by the engine's filters, graded on the server."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_exercises"
    )
    workout = models.ForeignKey(
        Workout, null=True, blank=True, on_delete=models.CASCADE, related_name="exercises"
    )
    position = models.PositiveSmallIntegerField(default=0)  # order within the workout
    kind = models.CharField(max_length=16, choices=Kind.choices)
    difficulty = models.PositiveSmallIntegerField()
    material = models.CharField(max_length=8, choices=Material.choices)
    # the user's own song, read as a short excerpt; the exercise outlives the song's deletion
    song = models.ForeignKey(
        "mastering.Song", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seed = models.BigIntegerField()
    status = models.CharField(
        max_length=12, choices=ExerciseStatus.choices, default=ExerciseStatus.RENDERING
    )
    prompt = models.CharField(max_length=300)
    choices = models.JSONField(default=list)  # [{"value", "label"}]: shown to the user
    params = models.JSONField(default=dict)  # the secret: what was done, hence the answer
    response = models.JSONField(default=dict)  # what the user answered
    score = models.FloatField(null=True, blank=True)  # 0..1 with partial credit
    band_hz = models.FloatField(null=True, blank=True)  # the band asked about (stats per band)
    next_url = models.CharField(max_length=500, blank=True)  # a drill's local "continue" link
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    clips_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=5),
                name="training_exercise_difficulty_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=1),
                name="training_exercise_score_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.difficulty}"

    @property
    def is_answered(self) -> bool:
        return self.status == ExerciseStatus.ANSWERED


class Clip(models.Model):
    """One rendered clip of a question, in storage under a random name that says nothing about
    what was done to it (the page and the API see only ``name``)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="clips")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=40)
    name = models.CharField(max_length=32, unique=True)
    stored_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["exercise", "position"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "position"], name="training_clip_position")
        ]

    def __str__(self) -> str:
        return self.label
