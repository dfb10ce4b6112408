"""P3: Google and Discord sign-in through the real OAuth 2 flow, the providers faked at the HTTP
edge (``responses`` answers the token and profile requests allauth makes with ``requests``)."""

from __future__ import annotations

import copy
import time
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import responses
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken

from masterbus.accounts.adapters import SOCIAL_FIELDS
from masterbus.accounts.models import User
from tests.accounts.forms import everything_stored

pytestmark = pytest.mark.django_db

ACCESS_TOKEN = "ya29.provider-access-token-never-stored"
REFRESH_TOKEN = "1//provider-refresh-token-never-stored"
DISCORD_PROFILE = {
    "id": "80351110224678912",
    "username": "nelly",
    "global_name": "Nelly",
    "discriminator": "0",
    "avatar": "8342729096ea3675442027381ff50dfe",
    "banner": "06c16474723fe537c283b8efa61a30c8",
    "locale": "en-US",
    "mfa_enabled": True,
    "premium_type": 1,
    "public_flags": 64,
    "email": "nelly@example.com",
    "verified": True,
}


@pytest.fixture
def providers(settings):
    configured = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    for name in ("google", "discord"):
        configured[name]["APPS"] = [{"client_id": f"{name}-client", "secret": f"{name}-secret"}]
    settings.SOCIALACCOUNT_PROVIDERS = configured


def start(client, provider: str) -> dict[str, str]:
    """Press the provider's button; returns the query of the provider's authorisation URL."""
    response = client.post(f"/accounts/{provider}/login/")
    assert response.status_code == 302
    query = {k: v[0] for k, v in parse_qs(urlparse(response["Location"]).query).items()}
    assert query["client_id"] == f"{provider}-client" and query["state"]
    return query


def adult_sign_up(client) -> None:
    """The social sign-up form: the provider's address is filled in, the age is asked."""
    page = client.get("/accounts/3rdparty/signup/")
    assert "date_of_birth" in page.content.decode()
    response = client.post(
        "/accounts/3rdparty/signup/", {"email": "nelly@example.com", "date_of_birth": "1992-03-04"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]


@responses.activate
def test_discord_sign_in_creates_an_account_keeping_only_allowed_fields(client, providers):
    query = start(client, "discord")
    assert set(query["scope"].split()) == {"identify", "email"}
    token = responses.post(
        "https://discord.com/api/oauth2/token",
        json={"access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN,
              "token_type": "Bearer", "expires_in": 604800, "scope": "identify email"},
    )  # fmt: skip
    profile = responses.get("https://discord.com/api/users/@me", json=DISCORD_PROFILE)

    callback = client.get(
        "/accounts/discord/login/callback/", {"code": "the-code", "state": query["state"]}
    )
    assert callback["Location"] == "/accounts/3rdparty/signup/"
    sent = parse_qs(token.calls[0].request.body)
    assert sent["code"] == ["the-code"] and sent["client_secret"] == ["discord-secret"]
    assert profile.calls[0].request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    adult_sign_up(client)

    account = SocialAccount.objects.get()
    assert account.provider == "discord" and account.uid == DISCORD_PROFILE["id"]
    assert set(account.extra_data) == set(SOCIAL_FIELDS["discord"])
    assert account.user.email == "nelly@example.com" and account.user.age_confirmed_at
    assert EmailAddress.objects.get(user=account.user).verified  # Discord verified it
    assert SocialToken.objects.count() == 0
    stored = everything_stored()
    for secret in (ACCESS_TOKEN, REFRESH_TOKEN, DISCORD_PROFILE["avatar"], "mfa_enabled"):
        assert secret not in stored
    assert client.get("/settings/profile/").status_code == 200  # signed in


@responses.activate
def test_google_sign_in_reads_the_id_token_and_keeps_only_allowed_fields(client, providers):
    query = start(client, "google")
    assert set(query["scope"].split()) == {"openid", "email"}
    claims = {
        "iss": "https://accounts.google.com", "aud": "google-client", "azp": "google-client",
        "sub": "110169484474386276334", "email": "gia@example.com", "email_verified": True,
        "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q", "iat": int(time.time()),
        "exp": int(time.time()) + 3600, "hd": "example.com",
    }  # fmt: skip
    responses.post(
        "https://oauth2.googleapis.com/token",
        json={"access_token": ACCESS_TOKEN, "expires_in": 3599, "token_type": "Bearer",
              "scope": "openid email", "id_token": jwt.encode(claims, "k" * 32, "HS256")},
    )  # fmt: skip
    client.get("/accounts/google/login/callback/", {"code": "g-code", "state": query["state"]})
    page = client.get("/accounts/3rdparty/signup/")
    response = client.post(
        "/accounts/3rdparty/signup/", {"email": "gia@example.com", "date_of_birth": "2001-01-01"}
    )
    assert page.status_code == 200 and response.status_code == 302

    account = SocialAccount.objects.get()
    assert account.uid == claims["sub"]
    assert account.extra_data == {"sub": claims["sub"], "email": "gia@example.com",
                                  "email_verified": True}  # fmt: skip
    stored = everything_stored()
    assert ACCESS_TOKEN not in stored and claims["at_hash"] not in stored


@responses.activate
def test_a_forged_state_is_refused_and_nothing_is_created(client, providers):
    start(client, "discord")
    response = client.get(
        "/accounts/discord/login/callback/", {"code": "the-code", "state": "forged"}
    )
    assert response.status_code == 401 and "failure" in response.content.decode().lower()
    assert not responses.calls  # no token was even asked for
    assert SocialAccount.objects.count() == 0 and User.objects.count() == 0


@responses.activate
def test_a_child_signing_in_with_discord_gets_no_account(client, providers):
    query = start(client, "discord")
    responses.post("https://discord.com/api/oauth2/token", json={"access_token": ACCESS_TOKEN,
                   "token_type": "Bearer"})  # fmt: skip
    responses.get("https://discord.com/api/users/@me", json=DISCORD_PROFILE)
    client.get("/accounts/discord/login/callback/", {"code": "c", "state": query["state"]})
    response = client.post(
        "/accounts/3rdparty/signup/", {"email": "nelly@example.com", "date_of_birth": "2020-01-01"}
    )
    assert "Masterbus is not for anyone under 13" in response.content.decode()
    assert User.objects.count() == 0 and SocialAccount.objects.count() == 0


def test_unconfigured_providers_are_invisible(client):
    assert client.post("/accounts/google/login/").status_code == 404
    assert client.get("/accounts/discord/login/callback/?code=x&state=y").status_code == 404
    html = client.get("/accounts/login/").content.decode()
    assert "/accounts/google/login/" not in html and "/accounts/discord/login/" not in html


def test_configured_providers_show_their_buttons(client, providers):
    html = client.get("/accounts/login/").content.decode()
    assert "/accounts/google/login/" in html and "/accounts/discord/login/" in html


def test_provider_apps_and_tokens_have_no_admin_pages(admin_client):
    assert admin_client.get("/admin/socialaccount/socialaccount/").status_code == 200
    assert admin_client.get("/admin/socialaccount/socialapp/").status_code == 404
    assert admin_client.get("/admin/socialaccount/socialtoken/").status_code == 404


def test_one_tap_and_the_legacy_redirects_are_not_mounted(client, providers):
    """Google One Tap's endpoint is exempt from CSRF; we do not use One Tap."""
    assert client.post("/accounts/google/login/token/", {"credential": "x"}).status_code == 404
    assert client.get("/accounts/social/signup/").status_code == 404
