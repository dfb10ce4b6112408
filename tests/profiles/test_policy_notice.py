"""P35: a material policy change declared next to the policy is announced in the app (every
page, signed in or not, closable) and by one email per user before it takes effect."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from masterbus.config import periodic
from masterbus.privacy import policy
from masterbus.profiles.services import policy_change_notify
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
NOTICE = b'id="policy-notice"'


def declare(monkeypatch, *, announced_days: int, effective_days: int, version: str = "2.0"):
    change = policy.PolicyChange(
        version=version,
        announced=TODAY + datetime.timedelta(days=announced_days),
        effective=TODAY + datetime.timedelta(days=effective_days),
        summary="We add a payment processor for studio bookings.",
    )
    monkeypatch.setattr(policy, "POLICY_CHANGES", (change,))
    return change


def test_no_notice_without_a_declared_change(client, alice):
    client.force_login(alice)
    assert NOTICE not in client.get("/").content
    assert policy_change_notify() == 0 and mail.outbox == []


@pytest.mark.parametrize(
    ("announced", "effective", "shown"),
    [
        (-1, 14, True),  # announced, not yet in effect
        (-40, -5, True),  # in effect, within the days after
        (2, 30, False),  # not announced yet
        (-90, -settings.POLICY_NOTICE_DAYS_AFTER - 1, False),  # the notice has ended
    ],
)
def test_the_notice_shows_from_announcement_until_days_after(
    monkeypatch, client, alice, announced, effective, shown
):
    declare(monkeypatch, announced_days=announced, effective_days=effective)
    guest = Client()
    client.force_login(alice)
    for browser in (guest, client):
        for path in ("/", "/privacy/cookies/", "/songs/"):
            page = browser.get(path)
            assert (NOTICE in page.content) is shown, path
            if shown:
                assert b"payment processor for studio bookings" in page.content


def test_a_user_closes_the_notice_on_the_account(monkeypatch, client, alice):
    change = declare(monkeypatch, announced_days=-1, effective_days=14)
    client.force_login(alice)
    response = client.post("/notice/dismiss", {"version": change.version, "next": "/privacy/"})
    assert response.status_code == 302 and response["Location"] == "/privacy/"
    assert NOTICE not in client.get("/").content
    other_device = Client()
    other_device.force_login(alice)
    assert NOTICE not in other_device.get("/").content
    # A later change is announced again.
    declare(monkeypatch, announced_days=0, effective_days=20, version="3.0")
    assert NOTICE in client.get("/").content


def test_a_guest_closes_the_notice_with_an_essential_cookie(monkeypatch):
    change = declare(monkeypatch, announced_days=-1, effective_days=14)
    guest = Client()
    guest.post("/privacy/consent/", {"choice": "none"})  # even with everything optional refused
    response = guest.post("/notice/dismiss", {"version": change.version})
    cookie = response.cookies[settings.NOTICE_COOKIE_NAME]
    assert cookie.value == change.version
    expected = (change.effective - TODAY).days + settings.POLICY_NOTICE_DAYS_AFTER
    assert int(cookie["max-age"]) == expected * 86400
    assert NOTICE not in guest.get("/").content
    assert guest.post("/notice/dismiss", {"version": "nope"}).status_code == 302


def test_every_active_user_gets_one_email_before_the_change(monkeypatch, alice, bob):
    change = declare(monkeypatch, announced_days=-1, effective_days=14)
    gone = make_user("gone@example.com")
    gone.is_active = False
    gone.save()
    assert policy_change_notify() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]
    message = mail.outbox[0]
    assert change.version in message.body and change.summary in message.body
    assert "/privacy/" in message.body
    assert policy_change_notify() == 0  # idempotent: once per user and version
    carol = make_user("carol@example.com")  # joins later: still told before the change
    assert periodic.run_once()["policy change emails"] == 1
    assert mail.outbox[-1].to == [carol.email] and len(mail.outbox) == 3


def test_no_email_once_the_change_is_in_effect(monkeypatch, alice):
    declare(monkeypatch, announced_days=-30, effective_days=0)
    assert policy_change_notify() == 0 and mail.outbox == []


def test_a_failed_send_is_retried_on_the_next_run(monkeypatch, alice):
    declare(monkeypatch, announced_days=-1, effective_days=14)

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr("masterbus.profiles.services.send_templated_mail", broken)
        assert policy_change_notify() == 0
    assert policy_change_notify() == 1 and mail.outbox[0].to == [alice.email]
