"""Threads of messages about a subject (an order, a booking, a support ticket), the notification
history with its e-mail preferences, and support tickets (P24, P26).

A message outlives its author's account for the other participants: the author is cleared
(``SET_NULL``) and the message reads as from a deleted user (P32); a system message has no
author from the start and says so with ``is_system``. Notifications are the user's alone and go
with the account.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

MESSAGE_MAX_CHARS = 5000
NOTIFICATION_BODY_MAX_CHARS = 2000
TICKET_SUBJECT_MAX_CHARS = 200


class Thread(models.Model):
    """One conversation per subject (``subject_type``, ``subject_id``), between its participants."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject_type = models.CharField(max_length=32)
    subject_id = models.CharField(max_length=64)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Participant", related_name="threads"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"], name="thread_one_per_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_type} {self.subject_id}"


class Participant(models.Model):
    """A user in a thread, and up to when they have read it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.thread_id}"


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages_written",
    )
    is_system = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MESSAGE_MAX_CHARS),
                name="message_body_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.id} in {self.thread_id}"

    @property
    def author_label(self) -> str:
        """Who wrote it, as the other participants see it (never the author's e-mail)."""
        if self.is_system:
            return "Masterbus"
        if self.author is None:
            return "deleted user"
        if self.author.display_name:
            return self.author.display_name
        return "Masterbus support" if self.author.is_staff else "Masterbus member"


class Notification(models.Model):
    """One entry of a user's notification history (P26); ``key`` makes sending it idempotent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    key = models.CharField(max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=models.Q(key__isnull=False),
                name="notification_key_once_per_user",
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class EmailPreference(models.Model):
    """A user's choice for one kind of notification e-mail; no row means the default (on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=32)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {'on' if self.enabled else 'off'}"


class TicketStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class SupportTicket(models.Model):
    """A question to the support team (P26): a subject and a thread with the support staff.

    Kept, like its messages, when the user deletes the account, with the user cleared (P32).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_tickets",
    )
    subject = models.CharField(max_length=TICKET_SUBJECT_MAX_CHARS)
    status = models.CharField(max_length=8, choices=TicketStatus.choices, default=TicketStatus.OPEN)
    thread = models.OneToOneField(Thread, on_delete=models.PROTECT, related_name="ticket")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("answer_supportticket", "Can answer support tickets")]

    def __str__(self) -> str:
        return self.subject
