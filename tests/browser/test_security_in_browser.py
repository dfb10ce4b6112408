"""P4 and P21 in a real browser: two browsers signed in to one account, one signs the other out
from the security page, and the other finds itself signed out on reload; and the pages run under
the Content-Security-Policy without a single violation."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Browser, BrowserContext, Page, expect

from masterbus.accounts.owner import Owner
from tests.platform.fixtures import make_user, master_song

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "alice@example.com"
PASSWORD = "correct horse battery staple"
SIGNED_IN_PAGES = [
    "/",
    "/songs/",
    "/settings/mastering/",
    "/settings/appearance/",
    "/settings/security/",
    "/settings/tokens/",
    "/settings/profile/",
    "/settings/data/",
    "/settings/data/delete",
    "/rights/request",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/privacy/",
    "/privacy/cookies/",
    "/privacy/consent/",
    "/privacy/promises/",
    "/api/v1/docs",
]
SIGNED_OUT_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


def sign_in(context: BrowserContext) -> Page:
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/songs/")
    return page


def watch(page: Page, problems: list[str]) -> None:
    """Collect the page's CSP violations (reported on the console) and script errors."""
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))


def test_one_browser_signs_the_other_out(chromium: Browser, platform_url: str):
    user = make_user(EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    laptop = chromium.new_context(base_url=platform_url)
    phone = chromium.new_context(
        base_url=platform_url,
        user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    )
    phone_page = sign_in(phone)
    laptop_page = sign_in(laptop)
    problems: list[str] = []
    watch(laptop_page, problems)

    laptop_page.goto("/settings/security/")
    rows = laptop_page.locator("table.sessions tbody tr")
    expect(rows).to_have_count(2)
    expect(laptop_page.locator("tr.current")).to_contain_text("(this session)")
    expect(laptop_page.locator("table.sessions")).to_contain_text("Chrome on Android")

    laptop_page.get_by_role("button", name="Sign out all other sessions").click()
    expect(laptop_page.locator(".messages")).to_contain_text("Signed out 1 other session.")
    expect(rows).to_have_count(1)
    expect(laptop_page.locator("table.events")).to_contain_text("Other sessions signed out")

    phone_page.reload()
    expect(phone_page.locator("header nav")).to_contain_text("Sign in")  # signed out
    phone_page.goto("/settings/security/")
    assert "/accounts/login/" in phone_page.url
    laptop_page.reload()
    expect(laptop_page.locator("header nav")).to_contain_text("Sign out")  # still signed in
    assert problems == [], "\n".join(problems)
    laptop.close()
    phone.close()


def visit(page: Page, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")


def test_the_pages_work_under_the_content_security_policy(
    chromium: Browser, platform_url: str, song_path
):
    user = make_user(EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    song = master_song(Owner(user=user, guest_key=None), song_path).song
    stranger = chromium.new_context(base_url=platform_url).new_page()
    page = sign_in(chromium.new_context(base_url=platform_url))
    problems: list[str] = []
    watch(page, problems)
    watch(stranger, problems)

    visit(stranger, SIGNED_OUT_PAGES)
    visit(page, SIGNED_IN_PAGES)
    expect(page.locator("#swagger-ui")).to_contain_text("Masterbus API")  # its scripts ran
    visit(page, [f"/songs/{song.pk}/"])  # the player, pictures and report
    page.click("#ab-play")
    page.wait_for_function("() => document.getElementById('audio-master').currentTime > 0.2")
    assert problems == [], "\n".join(problems)
