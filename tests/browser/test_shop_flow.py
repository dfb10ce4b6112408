"""Buying a plugin in a real browser on the local Stripe-compatible test checkout: the webhook
issues the licence, the key activates two machines through the API, one is deactivated on the
licence page, and the self-service refund revokes the licence (the API then says so)."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Browser, expect

from masterbus.shop.models import Licence, LicenceStatus
from tests.browser.fixtures import snap
from tests.browser.test_order_flow import signed_in
from tests.platform.fixtures import make_user
from tests.shop.world import approved_seller, product_with_version
from tests.support.payments import start_payments_server
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_buy_activate_two_machines_deactivate_one_refund(chromium: Browser, live_server, settings):
    server = start_payments_server(webhook_url=f"{live_server.url}/payments/webhook/")
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_WEBHOOK_SECRET = server.secret
    settings.STRIPE_SECRET_KEY = "sk_test_shop"
    settings.PAYMENTS_CHECKOUT_ORIGIN = server.url
    product = product_with_version(approved_seller("sam@example.com", "Sam Plugins"))
    buyer = make_user("bea@example.com")
    api = f"{live_server.url}/api/v1/shop"
    try:
        page = signed_in(chromium, live_server.url, buyer)
        page.goto("/shop/")
        snap(page, "shop/01-products")
        page.get_by_role("link", name="Tape Glue").click()
        snap(page, "shop/02-product")
        page.get_by_role("button", name="Buy for €49.00").click()
        expect(page.locator("body")).to_contain_text("TEST PAYMENTS")
        page.fill("#card", "4242 4242 4242 4242")
        page.locator("button[value=pay]").click()
        wait_until(
            lambda: Licence.objects.filter(status=LicenceStatus.ACTIVE).exists(), 30, what="webhook"
        )
        licence = Licence.objects.get(user=buyer, product=product)
        page.goto("/shop/licences/")
        page.get_by_role("link", name="Tape Glue").click()
        key = page.locator("#licence-key").input_value()
        assert key == licence.key
        page.errors.clear()  # what the test checkout page (another origin) logged

        for machine, label in (("a1" * 16, "Studio Mac"), ("b2" * 16, "Laptop")):
            answer = requests.post(
                f"{api}/activations",
                json={"key": key, "machine": machine, "label": label},
                timeout=10,
            )
            assert answer.status_code == 201, answer.text
        page.reload()
        expect(page.get_by_role("heading", name="Machines (2 of 3)")).to_be_visible()
        snap(page, "shop/03-licence-two-machines")
        page.get_by_role("button", name="Deactivate Laptop b2b2b2b2b2b2").click()
        expect(page.locator(".messages")).to_contain_text("The machine is deactivated")
        expect(page.get_by_role("heading", name="Machines (1 of 3)")).to_be_visible()
        assert page.get_by_text("Laptop").count() == 0

        page.get_by_role("button", name="Refund and revoke").click()
        expect(page.locator("#licence-status")).to_have_text("Revoked")
        snap(page, "shop/04-refunded-revoked")
        verify = requests.post(f"{api}/verify", json={"key": key}, timeout=10).json()
        assert verify["status"] == "revoked" and not verify["valid"]
        again = requests.post(
            f"{api}/activations", json={"key": key, "machine": "c3" * 16}, timeout=10
        )
        assert again.status_code == 403
        assert not page.errors
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
