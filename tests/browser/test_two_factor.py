"""P2 in a real browser: sign up, switch on the authenticator app with the secret shown on the
page, note the recovery codes shown once, sign out, and sign in again with the password and a
code the test computes (RFC 6238), then with a recovery code."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from playwright.sync_api import Browser, expect

from masterbus.privacy.cookies import storage_items
from tests.accounts.totp import totp

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

EMAIL = "tess@example.com"
PASSWORD = "a long and careful passphrase"


@pytest.fixture
def quick_forms(monkeypatch):
    """The server started next may take a form back after 1 s (the default 3 s is for people)."""
    monkeypatch.setenv("CAPTCHA_MIN_SECONDS", "1")


def submit(page) -> None:
    page.locator("main form button[type=submit]").first.click()


def sign_out_and_in(page, platform_url: str) -> None:
    """Sign out, then give the password: the page asks for the second factor."""
    page.locator("header form button", has_text="Sign out").click()
    page.wait_for_url(platform_url + "/")
    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    page.wait_for_url("**/accounts/2fa/authenticate/")


def test_enrol_totp_then_sign_in_with_a_computed_code(
    chromium: Browser, quick_forms, platform_url: str
):
    context = chromium.new_context(base_url=platform_url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto("/accounts/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=date_of_birth]", "1994-08-21")
    page.wait_for_timeout(1100)  # a person takes longer than this
    submit(page)
    page.wait_for_url("**/accounts/confirm-email/")
    # The confirmation email goes to the server's in-memory outbox; confirming is tested in
    # tests/accounts; here the address is marked confirmed directly.
    EmailAddress.objects.filter(email=EMAIL).update(verified=True)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    page.wait_for_url("**/songs/")

    page.goto("/accounts/2fa/totp/activate/")
    page.wait_for_url("**/accounts/reauthenticate/**")  # a security change asks again
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) == 32
    expect(page.locator("main img")).to_be_visible()  # the QR code (a data: URL)
    page.fill("input[name=code]", totp(secret))
    submit(page)
    page.wait_for_url("**/accounts/2fa/recovery-codes/")  # shown once, right after
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    assert {a.type for a in Authenticator.objects.filter(user__email=EMAIL)} == {
        "totp",
        "recovery_codes",
    }

    sign_out_and_in(page, platform_url)
    page.fill("input[name=code]", totp(secret))
    submit(page)
    page.wait_for_url("**/songs/")
    expect(page.locator("header")).to_contain_text("Sign out")

    sign_out_and_in(page, platform_url)
    page.fill("input[name=code]", codes[3])
    submit(page)
    page.wait_for_url("**/songs/")
    expect(page.locator("header")).to_contain_text("Sign out")
    sign_out_and_in(page, platform_url)
    page.fill("input[name=code]", codes[3])  # used: it does not sign in twice
    submit(page)
    expect(page.locator("main")).to_contain_text("Incorrect code")

    registered = {item.name for item in storage_items() if item.where == "cookie"}
    assert {cookie["name"] for cookie in context.cookies()} <= registered
    assert not errors, errors
    context.close()
