"""Ear training over the API: start a question (or the day's workout), fetch it, answer it,
read the stats. A question never carries its answer before it is answered: the clips come as
URLs with opaque names, graded on the server; another user's question is an unknown one (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from masterbus.api.errors import ERRORS, ApiError, ErrorOut
from masterbus.core.files import stored_file_response
from masterbus.training import selectors
from masterbus.training.errors import AnswerInvalid, ExerciseState, NoSuchSong
from masterbus.training.models import Exercise, Kind, Material
from masterbus.training.presenters import clip_list, result
from masterbus.training.services import exercises as services

router = Router(tags=["training"])
NO_EXERCISE = "There is no such exercise."


class TrainingChoiceOut(Schema):
    value: str
    label: str


class TrainingClipOut(Schema):
    label: str
    url: str = Field(description="the clip (WAV), fetched with the same token")


class TrainingResultOut(Schema):
    score_percent: int = Field(description="0-100, with partial credit by distance")
    given: str
    correct: str
    answered_at: dt.datetime


class TrainingExerciseOut(Schema):
    id: UUID
    kind: str
    difficulty: int
    material: str
    status: str = Field(description='"rendering" (poll again), "ready", "answered" or "failed"')
    prompt: str
    choices: list[TrainingChoiceOut] = Field(
        description="empty for match-eq: answer a frequency/gain"
    )
    clips: list[TrainingClipOut]
    q: float | None = Field(None, description="match-eq: the band's Q, for your own preview")
    workout_id: UUID | None
    result: TrainingResultOut | None = Field(description="only once answered")


class TrainingExerciseIn(Schema):
    kind: Literal[tuple(Kind.values)]  # type: ignore[valid-type]
    difficulty: int = Field(1, ge=1, le=5)
    material: Literal[tuple(Material.values)] = Material.PINK  # type: ignore[valid-type]
    song_id: UUID | None = Field(None, description="with material 'song': one of your songs")


class TrainingAnswerIn(Schema):
    choice: str | None = Field(None, max_length=40, description="a choice's value")
    frequency_hz: float | None = Field(None, ge=20, le=20000, description="match-eq: Hz")
    gain_db: float | None = Field(None, ge=-15, le=15, description="match-eq: dB")


class TrainingWorkoutOut(Schema):
    id: UUID
    day: dt.date
    finished_at: dt.datetime | None
    exercises: list[TrainingExerciseOut]


class TrainingSkillOut(Schema):
    kind: str
    label: str
    count: int
    mean_percent: int | None
    level: int


class TrainingBandOut(Schema):
    hz: int
    count: int
    mean_percent: int


class TrainingStatsOut(Schema):
    answered: int
    streak: int = Field(description="days in a row with an answer")
    workouts: int = Field(description="finished daily workouts")
    skills: list[TrainingSkillOut]
    bands: list[TrainingBandOut]


def _out(exercise: Exercise) -> dict:
    return {
        "id": exercise.pk,
        "kind": exercise.kind,
        "difficulty": exercise.difficulty,
        "material": exercise.material,
        "status": exercise.status,
        "prompt": exercise.prompt,
        "choices": exercise.choices,
        "clips": clip_list(exercise, "api:training_clip"),
        "q": exercise.params.get("q") if exercise.kind == Kind.MATCH_EQ else None,
        "workout_id": exercise.workout_id,
        "result": result(exercise),
    }


def _own(request: HttpRequest, exercise_id: UUID) -> Exercise:
    exercise = selectors.exercise_for_user(user=request.owner.user, exercise_id=exercise_id)
    if exercise is None:
        raise ApiError(404, "not_found", NO_EXERCISE)
    return exercise


@router.post("/training/exercises", response={201: TrainingExerciseOut, **ERRORS})
def training_exercise_start(request: HttpRequest, payload: TrainingExerciseIn):
    """A drill question; its clips are prepared in the background: poll until ``ready``.

    404 ``not_found`` for material "song" without one of your songs; 429 ``quota_exceeded``
    with too many questions in preparation or too many today.
    """
    try:
        exercise = services.exercise_start(
            user=request.owner.user,
            kind=payload.kind,
            difficulty=payload.difficulty,
            material=payload.material,
            song_id=payload.song_id,
        )
    except NoSuchSong as exc:
        raise ApiError(404, exc.code, exc.message) from None
    return Status(201, _out(exercise))


@router.post("/training/workout", response={200: TrainingWorkoutOut, **ERRORS})
def training_workout(request: HttpRequest):
    """Today's workout (made on the first call of the day): one question per skill."""
    workout = services.workout_start(user=request.owner.user)
    items = [_out(e) for e in workout.exercises.order_by("position")]
    return {"id": workout.pk, "day": workout.day, "finished_at": workout.finished_at,
            "exercises": items}  # fmt: skip


@router.get(
    "/training/exercises/{exercise_id}",
    response={200: TrainingExerciseOut, **ERRORS},
    url_name="training_exercise",
)
def training_exercise_get(request: HttpRequest, exercise_id: UUID):
    return _out(_own(request, exercise_id))


@router.post(
    "/training/exercises/{exercise_id}/answer",
    response={200: TrainingExerciseOut, 409: ErrorOut, **ERRORS},
)
def training_exercise_answer(request: HttpRequest, exercise_id: UUID, payload: TrainingAnswerIn):
    """Graded on the server, once; the answer (and the right one) comes back in ``result``.

    409 ``exercise_state`` when the question is not ready or has been answered already;
    409 ``invalid_answer`` for an answer that does not fit it (a choice that is not one of its
    choices, a match-eq answer without frequency and gain).
    """
    exercise = _own(request, exercise_id)
    try:
        exercise = services.exercise_answer(exercise=exercise, raw=payload.dict())
    except (ExerciseState, AnswerInvalid) as exc:
        raise ApiError(409, exc.code, exc.message) from None
    return _out(exercise)


@router.get(
    "/training/exercises/{exercise_id}/clips/{name}",
    response={200: None, **ERRORS},
    url_name="training_clip",
    openapi_extra={"responses": {200: {"description": "WAV", "content": {"audio/wav": {}}}}},
)
def training_clip(request: HttpRequest, exercise_id: UUID, name: str):
    path = selectors.clip_path(exercise=_own(request, exercise_id), name=name)
    if not path:
        raise ApiError(404, "not_found", "There is no such clip.")
    return stored_file_response(request, path, filename=f"{name}.wav", as_attachment=False)


@router.get("/training/stats", response={200: TrainingStatsOut, **ERRORS})
def training_stats(request: HttpRequest):
    """Per skill and per octave band, the streak and finished workouts."""
    return selectors.stats(user=request.owner.user)
