"""Writes of conversations: record a question and its answer, delete, purge (P36)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masterbus.assistant.errors import AssistantError
from masterbus.assistant.models import Conversation, Feature, Role, Turn

logger = logging.getLogger(__name__)

MAX_SOURCES = 20
MAX_SOURCE_VALUE = 300


def clean_text(text: str, limit: int) -> str:
    """Bounded text without NUL characters (PostgreSQL refuses them in text columns)."""
    return str(text).replace("\x00", "")[:limit]


def _clean_sources(sources: list[dict]) -> list[dict]:
    cleaned = []
    for source in list(sources)[:MAX_SOURCES]:
        cleaned.append(
            {
                clean_text(key, 40): (
                    value
                    if isinstance(value, int | float | bool) or value is None
                    else clean_text(value, MAX_SOURCE_VALUE)
                )
                for key, value in dict(source).items()
            }
        )
    return cleaned


def turns_today_check(*, user) -> None:
    """The per-user daily bound on questions (each costs work, maybe a model call)."""
    since = timezone.now() - datetime.timedelta(days=1)
    asked = Turn.objects.filter(
        conversation__user=user, role=Role.USER, created_at__gte=since
    ).count()
    if asked >= settings.ASSISTANT_TURNS_PER_DAY:
        raise AssistantError(
            "You have asked the assistant many times today; try again tomorrow.",
            code="rate_limited",
        )


@transaction.atomic
def turn_record(
    *,
    user,
    feature: str,
    subject_type: str = "",
    subject_id: str = "",
    question: str,
    answer: str,
    sources: list[dict],
    provider: str,
) -> Turn:
    """Store a question and its answer in the user's conversation about that subject (one per
    user, feature and subject); returns the assistant's turn."""
    if feature not in Feature.values:
        raise ValueError(f"unknown assistant feature {feature!r}")
    turns_today_check(user=user)
    conversation, _ = Conversation.objects.get_or_create(
        user=user,
        feature=feature,
        subject_type=clean_text(subject_type, 32),
        subject_id=clean_text(subject_id, 64),
    )
    Turn.objects.create(
        conversation=conversation,
        role=Role.USER,
        text=clean_text(question, settings.ASSISTANT_MAX_INPUT_CHARS),
    )
    turn = Turn.objects.create(
        conversation=conversation,
        role=Role.ASSISTANT,
        text=clean_text(answer, settings.ASSISTANT_MAX_OUTPUT_CHARS),
        sources=_clean_sources(sources),
        provider=clean_text(provider, 32),
    )
    conversation.save(update_fields=["updated_at"])
    return turn


def conversation_delete(*, conversation: Conversation) -> None:
    """The user deletes one conversation with all its turns."""
    conversation.delete()


def conversations_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete conversations whose last turn is older than the retention window (periodic)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ASSISTANT_RETENTION_DAYS)
    count, _ = Conversation.objects.filter(updated_at__lt=cutoff).delete()
    if count:
        logger.info("purged %d assistant rows older than %s", count, cutoff.date())
    return count
