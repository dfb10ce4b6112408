"""Grading with partial credit, answering once, the cost bounds, the daily workout, levels,
streaks, the contract for courses and community, and the clip retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from masterbus.training import questions, selectors
from masterbus.training.errors import ExerciseState, TooManyExercises, TrainingError
from masterbus.training.models import Clip, Exercise, ExerciseStatus, Workout
from masterbus.training.services.exercises import (
    clips_purge,
    exercise_answer,
    exercise_start,
    workout_start,
)
from masterbus.training.services.render import exercise_render
from tests.training.conftest import ready

pytestmark = pytest.mark.django_db


def test_frequency_credit_falls_with_octave_distance():
    params = {"band_hz": 1000.0}
    grade = lambda hz: questions.grade("frequency", params, {"choice": str(hz)})  # noqa: E731
    assert grade(1000) == 1.0
    assert grade(1250) == pytest.approx(1 - (1 / 3) / 2, abs=0.01)  # a third off: 0.83
    assert grade(2000) == 0.5 and grade(500) == 0.5  # an octave off, either side
    assert grade(4000) == 0.0 and grade(125) == 0.0


def test_match_eq_credit_weighs_frequency_and_gain():
    params = {"band_hz": 2000.0, "gain_db": 6.0}
    grade = lambda hz, db: questions.grade("match-eq", params, {"frequency_hz": hz, "gain_db": db})  # noqa: E731
    assert grade(2000, 6) == 1.0
    assert grade(4000, 6) == pytest.approx(0.6 * 0.5 + 0.4)
    assert grade(2000, 0) == pytest.approx(0.6)
    assert grade(2000, -6) == pytest.approx(0.6)  # the wrong direction earns no gain credit
    assert grade(16000, -6) == 0.0


def test_level_width_and_compression_credit():
    level = {"values": [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0], "delta_db": 1.0}
    assert questions.grade("level", level, {"choice": "1"}) == 1.0
    assert questions.grade("level", level, {"choice": "2"}) == 0.5
    assert questions.grade("level", level, {"choice": "-1"}) == 0.0
    width = {"values": [50, 75, 100, 125, 150], "width_percent": 125}
    assert questions.grade("width", width, {"choice": "100"}) == 0.5
    squeeze = {"clip": "B", "answer": "B-heavy"}
    assert questions.grade("compression", squeeze, {"choice": "B-heavy"}) == 1.0
    assert questions.grade("compression", squeeze, {"choice": "B-gentle"}) == 0.5
    assert questions.grade("compression", squeeze, {"choice": "A-heavy"}) == 0.0


def test_an_answer_is_graded_once_and_only_when_ready(alice):
    with transaction.atomic():
        pending = exercise_start(user=alice, kind="level", difficulty=2)
    with pytest.raises(ExerciseState, match="not ready"):
        exercise_answer(exercise=pending, raw={"choice": pending.choices[0]["value"]})
    exercise_render(exercise_id=pending.pk)
    exercise_render(exercise_id=pending.pk)  # a retried task renders nothing twice
    assert Clip.objects.filter(exercise=pending).count() == 2
    pending.refresh_from_db()
    done = exercise_answer(exercise=pending, raw={"choice": pending.params["answer"]})
    assert done.score == 1.0 and done.status == ExerciseStatus.ANSWERED
    with pytest.raises(ExerciseState, match="answered already"):
        exercise_answer(exercise=done, raw={"choice": done.choices[0]["value"]})


@pytest.mark.parametrize("raw", [{}, {"choice": None}, {"choice": "nope"}, {"choice": "1\x00"}])
def test_answers_outside_the_choices_are_refused(alice, raw):
    exercise = ready(alice, "width", 3)
    with pytest.raises(TrainingError):
        exercise_answer(exercise=exercise, raw=raw)


def test_bad_starts_are_refused(alice, bob, alice_song):
    with pytest.raises(TrainingError):
        exercise_start(user=alice, kind="pitch", difficulty=1)
    with pytest.raises(TrainingError):
        exercise_start(user=alice, kind="level", difficulty=6)
    with pytest.raises(TrainingError, match="your songs"):  # only one's own songs
        exercise_start(user=bob, kind="level", difficulty=1, material="song", song_id=alice_song.pk)


@override_settings(TRAINING_MAX_RENDERING=2, TRAINING_MAX_PER_DAY=3)
def test_cost_bounds_per_user(alice, bob):
    for _ in range(2):
        exercise_start(user=alice, kind="level", difficulty=1)
    with pytest.raises(TooManyExercises, match="being prepared"):
        exercise_start(user=alice, kind="level", difficulty=1)
    exercise_start(user=bob, kind="level", difficulty=1)  # bounds are per user
    for exercise in Exercise.objects.filter(user=alice):
        exercise_render(exercise_id=exercise.pk)
    exercise_start(user=alice, kind="level", difficulty=1)
    for exercise in Exercise.objects.filter(user=alice, status=ExerciseStatus.RENDERING):
        exercise_render(exercise_id=exercise.pk)
    with pytest.raises(TooManyExercises, match="one day"):
        exercise_start(user=alice, kind="level", difficulty=1)


def test_the_daily_workout_is_one_fixed_set_per_day(alice):
    first = workout_start(user=alice)
    again = workout_start(user=alice)
    assert first == again and Workout.objects.filter(user=alice).count() == 1
    kinds = list(first.exercises.order_by("position").values_list("kind", flat=True))
    assert kinds == ["frequency", "level", "compression", "width", "match-eq"]
    assert set(first.exercises.values_list("difficulty", flat=True)) == {1}
    for exercise in first.exercises.all():
        exercise_render(exercise_id=exercise.pk)
    for exercise in first.exercises.order_by("position"):
        exercise.refresh_from_db()
        raw = (
            {"frequency_hz": 1000, "gain_db": 0}
            if exercise.kind == "match-eq"
            else {"choice": exercise.choices[0]["value"]}
        )
        exercise_answer(exercise=exercise, raw=raw)
    first.refresh_from_db()
    assert first.finished_at is not None
    assert selectors.stats(user=alice)["workouts"] == 1


def answered(user, kind: str, difficulty: int, score: float, when=None) -> Exercise:
    exercise = ready(user, kind, difficulty)
    Exercise.objects.filter(pk=exercise.pk).update(
        status=ExerciseStatus.ANSWERED, score=score, answered_at=when or timezone.now(),
        response={"choice": exercise.choices[0]["value"]},
    )  # fmt: skip
    exercise.refresh_from_db()
    return exercise


def test_level_moves_up_after_five_good_answers_and_down_after_five_bad(alice):
    assert selectors.level_for(user=alice, kind="level") == 1
    for _ in range(5):
        answered(alice, "level", 2, 0.9)
    assert selectors.level_for(user=alice, kind="level") == 3
    for _ in range(5):
        answered(alice, "width", 3, 0.2)
    assert selectors.level_for(user=alice, kind="width") == 2


def test_streak_counts_days_in_a_row(alice):
    today = timezone.localdate()
    now = timezone.now()
    for days_ago in (0, 1, 2, 4):
        answered(alice, "level", 1, 1.0, when=now - dt.timedelta(days=days_ago))
    assert selectors.streak(user=alice, today=today) == 3
    assert selectors.streak(user=alice, today=today + dt.timedelta(days=1)) == 3  # not yet today
    assert selectors.streak(user=alice, today=today + dt.timedelta(days=2)) == 0


def test_stats_per_skill_and_band(alice):
    answered(alice, "frequency", 1, 1.0)
    answered(alice, "frequency", 1, 0.5)
    stats = selectors.stats(user=alice)
    frequency = next(s for s in stats["skills"] if s["kind"] == "frequency")
    assert frequency["count"] == 2 and frequency["mean_percent"] == 75
    assert sum(b["count"] for b in stats["bands"]) == 2


def test_drill_best_and_result_card_for_courses_and_community(alice, bob):
    assert selectors.drill_best(user=alice, kind="width") is None
    early = answered(alice, "width", 1, 0.5, when=timezone.now() - dt.timedelta(days=3))
    answered(alice, "width", 1, 1.0)
    assert selectors.drill_best(user=alice, kind="width") == 1.0
    since = timezone.now() - dt.timedelta(days=5)
    assert selectors.drill_best(user=alice, kind="width", since=since) == 1.0
    assert selectors.drill_best(user=bob, kind="width") is None
    assert selectors.drill_best(user=alice, kind="nope") is None
    card = selectors.result_card(result_id=str(early.pk), owner=alice)
    assert card["score_percent"] == 50 and card["url"].endswith(f"{early.pk}/")
    assert set(card) == {"title", "summary", "url", "finished_at", "score_percent"}
    assert selectors.result_card(result_id=str(early.pk), owner=bob) is None  # not bob's
    assert selectors.result_card(result_id=str(early.pk)) == card  # at display time
    assert selectors.result_card(result_id="not-a-uuid\x00") is None
    unanswered = ready(alice, "level", 1)
    assert selectors.result_card(result_id=str(unanswered.pk), owner=alice) is None


def test_clips_are_purged_after_the_retention_and_scores_stay(alice):
    exercise = answered(alice, "level", 1, 1.0)
    names = list(exercise.clips.values_list("stored_name", flat=True))
    assert all(default_storage.exists(n) for n in names)
    assert clips_purge() == 0
    later = timezone.now() + dt.timedelta(days=8)
    assert clips_purge(now=later) == 1
    assert not any(default_storage.exists(n) for n in names)
    exercise.refresh_from_db()
    assert exercise.score == 1.0 and not exercise.clips.exists()
    assert clips_purge(now=later) == 0


def test_a_stuck_preparation_fails_after_an_hour(alice):
    exercise = exercise_start(user=alice, kind="level", difficulty=1)
    clips_purge(now=timezone.now() + dt.timedelta(hours=2))
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.FAILED


def test_a_question_that_failed_to_render_does_not_block_the_workout(alice):
    workout = workout_start(user=alice)
    broken = workout.exercises.get(position=1)
    Exercise.objects.filter(pk=broken.pk).update(status=ExerciseStatus.FAILED)
    for exercise in workout.exercises.exclude(pk=broken.pk):
        exercise_render(exercise_id=exercise.pk)
    while (following := selectors.workout_next(workout=workout)) is not None:
        assert following.pk != broken.pk
        raw = (
            {"frequency_hz": 1000, "gain_db": 0}
            if following.kind == "match-eq"
            else {"choice": following.choices[0]["value"]}
        )
        exercise_answer(exercise=following, raw=raw)
    workout.refresh_from_db()
    assert workout.finished_at is not None
