"""P4: every sign-in session is recorded (time, browser, hashed address), listed to its user,
and "sign out other sessions" really ends the others."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from masterbus.security.clientip import ip_hash
from masterbus.security.models import EventKind, SecurityEvent, SignInSession
from masterbus.security.services import SESSION_RECORD_KEY, sign_in_session_purge
from masterbus.security.useragent import browser_summary

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"
)


@pytest.mark.parametrize(
    ("agent", "summary"),
    [
        (FIREFOX_LINUX, "Firefox on Linux"),
        (CHROME_ANDROID, "Chrome on Android"),
        (SAFARI_IPHONE, "Safari on iOS"),
        (EDGE_WINDOWS, "Edge on Windows"),
        ("", "Unknown browser"),
    ],
)
def test_the_browser_is_summarised_in_a_few_words(agent, summary):
    assert browser_summary(agent) == summary


@pytest.fixture
def alice_verified(alice):
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    return alice


def signed_in(address: str, agent: str = FIREFOX_LINUX, email: str = "alice@example.com"):
    """A browser that signed in through the real sign-in form."""
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_a_sign_in_records_time_browser_and_hashed_address_only(alice_verified, address):
    before = timezone.now()
    client = signed_in(address)
    record = SignInSession.objects.get(user=alice_verified)
    assert record.browser == "Firefox on Linux"
    assert record.ip_hash == ip_hash(address)
    key = client.session.session_key
    assert record.session_key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert before <= record.created_at <= timezone.now()
    stored = " ".join(str(v) for v in SignInSession.objects.values_list().get(pk=record.pk))
    assert address not in stored and key not in stored and "Gecko" not in stored
    event = SecurityEvent.objects.get(user=alice_verified, kind=EventKind.SIGN_IN)
    assert event.ip_hash == ip_hash(address) and address not in str(vars(event))


def test_the_page_lists_only_my_sessions_and_marks_this_one(alice_verified, bob, address):
    EmailAddress.objects.create(user=bob, email=bob.email, verified=True, primary=True)
    signed_in(address, CHROME_ANDROID)
    signed_in(address, SAFARI_IPHONE, email="bob@example.com")
    mine = signed_in(address, FIREFOX_LINUX)
    page = mine.get("/settings/security/").content.decode()
    assert "Chrome on Android" in page and "Firefox on Linux (this session)" in page.replace(
        " <strong>", " "
    ).replace("</strong>", "")
    assert "Safari on iOS" not in page  # bob's
    assert page.count("(this session)") == 1
    assert ip_hash(address)[:8] in page and address not in page


def test_signing_out_the_others_ends_them_and_keeps_this_one(alice_verified, address):
    phone = signed_in(address, CHROME_ANDROID)
    laptop = signed_in(address, EDGE_WINDOWS)
    desk = signed_in(address, FIREFOX_LINUX)
    assert phone.get("/settings/security/").status_code == 200
    phone_key = phone.session.session_key

    response = desk.post("/settings/security/sign-out-others", follow=True)
    assert "Signed out 2 other sessions." in response.content.decode()

    assert list(SignInSession.objects.values_list("browser", flat=True)) == ["Firefox on Linux"]
    for other in (phone, laptop):  # their cookies no longer sign anyone in
        assert other.get("/settings/security/").status_code == 302
        assert other.get("/settings/security/")["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert desk.get("/settings/security/").status_code == 200  # this one goes on
    ended = SecurityEvent.objects.filter(user=alice_verified, kind=EventKind.SESSIONS_ENDED)
    assert ended.count() == 1


def test_signing_out_the_others_needs_a_post_and_a_signed_in_user(alice_verified, address):
    assert Client().post("/settings/security/sign-out-others").status_code == 302  # to sign in
    client = signed_in(address)
    assert client.get("/settings/security/sign-out-others").status_code == 405
    csrf = Client(enforce_csrf_checks=True)
    csrf.cookies = client.cookies
    assert csrf.post("/settings/security/sign-out-others").status_code == 403
    assert SignInSession.objects.count() == 1


def test_sign_out_removes_the_record_and_is_logged(alice_verified, address):
    client = signed_in(address)
    client.post("/accounts/logout/")
    assert not SignInSession.objects.exists()
    assert SecurityEvent.objects.filter(user=alice_verified, kind=EventKind.SIGN_OUT).count() == 1


def test_last_seen_is_written_at_most_once_per_interval(settings, alice_verified, address):
    settings.SIGN_IN_SESSION_TOUCH_SECONDS = 300
    client = signed_in(address)
    record = SignInSession.objects.get()
    recent = timezone.now() - timedelta(seconds=100)
    SignInSession.objects.filter(pk=record.pk).update(last_seen_at=recent)
    client.get("/settings/security/")
    assert SignInSession.objects.get().last_seen_at == recent  # no write: seen recently
    old = timezone.now() - timedelta(seconds=400)
    SignInSession.objects.filter(pk=record.pk).update(last_seen_at=old)
    client.get("/settings/security/")
    assert SignInSession.objects.get().last_seen_at > recent


def test_a_new_session_key_after_a_password_change_keeps_the_session(alice_verified, address):
    client = signed_in(address)
    old_key = client.session.session_key
    new = "a new horse battery"
    response = client.post(
        "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    assert client.session.session_key != old_key  # Django rotated it
    assert client.get("/settings/security/").status_code == 200  # still signed in
    record = SignInSession.objects.get()
    assert (
        record.session_key_hash == hashlib.sha256(client.session.session_key.encode()).hexdigest()
    )
    assert SecurityEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED).count() == 1


def test_a_session_from_before_the_records_is_recorded_on_its_next_request(alice_verified):
    client = Client(HTTP_USER_AGENT=FIREFOX_LINUX)
    client.force_login(alice_verified)
    SignInSession.objects.all().delete()
    session = client.session
    del session[SESSION_RECORD_KEY]
    session.save()
    assert client.get("/settings/security/").status_code == 200
    assert SignInSession.objects.get().browser == "Firefox on Linux"


def test_the_purge_removes_expired_sessions_and_stale_records(settings, alice_verified, address):
    live = signed_in(address)
    stale = signed_in(address, CHROME_ANDROID)
    stale_key = stale.session.session_key
    long_ago = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE, days=2)
    SignInSession.objects.filter(browser="Chrome on Android").update(last_seen_at=long_ago)
    Session.objects.filter(session_key=stale_key).update(expire_date=long_ago)
    assert sign_in_session_purge() == 1
    assert list(SignInSession.objects.values_list("browser", flat=True)) == ["Firefox on Linux"]
    assert not Session.objects.filter(session_key=stale_key).exists()
    assert live.get("/settings/security/").status_code == 200
    assert sign_in_session_purge() == 0  # idempotent
