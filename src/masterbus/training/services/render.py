"""Rendering an exercise's clips in the worker and keeping them in storage under opaque names."""

from __future__ import annotations

import logging
import secrets
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
from django.conf import settings

from masterbus.core import storage
from masterbus.training import material, render
from masterbus.training.models import Exercise, ExerciseStatus, Material

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
    stored = []
    folder = f"training/{exercise.user_id}/{exercise.pk}"
    with tempfile.TemporaryDirectory() as tmp:
        for label, clip in zip(exercise.params["labels"], clips, strict=True):
            name = secrets.token_hex(8)
            local = Path(tmp) / f"{name}.wav"
            sf.write(local, clip.T, settings.TRAINING_SAMPLE_RATE, subtype="PCM_16")
            path = storage.store(f"{folder}/{name}.wav", local)
            stored.append({"name": name, "label": label, "path": path})
    moved = Exercise.objects.filter(pk=exercise.pk, status=ExerciseStatus.RENDERING).update(
        status=ExerciseStatus.READY, clips=stored
    )
    if not moved:  # deleted or failed meanwhile: keep no orphans
        storage.delete([clip["path"] for clip in stored])
