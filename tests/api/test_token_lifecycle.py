"""API tokens do not outlive what protects the account: a password change or reset and "sign out
all other sessions" revoke them; making one asks for the password again; making, revoking and
first use from a new network are in the security log; a token may expire."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from masterbus.api.models import ApiToken
from masterbus.api.services import TokenError, token_authenticate, token_create
from masterbus.cli import main
from masterbus.security.clientip import ip_hash
from masterbus.security.models import EventKind, SecurityEvent
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase 42"
PAGE = "/settings/tokens/"


@pytest.fixture
def alice_verified(alice):
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    return alice


def signed_in(address: str = "192.0.2.10", *, confirmed: bool = False) -> Client:
    """A browser signed in through the form; ``confirmed``: the password was just given again
    (allauth's reauthentication), as making a token asks."""
    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    if confirmed:
        assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    return client


def works(text: str) -> bool:
    return ApiClient(text).get("/api/v1/jobs").status_code == 200


def logged(user, kind: EventKind) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(user=user, kind=kind).order_by("created_at"))


def new_token_on(page_html: str) -> str:
    return re.search(r'<code id="new-token">([^<]+)</code>', page_html)[1]


def test_a_password_change_revokes_every_token(alice_verified, bob):
    _, text = token_create(user=alice_verified, name="laptop")
    _, other = token_create(user=alice_verified, name="ci")
    _, bobs = token_create(user=bob, name="bob's")
    client = signed_in()
    changed = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert not works(text) and not works(other)
    assert works(bobs)  # only her own
    assert ApiClient(text).get("/api/v1/jobs").json()["code"] == "unauthorized"
    [event] = logged(alice_verified, EventKind.API_TOKEN_REVOKED)
    assert "2 tokens" in event.detail and "password" in event.detail


def test_a_password_reset_revokes_every_token(client, alice_verified):
    _, text = token_create(user=alice_verified, name="laptop")
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_url = client.get(link[1])["Location"]
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert not works(text)
    assert logged(alice_verified, EventKind.API_TOKEN_REVOKED)


def test_signing_out_the_other_sessions_revokes_every_token(alice_verified):
    _, text = token_create(user=alice_verified, name="laptop")
    desk = signed_in()
    signed_in("192.0.2.11")
    page = desk.get("/settings/security/").content.decode()
    assert "revokes your API tokens" in page  # the page says so before the click
    response = desk.post("/settings/security/sign-out-others", follow=True)
    assert "Signed out 1 other session and revoked 1 API token." in response.content.decode()
    assert not works(text)
    # With no other session left, the tokens still go (the button means "only this browser").
    _, again = token_create(user=alice_verified, name="again")
    response = desk.post("/settings/security/sign-out-others", follow=True)
    assert "revoked 1 API token" in response.content.decode()
    assert not works(again)


def test_making_a_token_asks_for_the_password_again(alice_verified):
    client = Client()
    client.force_login(alice_verified)  # signed in long ago: no recent authentication
    asked = client.post(PAGE, {"name": "render farm", "expires": "90"})
    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert not ApiToken.objects.exists()
    assert client.post(asked["Location"], {"password": "wrong"}).status_code == 200
    assert not ApiToken.objects.exists()
    # The right password carries on with the request that was asked for.
    done = client.post(asked["Location"], {"password": PASSWORD})
    assert done.status_code == 200
    text = new_token_on(done.content.decode())
    assert works(text)
    assert ApiToken.objects.get().name == "render farm"
    # Within the next minutes another one needs no password.
    again = client.post(PAGE, {"name": "second", "expires": "never"})
    assert again.status_code == 200 and works(new_token_on(again.content.decode()))


def test_making_revoking_and_a_new_network_are_logged(alice_verified):
    client = signed_in(confirmed=True)
    created = client.post(PAGE, {"name": "render farm", "expires": "30"})
    text = new_token_on(created.content.decode())
    token = ApiToken.objects.get()
    [made] = logged(alice_verified, EventKind.API_TOKEN_CREATED)
    assert made.detail == f"render farm (mb_{token.prefix})"
    assert made.ip_hash == ip_hash("192.0.2.10")

    def use(address: str) -> int:
        return (
            Client(REMOTE_ADDR=address)
            .get("/api/v1/jobs", headers={"Authorization": f"Bearer {text}"})
            .status_code
        )

    assert [use("198.51.100.1"), use("198.51.100.1"), use("198.51.100.2")] == [200] * 3
    assert use("198.51.100.1") == 200
    networks = logged(alice_verified, EventKind.API_TOKEN_NEW_NETWORK)
    assert [e.ip_hash for e in networks] == [ip_hash("198.51.100.1"), ip_hash("198.51.100.2")]
    assert all(e.detail == f"render farm (mb_{token.prefix})" for e in networks)
    assert not any("198.51.100" in str(vars(e)) for e in SecurityEvent.objects.all())

    client.post(reverse("api-pages:token_revoke", args=[token.pk]))
    [revoked] = logged(alice_verified, EventKind.API_TOKEN_REVOKED)
    assert revoked.detail == f"render farm (mb_{token.prefix})"
    page = client.get("/settings/security/").content.decode()
    for words in ("API token created", "API token used from a new network", "API token revoked"):
        assert words in page


def test_a_token_expires_when_its_owner_chose(alice_verified):
    client = signed_in(confirmed=True)
    page = client.get(PAGE).content.decode()
    for choice in ('value="30"', 'value="90"', 'value="365"', 'value="never"'):
        assert choice in page
    created = client.post(PAGE, {"name": "short", "expires": "30"})
    text = new_token_on(created.content.decode())
    token = ApiToken.objects.get()
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert token.expires_at.strftime("%Y-%m-%d") in client.get(PAGE).content.decode()
    assert works(text)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = ApiClient(text).get("/api/v1/jobs")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    assert "expired" in client.get(PAGE).content.decode()
    # "never" is a choice too, and nothing else is.
    client.post(PAGE, {"name": "forever", "expires": "never"})
    assert ApiToken.objects.get(name="forever").expires_at is None
    assert client.post(PAGE, {"name": "odd", "expires": "7"}).status_code == 400
    assert not ApiToken.objects.filter(name="odd").exists()


def test_expiry_on_the_command_line(alice, capsys):
    assert main(["token", "create", "--email", alice.email, "--expires-days", "90"]) == 0
    text = capsys.readouterr().out.strip()
    token = token_authenticate(text=text)
    assert token is not None
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    assert main(["token", "create", "--email", alice.email, "--expires-days", "0"]) == 2
    assert "expires" in capsys.readouterr().err
    with pytest.raises(TokenError):
        token_create(user=alice, name="x", expires_days=-1)
