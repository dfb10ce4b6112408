"""P17: the security log records sign-in events with a hashed address, shows each user their
own, and a periodic purge deletes entries older than the retention window (12 months)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from allauth.account import signals as account_signals
from allauth.account.models import EmailAddress
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.test import Client, RequestFactory
from django.utils import timezone

from masterbus.config import periodic
from masterbus.security.clientip import ip_hash
from masterbus.security.models import EventKind, SecurityEvent
from masterbus.security.services import security_log_purge

pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))


def test_a_failed_sign_in_is_logged_on_the_account_it_aimed_at(alice, address):
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    client = Client(REMOTE_ADDR=address)
    client.post("/accounts/login/", {"login": "alice@example.com", "password": "wrong"})
    client.post("/accounts/login/", {"login": "nobody@example.com", "password": "wrong"})
    failed = SecurityEvent.objects.filter(kind=EventKind.SIGN_IN_FAILED)
    assert [e.user for e in failed.order_by("created_at")] == [alice, None]
    assert {e.ip_hash for e in failed} == {ip_hash(address)}
    assert not any(address in str(vars(e)) for e in failed)


def test_account_changes_are_logged_and_recovery_codes_alone_are_not(alice, address):
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    account_signals.password_reset.send(sender=type(alice), request=request, user=alice)
    account_signals.email_changed.send(
        sender=type(alice), request=request, user=alice, from_email_address=None,
        to_email_address=None,
    )  # fmt: skip
    for kind in ("totp", "recovery_codes"):
        authenticator = Authenticator(user=alice, type=kind, data={})
        mfa_signals.authenticator_added.send(
            sender=Authenticator, request=request, user=alice, authenticator=authenticator
        )
    mfa_signals.authenticator_removed.send(
        sender=Authenticator, request=request, user=alice,
        authenticator=Authenticator(user=alice, type="totp", data={}),
    )  # fmt: skip
    assert sorted(kinds(alice)) == sorted(
        [EventKind.PASSWORD_RESET, EventKind.EMAIL_CHANGED, EventKind.MFA_ENABLED,
         EventKind.MFA_DISABLED]
    )  # fmt: skip


def test_the_page_shows_my_events_and_not_anyone_elses(alice, bob):
    SecurityEvent.objects.create(user=alice, kind=EventKind.PASSWORD_RESET)
    SecurityEvent.objects.create(user=bob, kind=EventKind.EMAIL_CHANGED)
    client = Client()
    client.force_login(alice)  # a sign-in event too
    page = client.get("/settings/security/").content.decode()
    assert "Password reset" in page and "Signed in" in page
    assert "Email address changed" not in page
    assert "deleted after 365 days" in page


@pytest.mark.django_db(transaction=True)  # the periodic runner closes its connection
def test_the_purge_deletes_entries_past_the_window_and_only_those(settings, alice, caplog):
    settings.SECURITY_LOG_RETENTION_DAYS = 365
    now = timezone.now()
    old = SecurityEvent.objects.create(
        user=alice, kind=EventKind.SIGN_IN, created_at=now - timedelta(days=366)
    )
    kept = SecurityEvent.objects.create(
        user=alice, kind=EventKind.SIGN_IN, created_at=now - timedelta(days=364)
    )
    anonymous = SecurityEvent.objects.create(
        user=None, kind=EventKind.SIGN_IN_FAILED, created_at=now - timedelta(days=400)
    )
    with caplog.at_level(logging.INFO, logger="masterbus.security"):
        assert periodic.run_once()["security log purge"] == 2
    assert list(SecurityEvent.objects.all()) == [kept]
    assert not SecurityEvent.objects.filter(pk__in=[old.pk, anonymous.pk]).exists()
    assert "security log purge: deleted 2" in caplog.text
    assert security_log_purge() == 0  # idempotent


def test_the_window_comes_from_the_settings(settings, alice):
    settings.SECURITY_LOG_RETENTION_DAYS = 30
    SecurityEvent.objects.create(
        user=alice, kind=EventKind.SIGN_IN, created_at=timezone.now() - timedelta(days=31)
    )
    assert security_log_purge() == 1


def test_the_privacy_page_states_the_window_in_force(settings, client):
    settings.SECURITY_LOG_RETENTION_DAYS = 200
    page = client.get("/privacy/").content.decode()
    assert "Security log" in page and "200 days, then deleted" in page
