"""Helpers of the training tests: questions made and rendered through the real services."""

from __future__ import annotations

import pytest
from django.db import transaction

from masterbus.accounts.owner import Owner
from masterbus.training.models import Exercise
from masterbus.training.services.exercises import exercise_start
from masterbus.training.services.render import exercise_render
from tests.platform.fixtures import master_song


def ready(user, kind: str, difficulty: int = 1, **options) -> Exercise:
    """A question rendered by the real renderer (the worker's task body, run here)."""
    with transaction.atomic():
        exercise = exercise_start(user=user, kind=kind, difficulty=difficulty, **options)
    exercise_render(exercise_id=exercise.pk)
    exercise.refresh_from_db()
    return exercise


@pytest.fixture
def alice_song(alice, song_path):
    return master_song(Owner(alice, None), song_path).song
