"""What the exercise page and the API show of a question: before it is answered only the
prompt, the choices and the clips' URLs (opaque names, in the question's order); after it, the
score, the answer given and the right one."""

from __future__ import annotations

import math

from django.urls import reverse

from masterbus.training import questions, selectors
from masterbus.training.models import Exercise, ExerciseStatus, Kind

LOG_RANGE = (round(math.log2(20), 2), round(math.log2(20000), 2))


def clip_list(exercise: Exercise, url_name: str = "training:clip") -> list[dict]:
    if exercise.status == ExerciseStatus.RENDERING:
        return []
    return [
        {"label": c.label, "url": reverse(url_name, args=[exercise.pk, c.name])}
        for c in exercise.clips.all()
    ]


def _label(exercise: Exercise, value: str) -> str:
    return next((c["label"] for c in exercise.choices if c["value"] == value), value)


def result(exercise: Exercise) -> dict | None:
    """The graded result: only for an answered question."""
    if exercise.status != ExerciseStatus.ANSWERED:
        return None
    params, response = exercise.params, exercise.response
    if exercise.kind == Kind.MATCH_EQ:
        given = f"{questions.hz_label(response['frequency_hz'])}, {response['gain_db']:+g} dB"
        right = f"{questions.hz_label(params['band_hz'])}, {params['gain_db']:+g} dB"
    else:
        given = _label(exercise, response["choice"])
        right = _label(exercise, params["answer"])
        if exercise.kind == Kind.FREQUENCY:
            right += f" ({params['gain_db']:+g} dB)"
    return {
        "score_percent": round(100 * (exercise.score or 0)),
        "given": given,
        "correct": right,
        "answered_at": exercise.answered_at,
    }


def exercise_context(exercise: Exercise) -> dict:
    workout = exercise.workout
    following = workout and selectors.workout_next(workout=workout)
    return {
        "exercise": exercise,
        "clips": clip_list(exercise),
        "result": result(exercise),
        "q": exercise.params.get("q") if exercise.kind == Kind.MATCH_EQ else None,
        "log_range": LOG_RANGE,
        "workout": workout,
        "workout_next": following,
        "workout_total": workout.exercises.count() if workout else 0,
    }
