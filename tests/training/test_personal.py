"""P30, P32 for ear training: the export holds the user's questions, answers, workouts and the
rendered clips; the deletion removes them with their files."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from masterbus.rights.deletion import user_purge
from masterbus.rights.exporter import export_build
from masterbus.rights.exports import export_request
from masterbus.rights.personal import personal_rows
from masterbus.training.models import Clip, Exercise, Workout
from masterbus.training.services.exercises import exercise_answer, workout_start
from masterbus.training.services.render import exercise_render
from tests.training.conftest import ready

pytestmark = pytest.mark.django_db


def test_the_export_holds_exercises_answers_workouts_and_clips(alice, bob):
    exercise = ready(alice, "level", 2)
    exercise_answer(exercise=exercise, raw={"choice": exercise.params["answer"]})
    workout_start(user=alice)
    theirs = ready(bob, "level", 2)
    rows = personal_rows(alice)
    assert exercise in rows[Exercise] and theirs not in rows[Exercise]
    assert Workout.objects.get(user=alice) in rows[Workout]
    assert set(rows[Clip]) == set(exercise.clips.all())
    export = export_request(user=alice)
    export_build(export_id=export.pk)
    export.refresh_from_db()
    with default_storage.open(export.file, "rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    data = json.loads(archive.read("data.json"))["data"]
    mine = next(e for e in data["training.exercise"] if e["id"] == str(exercise.pk))
    assert mine["score"] == 1.0 and mine["response"] == {"choice": exercise.params["answer"]}
    assert len(data["training.workout"]) == 1
    clip_names = [c.stored_name.rsplit("/", 1)[1] for c in exercise.clips.all()]
    assert all(any(n.endswith(name) for n in archive.namelist()) for name in clip_names)


def test_deleting_the_account_deletes_the_training_data_and_files(
    alice, bob, django_capture_on_commit_callbacks
):
    exercise = ready(alice, "width", 1)
    files = list(exercise.clips.values_list("stored_name", flat=True))
    workout = workout_start(user=alice)
    for pending in workout.exercises.all():
        exercise_render(exercise_id=pending.pk)
    theirs = ready(bob, "width", 1)
    with django_capture_on_commit_callbacks(execute=True):
        user_purge(user=alice)
    assert not Exercise.objects.filter(user_id=alice.pk).exists()
    assert not Workout.objects.filter(user_id=alice.pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert Exercise.objects.filter(pk=theirs.pk).exists()
    assert all(default_storage.exists(c.stored_name) for c in theirs.clips.all())
