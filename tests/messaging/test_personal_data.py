"""P30, P32 for messaging: the export holds the user's messages, notifications and tickets; the
purge deletes the notifications and keeps the messages for the other side, anonymised."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from masterbus.api.services import token_create
from masterbus.messaging.models import (
    EmailPreference,
    Message,
    Notification,
    Participant,
    SupportTicket,
)
from masterbus.messaging.services import message_post, notify, thread_for
from masterbus.messaging.services.notifications import email_preferences_set
from masterbus.messaging.services.support import ticket_open
from masterbus.rights.deletion import user_purge
from masterbus.rights.exporter import export_build
from masterbus.rights.exports import export_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(alice, bob):
    thread = thread_for(subject_type="pd-test", subject_id="p1", participants=[alice, bob])
    message_post(thread=thread, author=alice, body="alice asks about the vocal")
    message_post(thread=thread, author=bob, body="bob answers about the vocal")
    return thread


def test_the_export_holds_my_messages_notifications_preferences_and_tickets(
    conversation, alice, bob
):
    notify(user=alice, kind="order", title="alice's order was paid")
    email_preferences_set(user=alice, enabled={"reminder": False})
    ticket_open(user=alice, subject="alice's question", body="How do I export?")
    export = export_request(user=alice)
    export_build(export_id=export.pk)
    export.refresh_from_db()
    with default_storage.open(export.file, "rb") as stored:
        document = json.loads(zipfile.ZipFile(io.BytesIO(stored.read())).read("data.json"))
    data = document["data"]
    assert sorted(m["body"] for m in data["messaging.message"]) == [
        "How do I export?",
        "alice asks about the vocal",
    ]
    titles = {n["title"] for n in data["messaging.notification"]}
    assert "alice's order was paid" in titles and "New message from Masterbus member" in titles
    assert data["messaging.emailpreference"][0]["kind"] == "reminder"
    assert [t["subject"] for t in data["messaging.supportticket"]] == ["alice's question"]
    assert len(data["messaging.participant"]) == 2  # the order thread and the ticket's
    assert "bob answers" not in json.dumps(data["messaging.message"])


def test_the_purge_keeps_messages_for_the_other_side_and_deletes_notifications(
    conversation, alice, bob
):
    notify(user=alice, kind="order", title="alice's order was paid")
    email_preferences_set(user=alice, enabled={"reminder": False})
    ticket = ticket_open(user=alice, subject="alice's question", body="How do I export?")
    user_purge(user=alice)

    kept = Message.objects.get(body="alice asks about the vocal")
    assert kept.author is None and kept.author_label == "deleted user"
    assert not Notification.objects.filter(user_id=alice.pk).exists()
    assert not EmailPreference.objects.exists()
    assert list(Participant.objects.values_list("user", flat=True)) == [bob.pk]
    assert Notification.objects.filter(user=bob).exists()  # bob's own history stays
    assert SupportTicket.objects.get(pk=ticket.pk).user is None

    token = token_create(user=bob, name="t")[1]
    messages = (
        Client()
        .get(
            f"/api/v1/threads/{conversation.pk}/messages",
            headers={"Authorization": f"Bearer {token}"},
        )
        .json()["items"]
    )
    assert [(m["author"], m["body"]) for m in messages] == [
        ("deleted user", "alice asks about the vocal"),
        ("you", "bob answers about the vocal"),
    ]
