"""P2: two-factor sign-in with an authenticator app; the secret is encrypted at rest, recovery
codes are stored only as salted keyed hashes and shown once, wrong codes are rate limited."""

from __future__ import annotations

import base64
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from masterbus.accounts.adapters import MFAAdapter
from masterbus.accounts.recovery_codes import new_code, normalize
from tests.accounts.totp import totp
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
EMAIL = "alice@example.com"


def sign_in(client, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": EMAIL, "password": password})


def shown_codes(html: str) -> list[str]:
    """The recovery codes in a page's codes box (none when the page shows none)."""
    box = re.search(r'<textarea[^>]*id="recovery_codes"[^>]*>(.*?)</textarea>', html, re.S)
    return box[1].split() if box else []


def enrol(client) -> tuple[str, list[str]]:
    """Switch on the authenticator app for the signed-in user; returns its secret and the
    recovery codes of the page allauth goes to next (the only time they are shown)."""
    asked = client.get("/accounts/2fa/totp/activate/")  # a security change: password again
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert client.post(asked["Location"], {"password": PASSWORD}).status_code == 302
    html = client.get("/accounts/2fa/totp/activate/").content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html)
    secret = secret or re.search(r'value="([A-Z2-7]{32})"[^>]*id="authenticator_secret"', html)
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp(secret[1])})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    codes = shown_codes(client.get(response["Location"]).content.decode())
    assert len(codes) == 10
    return secret[1], codes


@pytest.fixture
def alice_with_totp(client):
    user = make_user(EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    assert sign_in(client).status_code == 302
    secret, codes = enrol(client)
    client.post("/accounts/logout/")
    return user, secret, codes


def sign_in_with(client, code: str) -> str:
    """Password, then ``code`` as the second step; returns the page of the second step (empty
    when it signed in)."""
    assert sign_in(client)["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    return "" if response.status_code == 302 else response.content.decode()


def reauthenticated_get(client, url: str):
    """GET a page that asks for the second factor again (allauth's reauthentication)."""
    asked = client.get(url)
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    client.post(asked["Location"], {"password": PASSWORD})
    return client.get(url)


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
    user, secret, codes = alice_with_totp
    rows = raw_mfa_rows()
    assert {a.type for a in Authenticator.objects.filter(user=user)} == {"totp", "recovery_codes"}
    assert secret not in rows and secret.lower() not in rows
    stored = Authenticator.objects.get(type="totp").data["secret"]
    assert MFAAdapter().decrypt(stored) == secret
    # Recovery codes: one salted hash each, no seed or encrypted value to rebuild them from.
    data = Authenticator.objects.get(type="recovery_codes").data
    assert set(data) == {"hashes", "total", "viewed_at"}
    assert len(data["hashes"]) == len(set(data["hashes"])) == 10
    salts = {stored.split("$")[0] for stored in data["hashes"]}
    assert len(salts) == 10
    for code in codes:
        assert code not in rows
        assert normalize(code) not in rows
        assert code.upper() not in rows


def test_another_key_cannot_decrypt_the_secret(client, alice_with_totp, settings):
    _, secret, _ = alice_with_totp
    stored = Authenticator.objects.get(type="totp").data["secret"]
    settings.MFA_ENCRYPTION_KEY = "a different key, as on a server with another secret"
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        MFAAdapter().decrypt(stored)
    # And encryption is not deterministic: the same secret encrypts differently each time.
    assert MFAAdapter().encrypt(secret) != MFAAdapter().encrypt(secret)


def test_sign_in_needs_the_code_after_the_password(client, alice_with_totp):
    _, secret, _ = alice_with_totp
    response = sign_in(client)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # the password alone does not sign in
    assert client.get("/settings/profile/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": totp(secret)})
    assert response.status_code == 302
    assert client.get("/settings/profile/").status_code == 200


def test_after_five_wrong_codes_even_the_right_code_is_refused(client, alice_with_totp):
    _, secret, _ = alice_with_totp
    sign_in(client)
    right = totp(secret)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(5):
        html = client.post("/accounts/2fa/authenticate/", {"code": wrong}).content.decode()
        assert "Incorrect code" in html
    html = client.post("/accounts/2fa/authenticate/", {"code": right}).content.decode()
    assert "Too many failed login attempts" in html
    assert "_auth_user_id" not in client.session


def test_each_recovery_code_signs_in_once(client, alice_with_totp):
    _, _, codes = alice_with_totp
    assert sign_in_with(client, codes[0]) == ""
    assert client.get("/settings/profile/").status_code == 200
    client.post("/accounts/logout/")
    assert "Incorrect code" in sign_in_with(client, codes[0])
    # Another code of the set still works, typed in capitals and without dashes.
    assert sign_in_with(client, codes[1].upper().replace("-", "")) == ""
    client.post("/accounts/logout/")
    assert len(Authenticator.objects.get(type="recovery_codes").data["hashes"]) == 8


def test_a_wrong_recovery_code_counts_against_the_limit(client, alice_with_totp):
    _, _, codes = alice_with_totp
    sign_in(client)
    wrong = new_code()
    for _ in range(5):
        html = client.post("/accounts/2fa/authenticate/", {"code": wrong}).content.decode()
        assert "Incorrect code" in html
    html = client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).content.decode()
    assert "Too many failed login attempts" in html
    assert "_auth_user_id" not in client.session
    # The refused right code was not used up: it works once the limit is over.
    cache.clear()
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302


def test_recovery_codes_work_only_with_the_key_they_were_hashed_with(alice_with_totp, settings):
    """The hashes are keyed: a copy of the database without the key allows no guessing."""
    _, _, codes = alice_with_totp
    key = settings.MFA_ENCRYPTION_KEY
    settings.MFA_ENCRYPTION_KEY = "a different key, as on a server with another secret"
    assert not Authenticator.objects.get(type="recovery_codes").wrap().validate_code(codes[0])
    settings.MFA_ENCRYPTION_KEY = key
    assert Authenticator.objects.get(type="recovery_codes").wrap().validate_code(codes[0])


def test_recovery_codes_are_shown_once(client, alice_with_totp):
    _, secret, codes = alice_with_totp
    sign_in_with(client, totp(secret))
    html = reauthenticated_get(client, "/accounts/2fa/recovery-codes/").content.decode()
    assert shown_codes(html) == []
    assert not any(code in html for code in codes)
    assert "10 of your 10 recovery codes are unused" in html
    assert "cannot be shown again" in html
    assert 'href="/accounts/2fa/recovery-codes/generate/"' in html  # a new set is offered
    # Nor as a download: that is a way of showing them too.
    assert client.get("/accounts/2fa/recovery-codes/download/").status_code == 403


def test_a_new_set_replaces_the_old_one(client, alice_with_totp):
    _, secret, old = alice_with_totp
    sign_in_with(client, totp(secret))
    page = reauthenticated_get(client, "/accounts/2fa/recovery-codes/generate/")
    assert page.status_code == 200
    response = client.post("/accounts/2fa/recovery-codes/generate/")
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    new = shown_codes(client.get(response["Location"]).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/accounts/logout/")
    assert "Incorrect code" in sign_in_with(client, old[2])
    assert sign_in_with(client, new[2]) == ""


def test_the_first_view_may_be_the_download(client, alice_with_totp):
    """allauth's download link: when it is the first view, the file holds the working codes."""
    _, secret, _ = alice_with_totp
    sign_in_with(client, totp(secret))
    reauthenticated_get(client, "/accounts/2fa/recovery-codes/generate/")
    client.post("/accounts/2fa/recovery-codes/generate/")
    response = client.get("/accounts/2fa/recovery-codes/download/")
    assert response["Content-Disposition"] == 'attachment; filename="recovery-codes.txt"'
    codes = re.findall(r"\b[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}\b", response.content.decode())
    assert len(set(codes)) == 10
    assert shown_codes(client.get("/accounts/2fa/recovery-codes/").content.decode()) == []
    client.post("/accounts/logout/")
    assert sign_in_with(client, codes[9]) == ""
