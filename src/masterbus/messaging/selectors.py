"""Reads, always scoped to the user: a thread only for its participants, notifications only for
their owner; anyone else's id reads as unknown (404)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from masterbus.messaging import kinds
from masterbus.messaging.models import EmailPreference, Message, Notification, Participant, Thread

_NEVER = datetime(2000, 1, 1, tzinfo=UTC)


class ThreadNotFound(Thread.DoesNotExist, Http404):
    """Not a thread of this user: a 404 in a view, a DoesNotExist for other callers."""


def threads_for(user) -> QuerySet[Thread]:
    """The user's threads, most recently active first, each annotated with ``unread``: the
    messages others posted since the user last read it."""
    mine = Participant.objects.filter(thread=OuterRef("pk"), user=user)
    unread = (
        Message.objects.filter(thread=OuterRef("pk"), created_at__gt=OuterRef("read_up_to"))
        .exclude(author=user)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Thread.objects.filter(Exists(mine))
        .annotate(read_up_to=Coalesce(Subquery(mine.values("last_read_at")[:1]), Value(_NEVER)))
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0))
        .order_by("-last_message_at", "-created_at")
    )


def thread_get(*, user, thread_id) -> Thread:
    """The thread if the user takes part in it; else ``ThreadNotFound`` (a 404)."""
    try:
        return threads_for(user).get(pk=thread_id)
    except (Thread.DoesNotExist, ValidationError, ValueError, TypeError):
        raise ThreadNotFound("no such thread") from None


def thread_messages(thread: Thread) -> QuerySet[Message]:
    """The thread's messages, oldest first (callers already checked the thread is the user's)."""
    return thread.messages.select_related("author").order_by("created_at", "id")


def notifications_for(user) -> QuerySet[Notification]:
    """The user's notification history, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


def email_preferences(user) -> list[tuple[kinds.Kind, bool]]:
    """Every kind with whether its e-mail goes to the user (required kinds always)."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return [
        (kind, True if kind.required else chosen.get(kind.name, True))
        for kind in kinds.KINDS.values()
    ]
