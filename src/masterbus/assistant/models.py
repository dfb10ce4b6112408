"""Assistant conversations: what a user asked, what was answered and what it was based on (P36:
logged for review, shown to the user, deletable, purged after ASSISTANT_RETENTION_DAYS)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Feature(models.TextChoices):
    FEEDBACK = "feedback", "Feedback translation"
    CHECKLIST = "checklist", "Revision checklist"
    MIX = "mix", "Mix feedback"
    SESSION = "session", "Session prep"
    PRICES = "prices", "Fair prices"
    REVIEWS = "reviews", "Review summary"
    SUPPORT = "support", "Support chat"


class Role(models.TextChoices):
    USER = "user", "You"
    ASSISTANT = "assistant", "Assistant"


class Conversation(models.Model):
    """One thread per (user, feature, subject): asking again about the same song adds turns."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assistant_conversations",
    )
    feature = models.CharField(max_length=16, choices=Feature.choices)
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last turn's time: retention counts from here.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated_at"]
        permissions = [("review_conversation", "Can review assistant conversations")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "feature", "subject_type", "subject_id"],
                name="assistant_conversation_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_feature_display()} {self.subject_type} {self.subject_id}".strip()


class Turn(models.Model):
    """One message; an assistant turn keeps its sources and which provider phrased it."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    role = models.CharField(max_length=16, choices=Role.choices)
    text = models.TextField()
    sources = models.JSONField(default=list, blank=True)
    provider = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:40]}"
