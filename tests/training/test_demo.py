"""The demo loader: three finished daily workouts for the demo listener; idempotent."""

from __future__ import annotations

import io

import pytest
from django.conf import settings

from masterbus.training import demo, selectors
from masterbus.training.models import Exercise, ExerciseStatus, Workout

pytestmark = pytest.mark.django_db


def test_the_demo_workouts_load_once():
    assert "masterbus.training.demo.load" in settings.DEMO_LOADERS
    out = io.StringIO()
    demo.load(stdout=out)
    counts = (Workout.objects.count(), Exercise.objects.count())
    demo.load(stdout=out)
    assert (Workout.objects.count(), Exercise.objects.count()) == counts == (3, 15)
    assert not Exercise.objects.exclude(status=ExerciseStatus.ANSWERED).exists()
    assert all(w.finished_at for w in Workout.objects.all())
    user = Workout.objects.first().user
    stats = selectors.stats(user=user)
    assert stats["workouts"] == 3 and stats["streak"] == 3
    assert 0 < min(e.score for e in Exercise.objects.all()) < 1  # some partial credit
    assert "3 finished daily workouts" in out.getvalue()
