"""An engineer order in a real browser, paid on the local Stripe-compatible test checkout: the
client orders with two stems and notes, pays; the engineer accepts and delivers v1 (previews made
by a real worker); the client pins two notes on the waveform and asks a revision; the engineer
delivers v2; the client approves; the engineer's earnings show the share."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from masterbus.orders.models import Order, OrderStatus
from tests.browser.fixtures import snap
from tests.platform.fixtures import make_user, start_worker
from tests.support.music import music_file
from tests.support.orders import approved_engineer
from tests.support.payments import start_payments_server
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def signed_in(chromium: Browser, url: str, user) -> Page:
    context = chromium.new_context(base_url=url)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    page = context.new_page()
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.errors = []
    return page


def deliver(page: Page, order: Order, path: Path) -> None:
    page.goto(f"/orders/{order.pk}/")
    page.set_input_files("#album-files", [str(path)])
    expect(page.locator("#album-tracks li")).to_contain_text("uploaded", timeout=60_000)
    page.click("#master-button")
    expect(page.locator(".messages")).to_contain_text("The version is delivered")


def preview_ready(page: Page, order: Order, number: int) -> None:
    def ready() -> bool:
        page.goto(f"/orders/{order.pk}/?v={number}")
        return page.locator("#ab-player").count() == 1

    wait_until(ready, 120, what=f"the preview of v{number}")


def test_order_pay_deliver_revise_approve(chromium: Browser, live_server, settings, tmp_path: Path):
    server = start_payments_server(webhook_url=f"{live_server.url}/payments/webhook/")
    stripe_env = {
        "STRIPE_API_BASE": server.url,
        "STRIPE_WEBHOOK_SECRET": server.secret,
        "STRIPE_SECRET_KEY": "sk_test_orders",
    }
    for name, value in stripe_env.items():
        setattr(settings, name, value)
    settings.PAYMENTS_CHECKOUT_ORIGIN = server.url
    worker = start_worker(**stripe_env)
    stems = [
        music_file(tmp_path, seconds=4.0, lufs=-22.0, seed=seed, name=name)
        for seed, name in ((51, "drums"), (52, "vocals"))
    ]
    versions = [music_file(tmp_path, seconds=4.0, lufs=-14.0, seed=s, name=f"v{s}") for s in (1, 2)]
    engineer, _package = approved_engineer("erin@example.com", "Erin Audio")
    client_user = make_user("carl@example.com")
    try:
        client = signed_in(chromium, live_server.url, client_user)
        client.goto("/engineers/")
        snap(client, "orders/01-engineers")
        client.get_by_role("link", name="Erin Audio").click()
        snap(client, "orders/02-engineer-profile")
        client.get_by_role("link", name="Order Mix and master").click()
        expect(client.locator(".quote")).to_contain_text("€100.00")
        expect(client.locator(".quote")).to_contain_text("€80.00 goes to the engineer")
        client.set_input_files("#album-files", [str(p) for p in stems])
        items = client.locator("#album-tracks li")
        expect(items).to_have_count(2)
        for index in range(2):
            expect(items.nth(index)).to_contain_text("uploaded", timeout=60_000)
        client.fill("#id_notes", "Vocals up front; keep the drums punchy.")
        snap(client, "orders/03-order-form")
        client.click("#master-button")
        expect(client.locator("#order-status")).to_have_text("Awaiting payment")
        order = Order.objects.get()
        assert order.files.count() == 2 and "punchy" in order.notes

        client.get_by_role("button", name="Pay €100.00").click()
        expect(client.locator("body")).to_contain_text("TEST PAYMENTS")
        client.fill("#card", "4242 4242 4242 4242")
        snap(client, "orders/04-test-checkout")
        client.locator("button[value=pay]").click()
        wait_until(lambda: Order.objects.get().status == OrderStatus.PAID, 30, what="the webhook")

        studio = signed_in(chromium, live_server.url, engineer)
        studio.goto("/studio/")
        snap(studio, "orders/05-engineer-queue")
        studio.locator("table.queue").get_by_role("link", name=order.title).click()
        studio.locator("#accept-button").click()
        expect(studio.locator("#order-status")).to_have_text("Accepted")
        deliver(studio, order, versions[0])

        preview_ready(client, order, 1)
        markers = client.locator("#note-wave line.note-marker")
        for at, text in (("0.8", "0:00 vocal too loud"), ("2.5", "more air on the hats")):
            client.fill("#note-at", at)
            client.fill("#note-text", text)
            client.click("#note-add")
            expect(client.locator(".messages")).to_contain_text("The note is pinned")
        expect(markers).to_have_count(2)
        expect(client.locator(".revision-notes li")).to_have_count(2)
        snap(client, "orders/06-delivered-with-notes", height=4000)  # down to the messages
        client.click("#revision-button")
        expect(client.locator("#order-status")).to_have_text("Revision requested")

        studio.reload()
        expect(studio.locator(".revision-notes")).to_contain_text("vocal too loud")
        deliver(studio, order, versions[1])

        preview_ready(client, order, 2)
        expect(client.locator(".ab-switch")).to_contain_text("Version 1")  # v2 against v1
        client.click("#approve-button")
        expect(client.locator("#order-status")).to_have_text("Completed")
        expect(client.locator("a.download")).to_have_count(1)
        snap(client, "orders/07-approved-downloads")

        studio.goto("/settings/earnings/")
        expect(studio.locator("body")).to_contain_text("€80.00")
        snap(studio, "orders/08-earnings")
        assert not [e for e in client.errors + studio.errors if "Content Security" in e]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.httpd.shutdown()
        server.httpd.server_close()
