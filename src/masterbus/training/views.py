"""Ear-training pages (signed-in only: the point is stats and streaks that belong to a person).

The exercise page never carries the answer before it is answered: it gets the prompt, the
choices and clip URLs with opaque names; the answer is graded in ``services.exercises``.
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from masterbus.core import access
from masterbus.core.files import stored_file_response
from masterbus.mastering.models import Song
from masterbus.training import selectors
from masterbus.training.chart import progress_svg
from masterbus.training.errors import TrainingError
from masterbus.training.models import ExerciseStatus, Kind, Material
from masterbus.training.presenters import exercise_context
from masterbus.training.services import exercises as services

SONG_CHOICES = 50  # the newest songs offered as material


def _local(request: HttpRequest, url: str) -> str:
    ok = url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())
    return url if url and ok and url.startswith("/") else ""


def _difficulty(value: str | None) -> int:
    try:
        return min(5, max(1, int(value or 1)))
    except ValueError:
        return 1


def _hz(position: str | None) -> float | None:
    """The match-the-EQ slider moves in octaves (log2 Hz), so every band is as easy to reach."""
    try:
        value = float(position or "")
    except ValueError:
        return None
    return 2**value if math.isfinite(value) and abs(value) < 64 else None


@access.signed_in
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    workout = selectors.workout_today(user=user)
    return render(
        request,
        "training/home.html",
        {
            "workout": workout,
            "workout_next": workout and selectors.workout_next(workout=workout),
            "stats": selectors.stats(user=user),
            "kinds": Kind,
            "recent": selectors.recent(user=user),
        },
    )


@access.signed_in
@require_GET
def drill(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in Kind.values:
        raise Http404("There is no such drill.")
    songs = Song.objects.filter(user=request.user).order_by("-created_at")[:SONG_CHOICES]
    return render(
        request,
        "training/drill.html",
        {
            "kind": Kind(kind),
            "difficulty": _difficulty(request.GET.get("difficulty")),
            "level": selectors.level_for(user=request.user, kind=kind),
            "next": _local(request, request.GET.get("next", "")),
            "materials": Material,
            "songs": songs,
        },
    )


@access.signed_in
@require_POST
def exercise_start(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    try:
        exercise = services.exercise_start(
            user=request.user,
            kind=kind,
            difficulty=_difficulty(request.POST.get("difficulty")),
            material=request.POST.get("material", Material.PINK),
            song_id=request.POST.get("song") or None,
            next_url=_local(request, request.POST.get("next", "")),
        )
    except TrainingError as exc:
        messages.error(request, exc.message)
        if kind in Kind.values:
            return redirect("training:drill", kind=kind)
        return redirect("training:home")
    return redirect("training:exercise", exercise_id=exercise.pk)


@access.signed_in
@require_POST
def workout_start(request: HttpRequest) -> HttpResponse:
    try:
        workout = services.workout_start(user=request.user)
    except TrainingError as exc:
        messages.error(request, exc.message)
        return redirect("training:home")
    following = selectors.workout_next(workout=workout)
    if following is None:
        messages.success(request, "Today's workout is done. See you tomorrow!")
        return redirect("training:stats")
    return redirect("training:exercise", exercise_id=following.pk)


def _own(request: HttpRequest, exercise_id):
    exercise = selectors.exercise_for_user(user=request.user, exercise_id=exercise_id)
    if exercise is None:
        raise Http404("There is no such exercise.")
    return exercise


@access.signed_in
@require_GET
def exercise(request: HttpRequest, exercise_id) -> HttpResponse:
    return render(request, "training/exercise.html", exercise_context(_own(request, exercise_id)))


@access.signed_in
@require_POST
def exercise_answer(request: HttpRequest, exercise_id) -> HttpResponse:
    exercise = _own(request, exercise_id)
    raw = {"choice": request.POST.get("choice")}
    if exercise.kind == Kind.MATCH_EQ:
        raw = {"frequency_hz": _hz(request.POST.get("log_frequency")),
               "gain_db": request.POST.get("gain_db")}  # fmt: skip
    try:
        services.exercise_answer(exercise=exercise, raw=raw)
    except TrainingError as exc:
        messages.error(request, exc.message)
    return redirect("training:exercise", exercise_id=exercise.pk)


@access.signed_in
@require_GET
def clip(request: HttpRequest, exercise_id, name: str) -> HttpResponse:
    exercise = _own(request, exercise_id)
    path = exercise.status != ExerciseStatus.RENDERING and selectors.clip_path(
        exercise=exercise, name=name
    )
    if not path:
        raise Http404("There is no such clip.")
    return stored_file_response(request, path, filename=f"{name}.wav", as_attachment=False)


@access.signed_in
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "training/stats.html",
        {
            "stats": selectors.stats(user=user),
            "chart": progress_svg(selectors.daily_scores(user=user)),
            "home": reverse("training:home"),
        },
    )
