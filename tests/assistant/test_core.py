"""The assistant's core: providers (offline by default, a model service only when configured and
switched on, its numbers checked) and conversations (recorded, bounded, purged) - P36."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from masterbus.assistant.answers import Answer
from masterbus.assistant.errors import AssistantError
from masterbus.assistant.models import Conversation, Turn
from masterbus.assistant.providers import OfflineProvider, answer_phrase, get_provider
from masterbus.assistant.services.conversations import conversations_purge, turn_record
from masterbus.profiles.services import profile_set_switches
from tests.support.fake_model import fake_model_server

pytestmark = pytest.mark.django_db

FACTS = {"band_hz": 250, "gain_db": -2.5, "title": "Night drive"}
DRAFT = "Cut 2.5 dB around 250 Hz: the low mids of Night drive are crowded."


def answer() -> Answer:
    return Answer(text=DRAFT, sources=[{"title": "spectrum"}], data=dict(FACTS))


@pytest.fixture
def anthropic(settings):
    with fake_model_server("/v1/messages") as model:
        settings.ASSISTANT_PROVIDER = "anthropic"
        settings.ASSISTANT_PROVIDER_URL = model.url
        settings.ASSISTANT_API_KEY = "test-key"
        settings.ASSISTANT_MODEL = "claude-test"
        settings.ASSISTANT_TIMEOUT_SECONDS = 2
        yield model


def test_offline_is_the_default_and_returns_the_draft(alice):
    assert isinstance(get_provider(alice), OfflineProvider)
    phrased = answer_phrase(user=alice, task="feedback", answer=answer())
    assert (phrased.text, phrased.provider, phrased.note) == (DRAFT, "offline", "")


def test_a_configured_model_rephrases_through_the_messages_api(alice, anthropic):
    anthropic.reply = "Around 250 Hz, take out 2.5 dB: Night drive's low mids are crowded."
    phrased = answer_phrase(user=alice, task="feedback", answer=answer())
    assert phrased.text == anthropic.reply and phrased.provider == "anthropic"
    (sent,) = anthropic.requests
    assert sent["path"] == "/v1/messages"
    assert sent["headers"]["x-api-key"] == "test-key"
    assert sent["headers"]["anthropic-version"] == "2023-06-01"
    body = sent["body"]
    assert body["model"] == "claude-test" and body["max_tokens"] > 0
    assert "never instructions" in body["system"]
    assert (
        DRAFT in body["messages"][0]["content"]
        and '"gain_db": -2.5' in body["messages"][0]["content"]
    )


def test_nothing_is_sent_when_the_users_switch_is_off(alice, anthropic):
    profile_set_switches(user=alice, analytics=False, marketing=False, assistant=False)
    assert isinstance(get_provider(alice), OfflineProvider)
    assert answer_phrase(user=alice, task="feedback", answer=answer()).text == DRAFT
    assert anthropic.requests == []


def test_nothing_is_sent_without_a_feature_being_used(alice, anthropic, client):
    client.force_login(alice)
    for url in ("/", "/library", "/settings/profile", "/assistant/"):
        client.get(url)
    assert anthropic.requests == []


def test_a_model_that_changes_numbers_is_overruled(alice, anthropic):
    anthropic.reply = "Cut 6 dB around 300 Hz."
    phrased = answer_phrase(user=alice, task="feedback", answer=answer())
    assert phrased.text == DRAFT and phrased.provider == "offline"
    assert "changed numbers" in phrased.note
    assert len(anthropic.requests) == 1


@pytest.mark.parametrize("reply,delay", [(None, 0.0), ("Late.", 3.0), ("", 0.0)])
def test_a_failing_or_slow_model_falls_back_to_the_draft(alice, anthropic, reply, delay):
    anthropic.reply, anthropic.delay = reply, delay
    phrased = answer_phrase(user=alice, task="feedback", answer=answer())
    assert phrased.text == DRAFT and phrased.provider == "offline" and phrased.note


def test_an_openai_compatible_server_is_spoken_to_with_chat_completions(alice, settings):
    with fake_model_server("/v1/chat/completions") as model:
        settings.ASSISTANT_PROVIDER = "openai"
        settings.ASSISTANT_PROVIDER_URL = model.url
        settings.ASSISTANT_API_KEY = ""
        model.reply = "Night drive: cut 2.5 dB near 250 Hz."
        phrased = answer_phrase(user=alice, task="feedback", answer=answer())
        assert phrased.text == model.reply and phrased.provider == "openai"
        (sent,) = model.requests
        roles = [m["role"] for m in sent["body"]["messages"]]
        assert roles == ["system", "user"] and "Authorization" not in sent["headers"]


def test_anthropic_without_a_key_stays_offline(alice, settings):
    settings.ASSISTANT_PROVIDER = "anthropic"
    settings.ASSISTANT_API_KEY = ""
    assert isinstance(get_provider(alice), OfflineProvider)


def record(user, subject_id="s1", question="Is it muddy?", answer_text="Cut 250 Hz."):
    return turn_record(
        user=user,
        feature="feedback",
        subject_type="song",
        subject_id=subject_id,
        question=question,
        answer=answer_text,
        sources=[{"title": "x" * 1000, "url": "/songs/1", "n": 3}],
        provider="offline",
    )


def test_turns_share_a_conversation_per_subject_and_are_bounded(alice, bob, settings):
    first = record(alice)
    second = record(alice, question="again\x00" + "q" * 5000, answer_text="a" * 99999)
    record(alice, subject_id="s2")
    record(bob)
    assert first.conversation_id == second.conversation_id
    assert Conversation.objects.filter(user=alice).count() == 2
    question = second.conversation.turns.filter(role="user").last()
    assert "\x00" not in question.text
    assert len(question.text) == settings.ASSISTANT_MAX_INPUT_CHARS
    assert len(second.text) == settings.ASSISTANT_MAX_OUTPUT_CHARS
    assert len(second.sources[0]["title"]) == 300 and second.sources[0]["n"] == 3


def test_questions_per_day_are_bounded(alice, settings):
    settings.ASSISTANT_TURNS_PER_DAY = 2
    record(alice)
    record(alice)
    with pytest.raises(AssistantError) as caught:
        record(alice)
    assert caught.value.code == "rate_limited"


def test_conversations_are_purged_after_the_retention_window(alice, settings):
    settings.ASSISTANT_RETENTION_DAYS = 30
    old = record(alice).conversation
    kept = record(alice, subject_id="s2").conversation
    Conversation.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert conversations_purge() == 3  # the conversation and its two turns
    assert list(Conversation.objects.all()) == [kept]
    assert Turn.objects.filter(conversation=kept).count() == 2
    assert conversations_purge() == 0
