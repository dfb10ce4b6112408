"""The URL walk's messaging objects for one party (tests/support/urlwalk.py): a thread with a
user outside the walk (so every other party is a non-participant), a notification, a ticket."""

from __future__ import annotations

from masterbus.messaging.services import message_post, notify, thread_for
from masterbus.messaging.services.support import ticket_open
from tests.platform.fixtures import make_user


def messaging_objects(user, marker: str) -> dict:
    carol = make_user(f"carol-{user.pk}@example.com")
    thread = thread_for(subject_type="walk", subject_id=str(user.pk), participants=[user, carol])
    message_post(thread=thread, author=carol, body=f"{marker} message")
    return {
        "thread": thread,
        "notification": notify(user=user, kind="order", title=f"{marker} paid", url="/"),
        "ticket": ticket_open(user=user, subject=f"{marker} question", body="How do I…?"),
    }
