"""Demo ear training (loaded by `masterbus demo`; idempotent): the demo listener finished the
daily workout on each of the last three days, so the stats, the streak and the progress chart
have something to show. Answers alternate between right and near misses (partial credit)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from masterbus.demo.users import demo_user
from masterbus.training.models import Exercise, Kind, Workout
from masterbus.training.services.exercises import exercise_answer, workout_start
from masterbus.training.services.render import exercise_render

DAYS = 3


def _near_miss(exercise: Exercise) -> dict:
    """The right answer, or for every other question its neighbouring choice."""
    params = exercise.params
    if exercise.kind == Kind.MATCH_EQ:
        return {"frequency_hz": params["band_hz"] * 1.26, "gain_db": params["gain_db"] - 2}
    values = [c["value"] for c in exercise.choices]
    index = values.index(params["answer"])
    if exercise.position % 2:
        index = index + 1 if index + 1 < len(values) else index - 1
    return {"choice": values[index]}


def load(*, stdout) -> None:
    user = demo_user("listener", display_name="Demo Listener", stdout=stdout)
    if Workout.objects.filter(user=user).exists():
        return
    today = timezone.localdate()
    for days_ago in range(DAYS, 0, -1):
        day = today - dt.timedelta(days=days_ago)
        workout = workout_start(user=user, day=day)
        for exercise in workout.exercises.order_by("position"):
            exercise_render(exercise_id=exercise.pk)
            exercise.refresh_from_db()
            exercise_answer(exercise=exercise, raw=_near_miss(exercise))
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(19, 0)))
        workout.exercises.update(created_at=when, answered_at=when)
        Workout.objects.filter(pk=workout.pk).update(finished_at=when)
    stdout.write(f"  ear training: {DAYS} finished daily workouts for {user.email}")
