"""Messages and notifications (P26) over the messaging services and selectors.

A thread is visible to its participants only; a notification to its owner; anyone else's id is
answered like an unknown one (404). Posting has the same bounds and per-author rate as the pages
(429 ``rate_limited`` with Retry-After).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from masterbus.api.errors import ERRORS, ApiError
from masterbus.api.paging import page_out
from masterbus.api.schemas import PageQuery
from masterbus.messaging import selectors, subjects
from masterbus.messaging.models import MESSAGE_MAX_CHARS, Message, Notification, Thread
from masterbus.messaging.services import message_post
from masterbus.messaging.services.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
)

router = Router(tags=["messages"])
NO_THREAD = "There is no such thread."
NO_NOTIFICATION = "There is no such notification."


class NotificationOut(Schema):
    id: UUID
    kind: str
    title: str
    body: str
    url: str = Field(description="a path on this site, or empty")
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[NotificationOut]


class MarkedOut(Schema):
    marked: int


class ThreadOut(Schema):
    id: UUID
    subject_type: str = Field(description='what the thread is about: "order", "booking", …')
    subject_id: str
    url: str = Field(description="the page of the subject, or empty")
    unread: int = Field(description="messages by others since you last read or wrote")
    created_at: datetime
    last_message_at: datetime | None


class ThreadPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[ThreadOut]


class MessageOut(Schema):
    id: UUID
    author: str = Field(description='"you", the author\'s display name, or "deleted user"')
    mine: bool
    system: bool
    body: str
    created_at: datetime


class MessagePage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[MessageOut]


class MessageIn(Schema):
    # Empty is refused by the service (400 invalid_message), after the thread is checked: a
    # thread not yours is a 404 whatever the body.
    body: str = Field("", max_length=MESSAGE_MAX_CHARS, description="1 to 5,000 characters")


def _notification_out(n: Notification) -> dict:
    return {
        "id": n.pk,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "url": n.url,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


def _thread_out(thread: Thread) -> dict:
    return {
        "id": thread.pk,
        "subject_type": thread.subject_type,
        "subject_id": thread.subject_id,
        "url": subjects.url_for(thread.subject_type, thread.subject_id),
        "unread": thread.unread,
        "created_at": thread.created_at,
        "last_message_at": thread.last_message_at,
    }


def _message_out(message: Message, user) -> dict:
    mine = message.author_id is not None and message.author_id == user.pk
    return {
        "id": message.pk,
        "author": "you" if mine else message.author_label,
        "mine": mine,
        "system": message.is_system,
        "body": message.body,
        "created_at": message.created_at,
    }


def _thread_or_404(request: HttpRequest, thread_id: UUID) -> Thread:
    try:
        return selectors.thread_get(user=request.owner.user, thread_id=thread_id)
    except Thread.DoesNotExist:
        raise ApiError(404, "not_found", NO_THREAD) from None


@router.get("/notifications", response={200: NotificationPage, **ERRORS}, url_name="notifications")
def notification_list(request: HttpRequest, paging: Query[PageQuery]):
    """Your notification history, newest first (kept NOTIFICATION_RETENTION_DAYS)."""
    found = selectors.notifications_for(request.owner.user)
    items = [_notification_out(n) for n in found[paging.offset : paging.offset + paging.limit]]
    return page_out(request, paging, url_name="api:notifications", count=found.count(), items=items)


@router.post("/notifications/read", response={200: MarkedOut, **ERRORS})
def notification_read_all(request: HttpRequest):
    """Mark every notification read; ``marked`` says how many were unread."""
    return {"marked": notifications_mark_all_read(user=request.owner.user)}


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def notification_read(request: HttpRequest, notification_id: UUID):
    """Mark one notification read (reading it twice is fine)."""
    user = request.owner.user
    notification_mark_read(user=user, notification_id=notification_id)
    found = selectors.notifications_for(user).filter(pk=notification_id).first()
    if found is None:
        raise ApiError(404, "not_found", NO_NOTIFICATION)
    return _notification_out(found)


@router.get("/threads", response={200: ThreadPage, **ERRORS}, url_name="threads")
def thread_list(request: HttpRequest, paging: Query[PageQuery]):
    """The threads you take part in, most recently active first."""
    found = selectors.threads_for(request.owner.user)
    items = [_thread_out(t) for t in found[paging.offset : paging.offset + paging.limit]]
    return page_out(request, paging, url_name="api:threads", count=found.count(), items=items)


@router.get("/threads/{thread_id}", response={200: ThreadOut, **ERRORS})
def thread_read(request: HttpRequest, thread_id: UUID):
    return _thread_out(_thread_or_404(request, thread_id))


@router.get(
    "/threads/{thread_id}/messages",
    response={200: MessagePage, **ERRORS},
    url_name="thread_messages",
)
def message_list(request: HttpRequest, thread_id: UUID, paging: Query[PageQuery]):
    """The thread's messages, oldest first, a page at a time."""
    thread = _thread_or_404(request, thread_id)
    found = selectors.thread_messages(thread)
    user = request.owner.user
    items = [_message_out(m, user) for m in found[paging.offset : paging.offset + paging.limit]]
    page = page_out(request, paging, url_name="api:threads", count=found.count(), items=items)
    # page_out links to a URL without parameters: point its links at this thread's messages
    here, listed = reverse("api:thread_messages", args=[thread.pk]), reverse("api:threads")
    return {
        k: v.replace(listed, here, 1) if k in ("next", "previous") and v else v
        for k, v in page.items()
    }


@router.post("/threads/{thread_id}/messages", response={201: MessageOut, **ERRORS})
def message_create(request: HttpRequest, thread_id: UUID, payload: MessageIn):
    """Post to a thread you take part in; the other participants are notified.

    400 ``invalid_message`` when it is empty after trimming; 429 ``rate_limited`` (with
    Retry-After) over MESSAGING_RATE messages per author.
    """
    thread = _thread_or_404(request, thread_id)
    message = message_post(thread=thread, author=request.owner.user, body=payload.body)
    return Status(201, _message_out(message, request.owner.user))
