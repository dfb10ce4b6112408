"""P26 in a real browser: a user opens a support ticket, support answers on the staff page, and
the user sees the count in the header, the notification in the history, and the answer."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from playwright.sync_api import Browser, Page, expect

from masterbus.rights.roles import SUPPORT
from tests.platform.fixtures import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PASSWORD = "correct horse battery staple"


def _sign_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/songs/")


def _user(email: str, *, support: bool = False):
    user = make_user(email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if support:
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name=SUPPORT))
    return user


def test_a_ticket_answered_by_support_shows_up_as_a_notification(chromium: Browser, live_server):
    _user("fran@example.com")
    _user("sam@example.com", support=True)
    csp: list[str] = []

    fran = chromium.new_context(base_url=live_server.url).new_page()
    fran.on("console", lambda m: csp.append(m.text) if "Content Security" in m.text else None)
    _sign_in(fran, "fran@example.com")
    fran.goto("/support/")
    fran.get_by_label("Subject").fill("My master is too quiet")
    fran.get_by_label("Your question").fill("I chose -14 LUFS; it sounds quieter than others.")
    fran.get_by_role("button", name="Send to support").click()
    expect(fran.locator("h1")).to_have_text("My master is too quiet")
    expect(fran.locator(".thread")).to_contain_text("it sounds quieter than others")

    sam = chromium.new_context(base_url=live_server.url).new_page()
    _sign_in(sam, "sam@example.com")
    sam.goto("/staff/support/")
    sam.get_by_role("link", name="My master is too quiet").click()
    sam.get_by_label("Your answer").fill("Streaming services play everything at -14: it is fine.")
    sam.get_by_role("button", name="Send answer").click()
    expect(sam.locator("ul.messages")).to_contain_text("Answer sent.")

    fran.goto("/songs/")
    expect(fran.locator("#unread-badge")).to_contain_text("1")
    fran.locator("#notifications-link").click()
    expect(fran.locator("#notifications")).to_contain_text(
        "Support answered: My master is too quiet"
    )
    fran.locator("#notifications li").first.get_by_role("button", name="Open").click()
    expect(fran.locator(".thread")).to_contain_text("Streaming services play everything at -14")
    expect(fran.locator(".thread")).to_contain_text("Masterbus support")
    expect(fran.locator("#unread-badge")).to_have_count(0)

    # fran answers back through the thread's form; the history of sam shows it
    fran.get_by_label("Your message").fill("Thanks, that helps.")
    fran.get_by_role("button", name="Send").click()
    expect(fran.locator("ul.messages")).to_contain_text("Message sent.")
    expect(fran.locator(".thread")).to_contain_text("Thanks, that helps.")
    sam.goto("/notifications/")
    expect(sam.locator("#notifications")).to_contain_text("New message from Masterbus member")
    assert not csp, csp
