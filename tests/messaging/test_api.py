"""The messaging API: notifications and threads with the token's ownership rules (P18, P26)."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache

from masterbus.api.services import token_create
from masterbus.messaging import subjects
from masterbus.messaging.models import Message, Notification
from masterbus.messaging.services import message_post, notify, thread_for
from tests.api.conftest import ApiClient
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()


def _api(user) -> ApiClient:
    return ApiClient(token_create(user=user, name="script")[1])


@pytest.fixture
def thread(alice, bob):
    subjects.register("api-test", url_for=lambda pk: f"/things/{pk}/")
    found = thread_for(subject_type="api-test", subject_id="t1", participants=[alice, bob])
    message_post(thread=found, author=bob, body="Hello from bob")
    return found


def test_notifications_list_and_mark_read(alice, bob):
    mine = notify(user=alice, kind="order", title="Paid", url="/orders/1/")
    notify(user=alice, kind="reminder", title="Tomorrow")
    notify(user=bob, kind="order", title="bob's secret")
    api = _api(alice)
    page = api.get("/api/v1/notifications?limit=1").json()
    assert page["count"] == 2 and page["next"] == "/api/v1/notifications?limit=1&offset=1"
    assert page["items"][0]["title"] == "Tomorrow" and page["items"][0]["read_at"] is None
    answer = api.post(f"/api/v1/notifications/{mine.pk}/read")
    assert answer.status_code == 200 and answer.json()["read_at"] is not None
    assert api.post("/api/v1/notifications/read").json() == {"marked": 1}
    assert not Notification.objects.filter(user=alice, read_at=None).exists()
    assert Notification.objects.get(user=bob).read_at is None


def test_another_users_notification_is_not_found_and_stays_unread(alice, bob):
    theirs = notify(user=bob, kind="order", title="bob's")
    answer = _api(alice).post(f"/api/v1/notifications/{theirs.pk}/read")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_threads_messages_and_posting(thread, alice, bob):
    api = _api(alice)
    listed = api.get("/api/v1/threads").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["id"], item["url"], item["unread"]) == (str(thread.pk), "/things/t1/", 1)
    posted = api.post(f"/api/v1/threads/{thread.pk}/messages", {"body": "Hi bob"})
    assert posted.status_code == 201, posted.content
    assert posted.json()["author"] == "you" and posted.json()["mine"] is True
    messages = api.get(f"/api/v1/threads/{thread.pk}/messages").json()
    assert [m["body"] for m in messages["items"]] == ["Hello from bob", "Hi bob"]
    assert messages["items"][0]["author"] == "Masterbus member"  # never bob's e-mail
    assert api.get(f"/api/v1/threads/{thread.pk}").json()["unread"] == 0
    assert Notification.objects.filter(user=bob, kind="message").count() == 1


def test_message_paging_links_point_at_the_thread(thread, alice):
    api = _api(alice)
    page = api.get(f"/api/v1/threads/{thread.pk}/messages?limit=1").json()
    assert page["next"] is None
    api.post(f"/api/v1/threads/{thread.pk}/messages", {"body": "two"})
    page = api.get(f"/api/v1/threads/{thread.pk}/messages?limit=1").json()
    assert page["next"] == f"/api/v1/threads/{thread.pk}/messages?limit=1&offset=1"


def test_a_non_participant_gets_404_everywhere_and_posts_nothing(thread):
    eve = _api(make_user("eve@example.com"))
    assert eve.get("/api/v1/threads").json()["count"] == 0
    for answer in (
        eve.get(f"/api/v1/threads/{thread.pk}"),
        eve.get(f"/api/v1/threads/{thread.pk}/messages"),
        eve.post(f"/api/v1/threads/{thread.pk}/messages", {"body": "let me in"}),
        eve.get(f"/api/v1/threads/{uuid.uuid4()}"),
    ):
        assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert Message.objects.count() == 1


def test_bad_posts_are_clear_errors(thread, alice, settings):
    api = _api(alice)
    url = f"/api/v1/threads/{thread.pk}/messages"
    too_long = api.post(url, {"body": "x" * 5001})
    assert too_long.status_code == 422 and too_long.json()["field"] == "body"
    for empty in ({"body": "   "}, {}):
        blank = api.post(url, empty)
        assert blank.status_code == 400 and blank.json()["code"] == "invalid_message"
    settings.MESSAGING_RATE = "2/m"
    assert api.post(url, {"body": "one"}).status_code == 201
    assert api.post(url, {"body": "two"}).status_code == 201
    third = api.post(url, {"body": "three"})
    assert third.status_code == 429 and third.json()["code"] == "rate_limited"
    assert int(third["Retry-After"]) >= 1


def test_no_token_no_messages(thread):
    from django.test import Client

    answer = Client().get("/api/v1/threads")
    assert answer.status_code == 401
