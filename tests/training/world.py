"""The URL walk's training objects for one party: a frequency question rendered by the real
renderer (so its clips exist), not yet answered."""

from __future__ import annotations

from django.db import transaction

from masterbus.training.services.exercises import exercise_start
from masterbus.training.services.render import exercise_render


def training_objects(user) -> dict:
    with transaction.atomic():
        exercise = exercise_start(user=user, kind="frequency", difficulty=1)
    exercise_render(exercise_id=exercise.pk)
    exercise.refresh_from_db()
    return {"exercise": exercise, "clip_name": exercise.clips.first().name}
