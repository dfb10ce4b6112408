"""Reads, scoped to the asking user."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from masterbus.assistant.models import Conversation
from masterbus.mastering.models import Job


def conversation_list(user) -> QuerySet[Conversation]:
    return Conversation.objects.filter(user=user).prefetch_related("turns")


def conversation_get(user, conversation_id) -> Conversation | None:
    try:
        key = uuid.UUID(str(conversation_id))
    except ValueError:
        return None
    return conversation_list(user).filter(pk=key).first()


def conversation_for(user, *, feature: str, subject_type: str, subject_id: str):
    """The user's conversation about a subject (its turns shown under a feature's answer)."""
    return (
        conversation_list(user)
        .filter(feature=feature, subject_type=subject_type, subject_id=subject_id)
        .first()
    )


def latest_mastered_job(user) -> Job | None:
    """The user's most recent version with a report (its mix analysis feeds session prep)."""
    return (
        Job.objects.filter(song__user=user, report__isnull=False)
        .select_related("song")
        .order_by("-created_at")
        .first()
    )
