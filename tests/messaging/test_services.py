"""Messaging services: threads per subject, bounded and rate-limited posts that notify the other
participants, idempotent notifications whose e-mail follows the preferences (P24, P26)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from masterbus.config import periodic
from masterbus.messaging import selectors, subjects
from masterbus.messaging.errors import MessageRateError, MessagingError
from masterbus.messaging.models import MESSAGE_MAX_CHARS, Message, Notification
from masterbus.messaging.selectors import ThreadNotFound
from masterbus.messaging.services import message_post, notify, thread_for
from masterbus.messaging.services.notifications import (
    email_preferences_set,
    notification_mark_read,
    notification_purge_expired,
    notifications_mark_all_read,
)
from masterbus.messaging.services.support import ticket_answer, ticket_open
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()


@pytest.fixture
def order_thread(alice, bob):
    subjects.register("test-order", url_for=lambda pk: f"/orders/{pk}/")
    return thread_for(subject_type="test-order", subject_id="o-1", participants=[alice, bob])


def test_thread_for_is_one_per_subject_and_adds_participants(alice, bob):
    first = thread_for(subject_type="svc-test", subject_id="42", participants=[alice])
    carol = make_user("carol@example.com")
    again = thread_for(
        subject_type="svc-test", subject_id=42, participants=[bob, carol, alice, None]
    )
    assert again.pk == first.pk
    assert set(again.participants.all()) == {alice, bob, carol}


def test_post_notifies_the_others_once_with_a_link_to_the_subject(
    order_thread, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_post(thread=order_thread, author=alice, body="  Mix v2 is up  ")
    assert message.body == "Mix v2 is up"
    assert not Notification.objects.filter(user=alice).exists()
    note = Notification.objects.get(user=bob)
    assert (note.kind, note.url, note.body) == ("message", "/orders/o-1/", "Mix v2 is up")
    assert note.emailed_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bob@example.com"]
    assert "http://testserver/orders/o-1/" in mail.outbox[0].body or "/orders/o-1/" in (
        mail.outbox[0].body
    )
    assert "alice@example.com" not in mail.outbox[0].body  # the author's address is not shown


@pytest.mark.parametrize("body", ["", "   \n ", "x" * (MESSAGE_MAX_CHARS + 1)])
def test_empty_or_too_long_messages_are_refused_and_nothing_is_stored(order_thread, alice, body):
    with pytest.raises(MessagingError):
        message_post(thread=order_thread, author=alice, body=body)
    assert not Message.objects.exists() and not Notification.objects.exists()


def test_the_longest_message_is_accepted(order_thread, alice):
    assert len(
        message_post(thread=order_thread, author=alice, body="y" * MESSAGE_MAX_CHARS).body
    ) == (MESSAGE_MAX_CHARS)


def test_only_participants_post(order_thread):
    with pytest.raises(ValueError):
        message_post(thread=order_thread, author=make_user("eve@example.com"), body="hi")


def test_posting_is_rate_limited_per_author(order_thread, alice, bob, settings):
    settings.MESSAGING_RATE = "3/m"
    for n in range(3):
        message_post(thread=order_thread, author=alice, body=f"message {n}")
    with pytest.raises(MessageRateError) as refused:
        message_post(thread=order_thread, author=alice, body="one too many")
    assert refused.value.code == "rate_limited" and refused.value.retry_after >= 1
    assert "too quickly" in refused.value.message
    message_post(thread=order_thread, author=bob, body="bob has his own count")
    assert Message.objects.count() == 4


def test_notify_is_idempotent_by_key(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=alice, kind="reminder", title="Session tomorrow", key="remind:b1:24h")
        second = notify(user=alice, kind="reminder", title="Session tomorrow", key="remind:b1:24h")
    assert first is not None and second is None
    assert Notification.objects.filter(user=alice).count() == 1
    assert len(mail.outbox) == 1


def test_the_same_key_for_two_users_notifies_both(alice, bob):
    assert notify(user=alice, kind="order", title="Paid", key="order:1:paid")
    assert notify(user=bob, kind="order", title="Paid", key="order:1:paid")


def test_switched_off_kind_is_kept_in_history_but_not_emailed(
    alice, django_capture_on_commit_callbacks
):
    email_preferences_set(user=alice, enabled={"reminder": False, "order": False})
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=alice, kind="reminder", title="Session tomorrow")
        notify(user=alice, kind="order", title="Your order was accepted")
    assert Notification.objects.filter(user=alice).count() == 2
    # order updates are required: switching them off is ignored
    assert [m.subject for m in mail.outbox] == ["Your order was accepted"]
    assert dict((k.name, on) for k, on in selectors.email_preferences(alice))["reminder"] is False


def test_an_unknown_kind_is_a_programming_error(alice):
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify(user=alice, kind="nonsense", title="x")


def test_a_rolled_back_notification_sends_no_mail(alice, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(user=alice, kind="order", title="Paid")
        raise RuntimeError("the webhook failed")
    assert not Notification.objects.exists() and not mail.outbox


def test_mark_read_is_scoped_to_the_owner(alice, bob):
    mine = notify(user=alice, kind="order", title="Paid")
    assert notification_mark_read(user=bob, notification_id=mine.pk) is False
    assert selectors.unread_count(alice) == 1
    assert notification_mark_read(user=alice, notification_id=mine.pk) is True
    notify(user=alice, kind="order", title="Accepted")
    notify(user=alice, kind="order", title="Delivered")
    assert notifications_mark_all_read(user=alice) == 2
    assert selectors.unread_count(alice) == 0


def test_thread_get_is_for_participants_only(order_thread, alice):
    assert selectors.thread_get(user=alice, thread_id=order_thread.pk) == order_thread
    stranger = make_user("eve@example.com")
    with pytest.raises(ThreadNotFound):
        selectors.thread_get(user=stranger, thread_id=order_thread.pk)
    with pytest.raises(order_thread.DoesNotExist):  # the contract: a DoesNotExist too
        selectors.thread_get(user=stranger, thread_id="not-a-uuid")


def test_unread_counts_messages_by_others_since_last_read(order_thread, alice, bob):
    message_post(thread=order_thread, author=alice, body="one")
    message_post(thread=order_thread, author=alice, body="two")
    assert selectors.threads_for(bob).get().unread == 2
    assert selectors.threads_for(alice).get().unread == 0
    message_post(thread=order_thread, author=bob, body="thanks")  # bob read it by answering
    assert selectors.threads_for(bob).get().unread == 0
    assert selectors.threads_for(alice).get().unread == 1


def test_notifications_expire_after_the_retention(alice, settings):
    settings.NOTIFICATION_RETENTION_DAYS = 30
    old = notify(user=alice, kind="order", title="old")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    notify(user=alice, kind="order", title="new")
    assert notification_purge_expired() == 1
    assert list(Notification.objects.values_list("title", flat=True)) == ["new"]


def test_the_purge_runs_with_the_periodic_jobs():
    assert periodic.run_once()["notification history purge"] == 0


def test_a_support_answer_is_emailed_even_with_optional_kinds_off(
    alice, bob, django_capture_on_commit_callbacks
):
    """P24: the answer to a ticket reaches the user by e-mail with its text; switching the
    optional kinds off (messages among them) does not silence support."""
    email_preferences_set(user=alice, enabled={"message": False, "support": False})
    ticket = ticket_open(user=alice, subject="Where is my invoice?", body="I paid yesterday.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_answer(ticket=ticket, staff_user=bob, body="It is under Settings > Payments.")
    (sent,) = mail.outbox
    assert sent.to == ["alice@example.com"]
    assert "Where is my invoice?" in sent.subject
    assert "/support/" in sent.body  # the link to the answer
    assert Notification.objects.filter(user=alice, kind="support").count() == 1
