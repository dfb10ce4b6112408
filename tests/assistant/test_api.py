"""The assistant over the JSON API: the token's user only, the switch enforced, bounded input,
conversations listed and deleted."""

from __future__ import annotations

import pytest

from masterbus.accounts.owner import Owner
from masterbus.api.services import token_create
from masterbus.assistant.models import Conversation
from masterbus.mastering.models import Job
from masterbus.profiles.services import profile_set_switches
from tests.platform.fixtures import master_song

pytestmark = pytest.mark.django_db

WORDS = "the low end is muddy and the vocals are harsh"


@pytest.fixture
def mastered(alice, song_path):
    return master_song(Owner(alice, None), song_path)


def bearer(user) -> dict:
    _token, text = token_create(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def post(client, user, path: str, body: dict | None = None):
    return client.post(
        f"/api/v1/assistant/{path}", body or {}, content_type="application/json", **bearer(user)
    )


def test_feedback_then_remaster_then_conversations(client, alice, mastered):
    answer = post(client, alice, f"songs/{mastered.song_id}/feedback", {"text": WORDS})
    assert answer.status_code == 200
    body = answer.json()
    assert body["version"] == 1 and body["provider"] == "offline" and body["sources"]
    assert {c["freq_hz"] for c in body["changes"]} == {250.0, 3200.0}
    assert body["settings"]["eq_adjust"]
    made = post(client, alice, f"songs/{mastered.song_id}/remaster", {"text": WORDS, "version": 1})
    assert made.status_code == 201 and made.json()["version"] == 2
    assert (
        Job.objects.get(pk=made.json()["id"]).settings["eq_adjust"] == body["settings"]["eq_adjust"]
    )
    listed = client.get("/api/v1/assistant/conversations", **bearer(alice)).json()
    assert listed["count"] == 1 and len(listed["items"][0]["turns"]) == 4
    conversation_id = listed["items"][0]["id"]
    gone = client.delete(f"/api/v1/assistant/conversations/{conversation_id}", **bearer(alice))
    assert gone.status_code == 204 and not Conversation.objects.exists()


def test_another_users_song_and_conversation_are_404(client, alice, bob, mastered):
    for path in ("feedback", "remaster", "mix"):
        answer = post(client, bob, f"songs/{mastered.song_id}/{path}", {"text": WORDS})
        assert answer.status_code == 404, path
    post(client, alice, f"songs/{mastered.song_id}/mix")
    mine = Conversation.objects.get(user=alice)
    gone = client.delete(f"/api/v1/assistant/conversations/{mine.pk}", **bearer(bob))
    assert gone.status_code == 404 and Conversation.objects.filter(pk=mine.pk).exists()
    assert client.get("/api/v1/assistant/conversations", **bearer(bob)).json()["count"] == 0


def test_switch_off_is_403_and_bad_text_is_400_or_422(client, alice, mastered):
    path = f"songs/{mastered.song_id}/feedback"
    assert post(client, alice, path, {"text": "\x00 "}).status_code == 400
    assert post(client, alice, path, {"text": "x" * 5000}).status_code == 422
    assert post(client, alice, path, {"text": WORDS, "version": 99}).status_code == 404
    profile_set_switches(user=alice, analytics=False, marketing=False, assistant=False)
    refused = post(client, alice, path, {"text": WORDS})
    assert refused.status_code == 403 and refused.json()["code"] == "assistant_off"
    assert (
        post(client, alice, f"songs/{mastered.song_id}/remaster", {"text": WORDS}).status_code
        == 403
    )
    assert not Conversation.objects.exists() and Job.objects.count() == 1
