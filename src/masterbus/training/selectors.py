"""Reads, always scoped to the signed-in user: exercises, levels, stats, streaks; and the
contract other apps use (``drill_best`` for course lessons, ``result_card`` for community
posts)."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections import defaultdict

from django.db.models import Avg, Count, Max
from django.urls import reverse
from django.utils import timezone

from masterbus.training.models import Exercise, ExerciseStatus, Kind, Workout
from masterbus.training.questions import OCTAVES

LEVEL_WINDOW = 5  # answers at the current level that decide a move up or down
LEVEL_UP, LEVEL_DOWN = 0.8, 0.4


def exercise_for_user(*, user, exercise_id) -> Exercise | None:
    return Exercise.objects.filter(user=user, pk=exercise_id).first()


def clip_path(*, exercise: Exercise, name: str) -> str | None:
    """The stored file of a clip of a question the caller already owns, by its opaque name."""
    clip = exercise.clips.filter(name=name).first()
    return clip.stored_name if clip else None


def answered(user):
    return Exercise.objects.filter(user=user, status=ExerciseStatus.ANSWERED)


def level_for(*, user, kind: str) -> int:
    """The difficulty of the user's last answers of the skill, one up after
    ``LEVEL_WINDOW`` answers there averaging 80 % or more, one down under 40 %."""
    last = answered(user).filter(kind=kind).order_by("-answered_at").first()
    if last is None:
        return 1
    level = last.difficulty
    scores = list(
        answered(user)
        .filter(kind=kind, difficulty=level)
        .order_by("-answered_at")
        .values_list("score", flat=True)[:LEVEL_WINDOW]
    )
    if len(scores) == LEVEL_WINDOW:
        mean = sum(scores) / LEVEL_WINDOW
        if mean >= LEVEL_UP:
            return min(5, level + 1)
        if mean < LEVEL_DOWN:
            return max(1, level - 1)
    return level


def drill_best(*, user, kind: str, since: dt.datetime | None = None) -> float | None:
    """Best score (0..1) of an answered question of that kind, since a time or ever."""
    if user is None or not user.is_authenticated or kind not in Kind.values:
        return None
    rows = answered(user).filter(kind=kind)
    if since is not None:
        rows = rows.filter(answered_at__gte=since)
    return rows.aggregate(best=Max("score"))["best"]


def result_card(*, result_id: str, owner=None) -> dict | None:
    """A finished question as a card for a community post; with ``owner`` only theirs."""
    try:
        pk = uuid.UUID(str(result_id))
    except ValueError:
        return None
    rows = Exercise.objects.filter(status=ExerciseStatus.ANSWERED, pk=pk)
    if owner is not None:
        rows = rows.filter(user=owner)
    exercise = rows.first()
    if exercise is None:
        return None
    percent = round(100 * (exercise.score or 0))
    return {
        "title": f"Ear training: {exercise.get_kind_display()}, level {exercise.difficulty}",
        "summary": f"Scored {percent} % on {exercise.get_material_display().lower()}.",
        "url": reverse("training:exercise", args=[exercise.pk]),
        "finished_at": exercise.answered_at,
        "score_percent": percent,
    }


def streak(*, user, today: dt.date | None = None) -> int:
    """Days in a row (ending today, or yesterday if nothing yet today) with an answer."""
    today = today or timezone.localdate()
    days = set(
        timezone.localtime(t).date()
        for t in answered(user)
        .filter(answered_at__date__gte=today - dt.timedelta(days=400))
        .values_list("answered_at", flat=True)
    )
    day = today if today in days else today - dt.timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= dt.timedelta(days=1)
    return count


def stats(*, user) -> dict:
    """Per skill (count, mean, level), per frequency band (mean of frequency questions, by
    octave), totals and the streak."""
    rows = answered(user)
    skills = []
    by_kind = {r["kind"]: r for r in rows.values("kind").annotate(n=Count("id"), mean=Avg("score"))}
    for kind in Kind:
        row = by_kind.get(kind.value)
        skills.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "count": row["n"] if row else 0,
                "mean_percent": round(100 * row["mean"]) if row else None,
                "level": level_for(user=user, kind=kind.value),
            }
        )
    bands: dict[int, list[float]] = defaultdict(list)
    for hz, score in rows.filter(band_hz__isnull=False).values_list("band_hz", "score"):
        octave = min(OCTAVES, key=lambda band: abs(math.log2(band / hz)))  # the nearest octave
        bands[octave].append(score)
    return {
        "answered": rows.count(),
        "streak": streak(user=user),
        "workouts": Workout.objects.filter(user=user, finished_at__isnull=False).count(),
        "skills": skills,
        "bands": [
            {"hz": hz, "count": len(v), "mean_percent": round(100 * sum(v) / len(v))}
            for hz, v in sorted(bands.items())
        ],
    }


def daily_scores(
    *, user, days: int = 30, today: dt.date | None = None
) -> list[tuple[dt.date, float | None]]:
    """Mean score per day over the last ``days`` (None on days without an answer)."""
    today = today or timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    sums: dict[dt.date, list[float]] = defaultdict(list)
    for when, score in (
        answered(user).filter(answered_at__date__gte=first).values_list("answered_at", "score")
    ):
        sums[timezone.localtime(when).date()].append(score)
    out = []
    for k in range(days):
        day = first + dt.timedelta(days=k)
        values = sums.get(day)
        out.append((day, sum(values) / len(values) if values else None))
    return out


def workout_today(*, user) -> Workout | None:
    return Workout.objects.filter(user=user, day=timezone.localdate()).first()


def workout_next(*, workout: Workout) -> Exercise | None:
    """The next question to answer; one that failed to render is skipped, not a dead end."""
    done = (ExerciseStatus.ANSWERED, ExerciseStatus.FAILED)
    return workout.exercises.exclude(status__in=done).order_by("position").first()


def recent(*, user, limit: int = 10):
    return Exercise.objects.filter(user=user).order_by("-created_at")[:limit]
