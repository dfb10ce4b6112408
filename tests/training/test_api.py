"""The training API: start, fetch (no answer), answer (graded), stats; another user's question
is unknown; bad input is a 4xx."""

from __future__ import annotations

import json

import pytest

from masterbus.api.services import token_create
from masterbus.training.models import Exercise
from masterbus.training.services.render import exercise_render
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db
SECRET_KEYS = {"params", "answer", "band_hz", "gain_db", "delta_db", "width_percent", "seed"}


def api_for(user) -> ApiClient:
    return ApiClient(token_create(user=user, name="script")[1])


def keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def test_start_fetch_answer_and_stats(alice):
    api = api_for(alice)
    started = api.post("/api/v1/training/exercises", {"kind": "frequency", "difficulty": 2})
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["status"] == "rendering" and body["clips"] == [] and body["result"] is None
    exercise_render(exercise_id=body["id"])  # the worker's task
    fetched = api.get(f"/api/v1/training/exercises/{body['id']}").json()
    assert fetched["status"] == "ready" and len(fetched["clips"]) == 2
    assert not keys_of(fetched) & SECRET_KEYS
    answer = Exercise.objects.get(pk=body["id"]).params["answer"]
    assert f'"{answer}"' not in json.dumps(fetched["clips"]) + fetched["prompt"]
    clip = api.get(fetched["clips"][0]["url"])
    assert clip.status_code == 200 and b"".join(clip.streaming_content)[:4] == b"RIFF"
    graded = api.post(f"/api/v1/training/exercises/{body['id']}/answer", {"choice": answer})
    assert graded.status_code == 200 and graded.json()["result"]["score_percent"] == 100
    again = api.post(f"/api/v1/training/exercises/{body['id']}/answer", {"choice": answer})
    assert again.status_code == 409 and again.json()["code"] == "exercise_state"
    stats = api.get("/api/v1/training/stats").json()
    assert stats["answered"] == 1 and stats["streak"] == 1


def test_workout_over_the_api(alice):
    api = api_for(alice)
    workout = api.post("/api/v1/training/workout")
    assert workout.status_code == 200
    items = workout.json()["exercises"]
    assert [e["kind"] for e in items] == ["frequency", "level", "compression", "width", "match-eq"]
    assert api.post("/api/v1/training/workout").json()["id"] == workout.json()["id"]


def test_another_users_question_is_unknown(alice, bob):
    body = api_for(alice).post("/api/v1/training/exercises", {"kind": "level"}).json()
    exercise_render(exercise_id=body["id"])
    theirs = api_for(bob)
    assert theirs.get(f"/api/v1/training/exercises/{body['id']}").status_code == 404
    answer = theirs.post(f"/api/v1/training/exercises/{body['id']}/answer", {"choice": "0"})
    assert answer.status_code == 404
    mine = api_for(alice).get(f"/api/v1/training/exercises/{body['id']}").json()
    clip_url = mine["clips"][0]["url"]
    assert theirs.get(clip_url).status_code == 404


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"kind": "pitch"}, 422),
        ({"kind": "level", "difficulty": 10**20}, 422),
        ({"kind": "level", "material": "song"}, 404),
        (
            {
                "kind": "level",
                "material": "song",
                "song_id": "00000000-0000-0000-0000-000000000000",
            },
            404,
        ),
    ],
)
def test_bad_starts_are_4xx(alice, payload, status):
    response = api_for(alice).post("/api/v1/training/exercises", payload)
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    "payload",
    [{}, {"choice": "\x00"}, {"frequency_hz": 1e308, "gain_db": 0}, {"frequency_hz": 1000}],
)
def test_bad_answers_are_4xx(alice, payload):
    api = api_for(alice)
    body = api.post("/api/v1/training/exercises", {"kind": "match-eq"}).json()
    exercise_render(exercise_id=body["id"])
    response = api.post(f"/api/v1/training/exercises/{body['id']}/answer", payload)
    assert response.status_code in (409, 422), response.content
