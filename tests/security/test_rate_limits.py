"""P16: sign-in, uploads and the API are rate limited per keyed hash of the client address (and
per API token); the refusal is a 429 with Retry-After; no raw address reaches the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.test import Client

from masterbus.api.services import token_create
from masterbus.security.checks import check_security_settings
from masterbus.security.clientip import ip_hash
from masterbus.security.ratelimit import Rate, parse_rate, rate_limit_hit
from tests.security.conftest import cache_entries
from tests.uploads.helpers import TUS, metadata_header

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
SRC = Path(__file__).resolve().parents[2] / "src" / "masterbus"


@pytest.mark.parametrize(
    ("text", "rate"),
    [("60/h", Rate(60, 3600)), ("5/15m", Rate(5, 900)), ("30/m/ip", Rate(30, 60))],
)
def test_rates_are_written_like_allauths(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "60", "x/h", "5/2w", "5/m3"])
def test_a_malformed_rate_is_refused_with_its_shape(text):
    with pytest.raises(ValueError, match="looks like"):
        parse_rate(text)


def test_a_window_counts_exactly_its_amount_then_refuses_until_it_ends(address):
    rate = Rate(3, 3600)
    key = ip_hash(address)
    assert [rate_limit_hit(scope="t", key=key, rate=rate) for _ in range(3)] == [None] * 3
    refusal = rate_limit_hit(scope="t", key=key, rate=rate)
    assert refusal is not None and 0 < refusal.retry_after <= 3600
    assert rate_limit_hit(scope="t", key=ip_hash(address + "1"), rate=rate) is None  # others


def create_upload(client: Client, address: str, **headers: str):
    return client.post(
        "/uploads/",
        REMOTE_ADDR=address,
        headers={**TUS, "Upload-Length": "1000", "Upload-Metadata": metadata_header(
            filename="mix.wav"), **headers},
    )  # fmt: skip


def test_web_uploads_are_limited_per_network_with_a_plain_message(settings, client, address):
    settings.RATE_LIMIT_UPLOADS = "2/h"
    assert [create_upload(client, address).status_code for _ in range(2)] == [201, 201]
    refused = create_upload(client, address)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused["Tus-Resumable"] == "1.0.0"  # the tus client shows the message as it is
    assert "Too many uploads" in refused.content.decode()
    assert create_upload(Client(), "192.0.2.99").status_code == 201  # another network: fine
    # Resuming the uploads already started is not limited: only creating new ones.
    assert client.head(refused.request["PATH_INFO"], REMOTE_ADDR=address, headers=TUS)


def api(token: str, address: str, path: str = "/api/v1/jobs"):
    return Client().get(path, REMOTE_ADDR=address, headers={"Authorization": f"Bearer {token}"})


def test_the_api_is_limited_per_token_with_a_json_error(settings, alice, bob, address):
    settings.RATE_LIMIT_API_TOKEN = "3/m"
    alice_token = token_create(user=alice, name="script")[1]
    assert [api(alice_token, address).status_code for _ in range(3)] == [200] * 3
    refused = api(alice_token, address)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited" and "Retry-After" in refused.json()["message"]
    assert 0 < int(refused["Retry-After"]) <= 60
    # Bob's token from the same network has its own counter.
    assert api(token_create(user=bob, name="script")[1], address).status_code == 200


def test_the_api_is_limited_per_network_tokens_or_not(settings, alice, address):
    settings.RATE_LIMIT_API_IP = "3/m"
    assert [api("mb_wrong_guess", address).status_code for _ in range(3)] == [401] * 3
    token = token_create(user=alice, name="script")[1]
    assert api(token, address).status_code == 429  # a valid token does not lift it
    assert api(token, "192.0.2.98").status_code == 200


def test_api_uploads_count_against_the_upload_limit(settings, alice, address):
    settings.RATE_LIMIT_UPLOADS = "1/h"
    auth = {"Authorization": f"Bearer {token_create(user=alice, name='script')[1]}"}

    def create(path: str):
        return Client().post(
            path, REMOTE_ADDR=address, headers={**TUS, "Upload-Length": "1000", **auth}
        )

    assert create("/api/v1/uploads/").status_code == 201
    refused = create("/api/v1/uploads/")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert create("/uploads/").status_code == 429  # one counter per network, web and API


def sign_in(client: Client, address: str, password: str = PASSWORD):
    return client.post(
        "/accounts/login/", {"login": "alice@example.com", "password": password},
        REMOTE_ADDR=address,
    )  # fmt: skip


@pytest.fixture
def alice_verified(alice):
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    return alice


def test_sign_in_is_limited_per_hashed_address_with_a_friendly_page(
    settings, client, alice_verified, address
):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip", "login_failed": "10/m/ip"}
    assert sign_in(client, address, "wrong").status_code == 200  # the form, with its error
    assert sign_in(client, address, "wrong").status_code == 200
    refused = sign_in(client, address)
    assert refused.status_code == 429
    assert "try again in" in refused.content.decode() and int(refused["Retry-After"]) >= 60
    assert sign_in(Client(), "192.0.2.97").status_code == 302  # another network signs in
    # allauth counted under the keyed hash of the address, never the address.
    entries = cache_entries()
    assert any(ip_hash(address) in entry for entry in entries)
    assert not any(address in entry for entry in entries)


def test_no_raw_address_is_ever_stored_in_the_cache(settings, client, alice, address):
    settings.RATE_LIMIT_UPLOADS = "5/h"
    create_upload(client, address)
    api(token_create(user=alice, name="s")[1], address)
    sign_in(Client(), address, "wrong")
    entries = cache_entries()
    assert any(ip_hash(address) in entry for entry in entries)
    assert not any(address in entry for entry in entries)


def test_no_raw_address_is_stored_in_any_table(settings, alice_verified, address):
    """Sign-in (failed and good), sessions, the security log, uploads and the API from one
    address: afterwards no row of any table holds it."""
    settings.RATE_LIMIT_UPLOADS = "5/h"
    browser = Client(REMOTE_ADDR=address)
    sign_in(browser, address, "wrong")
    sign_in(browser, address)
    browser.get("/settings/security/", REMOTE_ADDR=address)
    create_upload(browser, address)
    api(token_create(user=alice_verified, name="s")[1], address)
    rows = [
        " ".join(map(str, row))
        for model in apps.get_models()
        if model._meta.managed  # django-rq's dashboard model has no table
        for row in model._default_manager.values_list()
    ]
    assert any(ip_hash(address) in row for row in rows)  # the hash is what is kept
    assert not any(address in row for row in rows)


def test_only_the_security_app_reads_the_client_address():
    """One way to get an address: anything else reading it could store it raw."""
    readers = {
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if any(
            mark in path.read_text() for mark in ("REMOTE_ADDR", "X_FORWARDED_FOR", "Forwarded-For")
        )
    }
    assert readers <= {"security/clientip.py", "config/settings/base.py"}


def test_a_malformed_limit_fails_the_system_check_at_start(settings):
    assert check_security_settings() == []
    settings.RATE_LIMIT_API_TOKEN = "600 per minute"
    settings.ACCOUNT_RATE_LIMITS = {"login": "30/m/ip,5/fortnight"}
    settings.TRUSTED_PROXY_COUNT = -1
    assert [(e.id, e.msg.split(":")[0]) for e in check_security_settings()] == [
        ("security.E001", "RATE_LIMIT_API_TOKEN"),
        ("security.E001", "ACCOUNT_RATE_LIMITS['login']"),
        ("security.E002", "TRUSTED_PROXY_COUNT must be 0 or more"),
    ]


def test_every_api_operation_documents_the_rate_limit_answer(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = [op for item in schema["paths"].values() for op in item.values()]
    assert len(operations) > 10
    for operation in operations:
        answer = operation["responses"]["429"]["content"]["application/json"]["schema"]
        assert answer["$ref"].endswith("/ErrorOut")
