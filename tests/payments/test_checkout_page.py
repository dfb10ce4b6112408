"""The test server's checkout page, as a newcomer meets it in a browser: marked as test
payments, accessible, fits a phone, and paying it leads back to our site."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.payments.helpers import start

pytestmark = pytest.mark.django_db


def test_the_checkout_page_pays_in_a_browser(chromium: Browser, payments_server, alice):
    checkout = start(alice, amount=4_999)
    context = chromium.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(checkout.url)
    assert "TEST PAYMENTS - no real money" in page.inner_text(".banner")
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in {"serious", "critical"}] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Try a declined card").click()
    assert "declined" in page.get_by_role("alert").inner_text()
    with page.expect_request(lambda r: r.url.startswith("https://masterbus.test/paid")):
        page.get_by_role("button", name="Pay 49.99 EUR").click()
    context.close()
    assert len(payments_server.deliveries("checkout.session.completed")) == 1
