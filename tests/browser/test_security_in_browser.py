"""P4 and P21 in a real browser: two browsers signed in to one account, one signs the other out
from the security page, and the other finds itself signed out on reload; and the pages run under
the Content-Security-Policy without a single violation."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.platform.fixtures import make_user

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "alice@example.com"
PASSWORD = "correct horse battery staple"
PAGES = [
    "/", "/songs/", "/settings/", "/settings/security/", "/settings/api-tokens/",
    "/privacy/", "/privacy/cookies/", "/privacy/consent/", "/privacy/promises/",
    "/api/v1/docs",
]  # fmt: skip


def sign_in(context: BrowserContext) -> Page:
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/songs/")
    return page


def csp_violations(page: Page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return found


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
    violations = csp_violations(laptop_page)

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
    assert violations == [], "\n".join(violations)
    laptop.close()
    phone.close()


def test_the_pages_work_under_the_content_security_policy(chromium: Browser, platform_url: str):
    user = make_user(EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    context = chromium.new_context(base_url=platform_url)
    page = sign_in(context)
    violations = csp_violations(page)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for path in PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    expect(page.locator("#swagger-ui")).to_contain_text("Masterbus API")  # its scripts ran
    assert violations == [] and errors == []
    context.close()
