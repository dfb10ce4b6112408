"""Rendering an exercise's clips in the worker and keeping them in storage under opaque names."""

from __future__ import annotations

import logging
import secrets
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
from django.conf import settings
from django.db import transaction

from masterbus.core import storage
from masterbus.training import material, render
from masterbus.training.models import Clip, Exercise, ExerciseStatus, Material

logger = logging.getLogger(__name__)


def _source(exercise: Exercise) -> np.ndarray:
    frames = material.clip_frames()
    if exercise.material == Material.SONG:
        if exercise.song is None:
            raise material.MaterialError("The song has been deleted.")
        return material.song_excerpt(exercise.song.original, exercise.seed, frames)
    if exercise.material == Material.MUSIC:
        return material.music(exercise.seed, frames)
    return material.pink_noise(exercise.seed, frames)


def exercise_render(*, exercise_id) -> None:
    """Idempotent: only a question still in preparation is rendered, and only once recorded."""
    exercise = Exercise.objects.filter(pk=exercise_id, status=ExerciseStatus.RENDERING).first()
    if exercise is None:
        return
    try:
        clips = render.render(exercise.kind, exercise.params, _source(exercise))
    except material.MaterialError:
        logger.warning("training exercise %s: no source", exercise_id)
        Exercise.objects.filter(pk=exercise.pk, status=ExerciseStatus.RENDERING).update(
            status=ExerciseStatus.FAILED
        )
        return
    stored: list[Clip] = []
    folder = f"training/{exercise.user_id}/{exercise.pk}"
    with tempfile.TemporaryDirectory() as tmp:
        for position, (label, clip) in enumerate(
            zip(exercise.params["labels"], clips, strict=True)
        ):
            name = secrets.token_hex(8)
            local = Path(tmp) / f"{name}.wav"
            sf.write(local, clip.T, settings.TRAINING_SAMPLE_RATE, subtype="PCM_16")
            path = storage.store(f"{folder}/{name}.wav", local)
            stored.append(Clip(position=position, label=label, name=name, stored_name=path))
    with transaction.atomic():
        moved = Exercise.objects.filter(pk=exercise.pk, status=ExerciseStatus.RENDERING).update(
            status=ExerciseStatus.READY
        )
        if moved:
            Clip.objects.bulk_create([Clip(exercise=exercise, **_fields(c)) for c in stored])
    if not moved:  # deleted or failed meanwhile: keep no orphans
        storage.delete([clip.stored_name for clip in stored])


def _fields(clip: Clip) -> dict:
    return {k: getattr(clip, k) for k in ("position", "label", "name", "stored_name")}
