"""Starting, answering and deleting exercises, and the day's workout.

Cost bounds per user: ``TRAINING_MAX_RENDERING`` questions in preparation at once and
``TRAINING_MAX_PER_DAY`` started per day. Seeds come from ``secrets``: the question generator is
public code, so a guessable seed would give the answer away.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masterbus.core import storage
from masterbus.mastering.models import Song
from masterbus.training import questions, selectors
from masterbus.training.errors import (
    AnswerInvalid,
    ExerciseState,
    NoSuchSong,
    TooManyExercises,
    TrainingError,
)
from masterbus.training.models import Clip, Exercise, ExerciseStatus, Kind, Material, Workout

WORKOUT = (  # the day's fixed set: one question per skill, on a source that suits it
    (Kind.FREQUENCY, Material.PINK),
    (Kind.LEVEL, Material.MUSIC),
    (Kind.COMPRESSION, Material.MUSIC),
    (Kind.WIDTH, Material.MUSIC),
    (Kind.MATCH_EQ, Material.PINK),
)
FREQ_LIMITS_HZ = (20.0, 20000.0)


def _check_bounds(user, count: int) -> None:
    mine = Exercise.objects.filter(user=user)
    preparing = mine.filter(status=ExerciseStatus.RENDERING).count()
    if preparing + count > settings.TRAINING_MAX_RENDERING:
        raise TooManyExercises("Some questions are still being prepared: answer those first.")
    today = timezone.now() - dt.timedelta(days=1)
    if mine.filter(created_at__gte=today).count() + count > settings.TRAINING_MAX_PER_DAY:
        raise TooManyExercises("That is enough training for one day: come back tomorrow.")


def _create(*, user, kind: str, difficulty: int, material: str, song=None, **extra) -> Exercise:
    seed = secrets.randbits(48)
    question = questions.design(kind, difficulty, seed)
    exercise = Exercise.objects.create(
        user=user,
        kind=kind,
        difficulty=difficulty,
        material=material,
        song=song,
        seed=seed,
        prompt=question.prompt,
        choices=question.choices,
        params={**question.params, "labels": question.labels},
        band_hz=question.band_hz,
        **extra,
    )
    transaction.on_commit(lambda: _enqueue(exercise.pk))
    return exercise


def _enqueue(exercise_id) -> None:
    from masterbus.training.tasks import render_exercise

    render_exercise.enqueue(str(exercise_id))


def exercise_start(
    *, user, kind: str, difficulty: int, material: str = Material.PINK, song_id=None,
    next_url: str = "",
) -> Exercise:  # fmt: skip
    """One drill question; ``song_id`` must name one of the user's own songs."""
    if kind not in Kind.values or material not in Material.values:
        raise TrainingError("Choose a known exercise and sound.")
    if not 1 <= difficulty <= 5:
        raise TrainingError("Difficulty goes from 1 to 5.")
    song = None
    if material == Material.SONG:
        song = Song.objects.filter(user=user, pk=song_id).first() if song_id else None
        if song is None:
            raise NoSuchSong("Choose one of your songs.")
    if kind == Kind.COMPRESSION and material == Material.PINK:
        material = Material.MUSIC  # compression is inaudible on steady noise
    with transaction.atomic():
        _check_bounds(user, 1)
        return _create(
            user=user, kind=kind, difficulty=difficulty, material=material, song=song,
            next_url=next_url[:500],
        )  # fmt: skip


def workout_start(*, user, day: dt.date | None = None) -> Workout:
    """The day's workout (made once per day): one question per skill at the user's level."""
    day = day or timezone.localdate()
    with transaction.atomic():
        workout, created = Workout.objects.get_or_create(user=user, day=day)
        if created:
            _check_bounds(user, len(WORKOUT))
            for position, (kind, material) in enumerate(WORKOUT):
                _create(
                    user=user, kind=kind, difficulty=selectors.level_for(user=user, kind=kind),
                    material=material, workout=workout, position=position,
                )  # fmt: skip
    return workout


def _response(exercise: Exercise, raw: dict) -> dict:
    """The answer, validated against the question (anything else is a clear 400)."""
    if exercise.kind == Kind.MATCH_EQ:
        try:
            hz = float(raw.get("frequency_hz"))
            gain = float(raw.get("gain_db"))
        except (TypeError, ValueError):
            raise AnswerInvalid("Set a frequency and a gain.") from None
        if not (math.isfinite(hz) and math.isfinite(gain)):
            raise AnswerInvalid("Set a frequency and a gain.")
        if not FREQ_LIMITS_HZ[0] <= hz <= FREQ_LIMITS_HZ[1]:
            raise AnswerInvalid("The frequency goes from 20 Hz to 20 kHz.")
        if abs(gain) > questions.GAIN_RANGE_DB:
            limit = questions.GAIN_RANGE_DB
            raise AnswerInvalid(f"The gain goes from -{limit:g} to +{limit:g} dB.")
        return {"frequency_hz": round(hz, 1), "gain_db": round(gain, 2)}
    choice = raw.get("choice")
    if not isinstance(choice, str) or choice not in {c["value"] for c in exercise.choices}:
        raise AnswerInvalid("Pick one of the choices.")
    return {"choice": choice}


def exercise_answer(*, exercise: Exercise, raw: dict) -> Exercise:
    """Grade the answer on the server, once: the answer is stored only for a ready question."""
    response = _response(exercise, raw)
    score = questions.grade(exercise.kind, exercise.params, response)
    now = timezone.now()
    moved = Exercise.objects.filter(pk=exercise.pk, status=ExerciseStatus.READY).update(
        status=ExerciseStatus.ANSWERED, response=response, score=score, answered_at=now
    )
    if not moved:
        exercise.refresh_from_db()
        if exercise.status == ExerciseStatus.ANSWERED:
            raise ExerciseState("This question has been answered already.")
        raise ExerciseState("This question is not ready yet.")
    exercise.refresh_from_db()
    workout = exercise.workout
    if workout is not None and selectors.workout_next(workout=workout) is None:
        Workout.objects.filter(pk=workout.pk, finished_at__isnull=True).update(finished_at=now)
    return exercise


def exercise_clips_delete(*, exercise: Exercise) -> None:
    clips = list(exercise.clips.all())
    storage.delete([clip.stored_name for clip in clips])
    Clip.objects.filter(pk__in=[clip.pk for clip in clips]).delete()
    Exercise.objects.filter(pk=exercise.pk).update(clips_deleted_at=timezone.now())


def clips_purge(*, now: dt.datetime | None = None) -> int:
    """Periodic: clips of questions answered more than the retention ago are deleted (the
    scores stay for the stats); questions stuck in preparation for an hour fail."""
    now = now or timezone.now()
    Exercise.objects.filter(
        status=ExerciseStatus.RENDERING, created_at__lt=now - dt.timedelta(hours=1)
    ).update(status=ExerciseStatus.FAILED)
    old = Exercise.objects.filter(
        clips_deleted_at__isnull=True,
        created_at__lt=now - dt.timedelta(days=settings.TRAINING_CLIP_RETENTION_DAYS),
    ).exclude(status=ExerciseStatus.RENDERING)
    count = 0
    for exercise in old.iterator():
        exercise_clips_delete(exercise=exercise)
        count += 1
    return count
