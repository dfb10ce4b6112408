"""Personal API tokens: stored hashed, checked on every request, revocable, made on the
settings page and on the command line."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from masterbus.api.models import ApiToken
from masterbus.api.services import token_authenticate, token_create, token_revoke
from masterbus.cli import main
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_only_a_hash_of_the_secret_is_stored(alice):
    token, text = token_create(user=alice, name="laptop")
    row = ApiToken.objects.get(pk=token.pk)
    secret = text.rsplit("_", 1)[1]
    assert text.startswith(f"mb_{row.prefix}_") and len(secret) == 64  # 32 random bytes, hex
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert not any(secret in value for value in stored)
    # Two tokens never share a secret or a prefix.
    other = token_create(user=alice, name="laptop")[1]
    assert other != text and other.split("_")[1] != row.prefix


def test_a_token_authenticates_as_its_owner_until_revoked(alice, bob):
    token, text = token_create(user=alice, name="ci")
    found = token_authenticate(text=text)
    assert found is not None and found.user == alice and found.last_used_at is not None
    assert not token_revoke(user=bob, token_id=token.pk)  # not bob's to revoke
    assert token_authenticate(text=text) is not None
    assert token_revoke(user=alice, token_id=token.pk)
    assert token_authenticate(text=text) is None
    assert not token_revoke(user=alice, token_id=token.pk)  # already revoked


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic YWxpY2U6cGFzcw==",
        "Bearer not-a-token",
        "Bearer mb_",
        "Bearer mb_abc_",
        "Bearer mb__secret",
        "Token {token}",
        "Bearer {prefix}_wrongsecretwrongsecretwrongsecretwrongsecre",
        "Bearer {token}x",
        "Bearer {token}\u00e9",
    ],
)
def test_bad_tokens_are_refused_with_json(alice, header):
    _, text = token_create(user=alice, name="ci")
    prefix = text.rsplit("_", 1)[0]
    headers = {} if header is None else {"Authorization": header.format(token=text, prefix=prefix)}
    client = Client()
    for response in (
        client.get("/api/v1/jobs", headers=headers),
        client.post("/api/v1/uploads/", headers={**headers, "Tus-Resumable": "1.0.0"}),
        client.head(
            f"/api/v1/uploads/{uuid.uuid4()}", headers={**headers, "Tus-Resumable": "1.0.0"}
        ),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        if response.content:  # HEAD has no body
            assert response.json()["code"] == "unauthorized"


def test_revoked_tokens_and_inactive_users_are_refused(alice):
    token, text = token_create(user=alice, name="ci")
    api = ApiClient(text)
    assert api.get("/api/v1/jobs").status_code == 200
    token_revoke(user=alice, token_id=token.pk)
    assert api.get("/api/v1/jobs").json()["code"] == "unauthorized"

    _, text = token_create(user=alice, name="again")
    alice.is_active = False
    alice.save()
    assert ApiClient(text).get("/api/v1/jobs").status_code == 401


def test_a_signed_in_session_is_not_an_api_credential(alice):
    """The API skips CSRF checks, so it must never act on the cookie a browser sends."""
    client = Client()
    client.force_login(alice)
    assert client.get("/api/v1/jobs").status_code == 401
    assert client.post("/api/v1/uploads/", headers={"Tus-Resumable": "1.0.0"}).status_code == 401


def test_tokens_are_made_and_revoked_on_the_settings_page(alice, bob):
    client = Client()
    client.force_login(alice)
    page = reverse("api-pages:tokens")
    assert reverse("api-pages:tokens") in client.get(reverse("mastering:preferences")).text

    # Making one asks for the password again (see test_token_lifecycle.py).
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    assert client.post(page, {"name": "   ", "expires": "90"}).status_code == 400
    created = client.post(page, {"name": "render farm", "expires": "90"})
    assert created.status_code == 200
    text = created.text.split('<code id="new-token">', 1)[1].split("</code>", 1)[0]
    assert ApiClient(text).get("/api/v1/jobs").status_code == 200
    listing = client.get(page).text
    assert "render farm" in listing and text not in listing  # the secret is shown once

    token = ApiToken.objects.get(user=alice)
    # Bob cannot revoke it; alice can.
    thief = Client()
    thief.force_login(bob)
    thief.post(reverse("api-pages:token_revoke", args=[token.pk]))
    assert ApiClient(text).get("/api/v1/jobs").status_code == 200
    client.post(reverse("api-pages:token_revoke", args=[token.pk]))
    assert ApiClient(text).get("/api/v1/jobs").status_code == 401
    assert "revoked" in client.get(page).text


def test_the_settings_page_needs_a_signed_in_user():
    response = Client().get(reverse("api-pages:tokens"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_token_create_on_the_command_line(alice, capsys):
    assert main(["token", "create", "--email", "ALICE@example.com", "--name", "cron"]) == 0
    text = capsys.readouterr().out.strip()
    assert ApiClient(text).get("/api/v1/jobs").status_code == 200
    assert ApiToken.objects.get(user=alice).name == "cron"

    prefix = text.rsplit("_", 1)[0]
    assert main(["token", "revoke", "--email", "alice@example.com", "--prefix", prefix]) == 0
    assert ApiClient(text).get("/api/v1/jobs").status_code == 401


def test_token_create_for_an_unknown_account_fails_in_one_line(db, capsys):
    assert main(["token", "create", "--email", "nobody@example.com"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nobody@example.com" in err
