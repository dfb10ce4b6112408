"""Threads: one per subject, its participants, posting (bounded, rate-limited) and reading."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from masterbus.messaging import kinds, subjects
from masterbus.messaging.errors import MessageRateError, MessagingError
from masterbus.messaging.models import MESSAGE_MAX_CHARS, Message, Participant, Thread
from masterbus.messaging.services.notifications import notify
from masterbus.security.ratelimit import parse_rate, rate_limit_hit, wait_text

PREVIEW_CHARS = 140


def thread_for(*, subject_type: str, subject_id: str, participants: list) -> Thread:
    """The subject's thread, made on first use; the participants given are added to it (later
    calls may add more; nobody is removed)."""
    subject_id = str(subject_id)
    thread = Thread.objects.filter(subject_type=subject_type, subject_id=subject_id).first()
    if thread is None:
        try:
            with transaction.atomic():
                thread = Thread.objects.create(subject_type=subject_type, subject_id=subject_id)
        except IntegrityError:  # made at the same moment by another request
            thread = Thread.objects.get(subject_type=subject_type, subject_id=subject_id)
    participants_add(thread=thread, users=participants)
    return thread


def participants_add(*, thread: Thread, users: list) -> None:
    """Add users to the thread (those already in it stay as they are; a deleted account, None,
    is skipped)."""
    present = set(thread.memberships.values_list("user_id", flat=True))
    Participant.objects.bulk_create(
        [
            Participant(thread=thread, user=user)
            for user in users
            if user is not None and user.pk not in present
        ],
        ignore_conflicts=True,
    )


def message_post(
    *,
    thread: Thread,
    author,
    body: str,
    kind: str = kinds.MESSAGE.name,
    title: str | None = None,
) -> Message:
    """Post ``body`` (1..MESSAGE_MAX_CHARS characters after trimming) to the thread and notify
    the other participants (``kind``, "message" unless said; ``title`` defaults to "New message
    from <author>"). ``author=None`` posts a system message (no rate limit).

    The author must be a participant (views and the API check; here it is an invariant). Each
    author may post ``MESSAGING_RATE`` messages (e.g. "30/m"), counted like the other rate limits.
    """
    body = (body or "").strip()
    if not body:
        raise MessagingError("Write a message first: it is empty.")
    if len(body) > MESSAGE_MAX_CHARS:
        raise MessagingError(
            f"The message is {len(body):,} characters long; the longest is {MESSAGE_MAX_CHARS:,}."
        )
    if author is not None:
        if not thread.memberships.filter(user=author).exists():
            raise ValueError("only a participant may post to a thread")
        _rate_check(author)
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            thread=thread, author=author, is_system=author is None, body=body
        )
        Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
        if author is not None:
            Participant.objects.filter(thread=thread, user=author).update(last_read_at=now)
        _notify_others(message, kind=kind, title=title)
    return message


def thread_mark_read(*, thread: Thread, user) -> None:
    """The user has seen the thread up to now."""
    Participant.objects.filter(thread=thread, user=user).update(last_read_at=timezone.now())


def _notify_others(message: Message, *, kind: str, title: str | None) -> None:
    thread = message.thread
    url = subjects.url_for(thread.subject_type, thread.subject_id)
    title = title or f"New message from {message.author_label}"
    preview = (
        message.body if len(message.body) <= PREVIEW_CHARS else message.body[:PREVIEW_CHARS] + "…"
    )
    recipients = thread.participants.filter(is_active=True)
    if message.author_id is not None:
        recipients = recipients.exclude(pk=message.author_id)
    for user in recipients:
        notify(
            user=user,
            kind=kind,
            title=title,
            body=preview,
            url=url,
            key=f"message:{message.pk}",
        )


def _rate_check(author) -> None:
    rate = parse_rate(settings.MESSAGING_RATE)
    key = hashlib.sha256(f"user:{author.pk}".encode()).hexdigest()
    refusal = rate_limit_hit(scope="message", key=key, rate=rate)
    if refusal is not None:
        raise MessageRateError(
            f"You are sending messages too quickly: at most {rate.amount} in "
            f"{wait_text(rate.seconds)}. Please try again in {wait_text(refusal.retry_after)}.",
            retry_after=refusal.retry_after,
        )
