"""P2, P16: the admin has no sign-in of its own. /admin/login/ sends everyone to allauth's
sign-in, so staff pass the second factor and the sign-in rate limits like everyone else."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from masterbus.security.models import EventKind, SecurityEvent
from tests.accounts.test_two_factor import EMAIL, PASSWORD, enrol, sign_in
from tests.accounts.totp import totp
from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_with_totp(client):
    user = make_user(EMAIL)
    user.is_staff = user.is_superuser = True
    user.save()
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    assert sign_in(client).status_code == 302
    secret, _ = enrol(client)
    client.post("/accounts/logout/")
    return user, secret


def admin_sign_in(client: Client, password: str = PASSWORD, **extra):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": EMAIL, "password": password, "next": "/admin/"},
        **extra,
    )


def test_the_password_alone_at_the_admin_login_signs_nobody_in(client, staff_with_totp):
    response = admin_sign_in(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still signed out
    # Its page is no sign-in form either: it sends the browser to allauth's.
    page = client.get("/admin/login/?next=/admin/auth/group/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/login/?next=%2Fadmin%2Fauth%2Fgroup%2F"


def test_staff_reach_the_admin_after_password_and_code(client, staff_with_totp):
    _, secret = staff_with_totp
    asked = client.get("/admin/")
    assert asked.status_code == 302
    first = client.post(
        "/accounts/login/", {"login": EMAIL, "password": PASSWORD, "next": "/admin/"}
    )
    assert first["Location"] == "/accounts/2fa/authenticate/"
    second = client.post("/accounts/2fa/authenticate/", {"code": totp(secret)})
    assert second["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Signed in, the admin's login page only leads to the admin.
    assert client.get("/admin/login/")["Location"] == "/admin/"
    # ... and does not take another password (no switching accounts around the second factor).
    other = make_user("other@example.com")
    other.is_staff = True
    other.save()
    client.post("/admin/login/", {"username": other.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(staff_with_totp[0].pk)


def test_a_signed_in_member_who_is_not_staff_is_refused(client, staff_with_totp):
    client.force_login(make_user("member@example.com"))
    assert client.get("/admin/login/").status_code == 403


def test_wrong_passwords_at_the_admin_login_are_never_tried_and_sign_in_is_limited(
    settings, client, staff_with_totp
):
    user, _ = staff_with_totp
    before = SecurityEvent.objects.filter(kind=EventKind.SIGN_IN_FAILED).count()
    for _ in range(30):
        admin_sign_in(client, "wrong password", REMOTE_ADDR="192.0.2.31")
    # No password was checked there: no failed sign-in was counted or logged, nobody signed in.
    assert SecurityEvent.objects.filter(kind=EventKind.SIGN_IN_FAILED).count() == before
    assert admin_sign_in(client, REMOTE_ADDR="192.0.2.31").status_code == 302
    assert "_auth_user_id" not in client.session
    # The one way in is allauth's form, with its limit on failed attempts.
    settings.ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "10/m/ip,5/5m/key"}
    pages = [
        client.post(
            "/accounts/login/", {"login": EMAIL, "password": "wrong"}, REMOTE_ADDR="192.0.2.31"
        ).content.decode()
        for _ in range(6)
    ]
    assert not any("Too many failed login attempts" in page for page in pages[:5])
    assert "Too many failed login attempts" in pages[5]
    assert SecurityEvent.objects.filter(kind=EventKind.SIGN_IN_FAILED, user=user).count() >= 5


def test_the_admins_password_change_is_the_accounts_own(client, staff_with_totp):
    """Its own form would skip the security log and leave the API tokens working."""
    user, _ = staff_with_totp
    client.force_login(user)
    page = client.get("/admin/password_change/")
    assert page.status_code == 302 and page["Location"] == "/accounts/password/change/"
    new = "a brand new passphrase 42"
    client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
