"""Messaging pages: posting through the include (participants only), the notification history
and its header count, e-mail preferences, support tickets and the staff queue (audited)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.test import Client

from masterbus.messaging import subjects
from masterbus.messaging.models import (
    MESSAGE_MAX_CHARS,
    EmailPreference,
    Message,
    Notification,
    SupportTicket,
    TicketStatus,
)
from masterbus.messaging.services import message_post, notify, thread_for
from masterbus.messaging.services.support import ticket_open
from masterbus.rights.models import AuditEvent
from masterbus.rights.roles import SUPPORT
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def thread(alice, bob):
    subjects.register("view-test", url_for=lambda pk: f"/support/?about={pk}")
    return thread_for(subject_type="view-test", subject_id="v1", participants=[alice, bob])


def test_post_goes_back_to_next_and_notifies(thread, alice, bob):
    answer = _as(alice).post(
        f"/messages/{thread.pk}/post", {"body": "Here are the stems", "next": "/support/"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/support/"
    assert Message.objects.get().body == "Here are the stems"
    assert Notification.objects.get(user=bob).url == "/support/?about=v1"


def test_post_refuses_an_outside_next_and_uses_the_subject_page(thread, alice):
    answer = _as(alice).post(
        f"/messages/{thread.pk}/post", {"body": "hi", "next": "https://evil.example/"}
    )
    assert answer["Location"] == "/support/?about=v1"


def test_a_non_participant_gets_404_and_posts_nothing(thread):
    eve = _as(make_user("eve@example.com"))
    assert eve.post(f"/messages/{thread.pk}/post", {"body": "let me in"}).status_code == 404
    assert not Message.objects.exists()


def test_a_too_long_message_is_refused_with_a_message_and_nothing_stored(thread, alice):
    client = _as(alice)
    answer = client.post(
        f"/messages/{thread.pk}/post",
        {"body": "x" * (MESSAGE_MAX_CHARS + 1), "next": "/notifications/"},
        follow=True,
    )
    assert "at most 5000 characters" in answer.content.decode().replace(",", "")
    assert not Message.objects.exists()


def test_the_rate_limit_is_a_clear_message(thread, alice, settings):
    settings.MESSAGING_RATE = "1/m"
    client = _as(alice)
    client.post(f"/messages/{thread.pk}/post", {"body": "one", "next": "/notifications/"})
    answer = client.post(
        f"/messages/{thread.pk}/post", {"body": "two", "next": "/notifications/"}, follow=True
    )
    assert "too quickly" in answer.content.decode()
    assert Message.objects.count() == 1


def test_the_include_shows_the_thread_and_a_labelled_form(alice, bob):
    ticket = ticket_open(user=alice, subject="Where is my master?", body="It is not there")
    page = _as(alice).get(f"/support/{ticket.pk}/").content.decode()
    assert "It is not there" in page and "<strong>You</strong>" in page
    assert f'action="/messages/{ticket.thread_id}/post"' in page
    assert '<label for="id_body">Your message</label>' in page
    assert 'name="next" value="/support/' in page
    assert _as(bob).get(f"/support/{ticket.pk}/").status_code == 404


def test_notification_history_header_count_open_and_mark_all(alice, bob):
    first = notify(user=alice, kind="order", title="Order accepted", url="/songs/")
    notify(user=alice, kind="delivery", title="Version 1 delivered")
    notify(user=bob, kind="order", title="bob's order")
    client = _as(alice)
    page = client.get("/notifications/").content.decode()
    assert "Order accepted" in page and "bob's order" not in page
    assert 'id="unread-badge">2<' in page and "2 unread" in page
    opened = client.post(f"/notifications/{first.pk}/open")
    assert opened.status_code == 302 and opened["Location"] == "/songs/"
    assert 'id="unread-badge">1<' in client.get("/songs/").content.decode()
    assert _as(bob).post(f"/notifications/{first.pk}/open").status_code == 404
    client.post("/notifications/read")
    assert "unread-badge" not in client.get("/notifications/").content.decode()


def test_preferences_switch_optional_kinds_and_keep_required_ones(
    alice, django_capture_on_commit_callbacks
):
    client = _as(alice)
    page = client.get("/settings/notifications/").content.decode()
    assert 'aria-current="page"' in page and "Order updates" in page
    client.post("/settings/notifications/", {"delivery": "on", "reminder": "on"})
    saved = dict(EmailPreference.objects.filter(user=alice).values_list("kind", "enabled"))
    assert saved == {"delivery": True, "reminder": True, "message": False}
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=alice, kind="message", title="New message")
        notify(user=alice, kind="order", title="Order paid")
    assert [m.subject for m in mail.outbox] == ["Order paid"]


def test_guests_are_asked_to_sign_in_for_support(client):
    page = client.get("/support/").content.decode()
    assert "Sign in to open a ticket" in page and "ticket-form" not in page
    assert client.post("/support/", {"subject": "x", "body": "y"}).status_code == 200
    assert not SupportTicket.objects.exists()


def test_a_user_opens_a_ticket_and_support_answers_audited(
    alice, django_capture_on_commit_callbacks
):
    client = _as(alice)
    blank = client.post("/support/", {"subject": "", "body": "help"})
    assert blank.status_code == 200 and not SupportTicket.objects.exists()
    opened = client.post("/support/", {"subject": "Refund?", "body": "My order was late"})
    ticket = SupportTicket.objects.get()
    assert opened["Location"] == f"/support/{ticket.pk}/"

    agent = make_user("sam@example.com")
    agent.is_staff = True
    agent.save()
    stranger_staff = _as(agent)  # staff without the support role
    assert stranger_staff.get("/staff/support/").status_code == 302
    agent.groups.add(Group.objects.get(name=SUPPORT))
    support = _as(agent)
    assert "Refund?" in support.get("/staff/support/").content.decode()
    assert "My order was late" in support.get(f"/staff/support/{ticket.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        support.post(f"/staff/support/{ticket.pk}/", {"body": "Refunded today."})
    support.post(f"/staff/support/{ticket.pk}/close")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    done = AuditEvent.objects.filter(actor=agent).order_by("pk")
    assert list(done.values_list("action_name", flat=True)) == [
        "read ticket",
        "answer ticket",
        "close ticket",
    ]
    note = Notification.objects.get(user=alice, kind="support")
    assert note.title == "Support answered: Refund?" and note.url == f"/support/{ticket.pk}/"
    assert mail.outbox[-1].to == ["alice@example.com"]
    page = client.get(f"/support/{ticket.pk}/").content.decode()
    assert "Refunded today." in page and "Sam" not in page and "Masterbus support" in page
    assert _as(make_user("eve@example.com")).get("/staff/support/").status_code == 302


def test_the_inbox_lists_my_conversations_with_unread_counts(thread, alice, bob):
    ticket = ticket_open(user=alice, subject="Where is my master?", body="It is not there")
    message_post(thread=thread, author=bob, body="one")
    message_post(thread=thread, author=bob, body="two")
    client = _as(alice)
    page = client.get("/messages/").content.decode()
    assert f'href="/messages/{ticket.thread_id}/">Support ticket</a>' in page
    assert f'href="/messages/{thread.pk}/">View-test</a>' in page and "2 new" in page
    opened = client.get(f"/messages/{thread.pk}/")  # to the subject's page, read
    assert opened.status_code == 302 and opened["Location"] == "/support/?about=v1"
    assert "2 new" not in client.get("/messages/").content.decode()
    assert _as(make_user("mallory@example.com")).get(f"/messages/{thread.pk}/").status_code == 404
    eve = _as(make_user("eve@example.com")).get("/messages/").content.decode()
    assert "No conversations yet" in eve and "View-test" not in eve
