"""P2: two-factor sign-in with an authenticator app; the secret is encrypted at rest, recovery
codes are never stored, wrong codes are rate limited."""

from __future__ import annotations

import base64
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from masterbus.accounts.adapters import MFAAdapter
from tests.accounts.totp import totp
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
EMAIL = "alice@example.com"


def sign_in(client, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": EMAIL, "password": password})


def enrol(client) -> str:
    """Switch on the authenticator app for the signed-in user; returns its secret."""
    asked = client.get("/accounts/2fa/totp/activate/")  # a security change: password again
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert client.post(asked["Location"], {"password": PASSWORD}).status_code == 302
    html = client.get("/accounts/2fa/totp/activate/").content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html)
    secret = secret or re.search(r'value="([A-Z2-7]{32})"[^>]*id="authenticator_secret"', html)
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp(secret[1])})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret[1]


@pytest.fixture
def alice_with_totp(client):
    user = make_user(EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    assert sign_in(client).status_code == 302
    secret = enrol(client)
    client.post("/accounts/logout/")
    return user, secret


def raw_mfa_rows() -> str:
    """What a copy of the database holds: the raw column text, not the ORM's view of it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, data FROM mfa_authenticator")
        return repr(cursor.fetchall())


def test_the_totp_code_helper_matches_rfc_6238():
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, 59, digits=8) == "94287082"
    assert totp(secret, 1111111109, digits=8) == "07081804"


def test_the_secret_and_the_recovery_codes_are_not_in_the_database(client, alice_with_totp):
    user, secret = alice_with_totp
    rows = raw_mfa_rows()
    assert {a.type for a in Authenticator.objects.filter(user=user)} == {"totp", "recovery_codes"}
    assert secret not in rows and secret.lower() not in rows
    codes = Authenticator.objects.get(type="recovery_codes").wrap().get_unused_codes()
    assert len(codes) == 10
    for code in codes:
        assert code not in rows
    stored = Authenticator.objects.get(type="totp").data["secret"]
    assert MFAAdapter().decrypt(stored) == secret


def test_another_key_cannot_decrypt_the_secret(client, alice_with_totp, settings):
    _, secret = alice_with_totp
    stored = Authenticator.objects.get(type="totp").data["secret"]
    settings.MFA_ENCRYPTION_KEY = "a different key, as on a server with another secret"
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        MFAAdapter().decrypt(stored)
    # And encryption is not deterministic: the same secret encrypts differently each time.
    assert MFAAdapter().encrypt(secret) != MFAAdapter().encrypt(secret)


def test_sign_in_needs_the_code_after_the_password(client, alice_with_totp):
    _, secret = alice_with_totp
    response = sign_in(client)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # the password alone does not sign in
    assert client.get("/settings/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": totp(secret)})
    assert response.status_code == 302
    assert client.get("/settings/").status_code == 200


def test_after_five_wrong_codes_even_the_right_code_is_refused(client, alice_with_totp):
    _, secret = alice_with_totp
    sign_in(client)
    right = totp(secret)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(5):
        html = client.post("/accounts/2fa/authenticate/", {"code": wrong}).content.decode()
        assert "Incorrect code" in html
    html = client.post("/accounts/2fa/authenticate/", {"code": right}).content.decode()
    assert "Too many failed login attempts" in html
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client, alice_with_totp):
    code = Authenticator.objects.get(type="recovery_codes").wrap().get_unused_codes()[0]
    sign_in(client)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    sign_in(client)
    html = client.post("/accounts/2fa/authenticate/", {"code": code}).content.decode()
    assert "Incorrect code" in html


def test_recovery_codes_are_shown_once(client, alice_with_totp):
    _, secret = alice_with_totp
    codes = Authenticator.objects.get(type="recovery_codes").wrap().get_unused_codes()
    sign_in(client)
    client.post("/accounts/2fa/authenticate/", {"code": totp(secret)})
    asked = client.get("/accounts/2fa/recovery-codes/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    client.post(asked["Location"], {"password": PASSWORD})
    first = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert codes[0] in first
    again = client.get("/accounts/2fa/recovery-codes/").content.decode()
    assert not any(code in again for code in codes)
