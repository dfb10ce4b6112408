"""The support chat in a real browser: a user asks where their order is and gets its status with
the sources it was based on; an unknown question is marked unsure and one click hands the
conversation over to a support ticket for that user. The fair-price and review-summary pages
are photographed on the way (MASTERBUS_SCREENSHOTS)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, expect

from masterbus.messaging.models import SupportTicket
from masterbus.studios.models import Review
from tests.assistant.market import engineer_with, order_between, studio_reviewed, studio_with
from tests.assistant.test_reviews import REVIEWS
from tests.browser.fixtures import snap
from tests.platform.fixtures import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def signed_in(chromium: Browser, url: str, user):
    context = chromium.new_context(base_url=url)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    return context


def test_ask_get_sources_and_hand_over_to_a_ticket(chromium: Browser, live_server):
    user = make_user("sam@example.com")
    other = make_user("olga@example.com")
    engineer = make_user("erin@example.com")
    mine = order_between(user, engineer, "Summer single master", status="delivered")
    order_between(other, engineer, "Olga private album")

    page = signed_in(chromium, live_server.url, user).new_page()
    page.goto("/assistant/support/")
    page.get_by_label("Your question").fill("Where is my order?")
    page.get_by_role("button", name="Ask", exact=True).click()
    latest = page.locator("#latest")
    expect(latest).to_contain_text("Summer single master")
    expect(latest).to_contain_text("Delivered")
    expect(page.locator("#turns")).not_to_contain_text("Olga private album")
    sources = latest.locator("details.sources")
    expect(sources).to_contain_text("Based on")
    expect(
        sources.get_by_role("link", name="Where is my order? What does its status mean?")
    ).to_be_visible()
    expect(sources.locator(f'a[href="/orders/{mine.pk}/"]')).to_have_count(1)
    expect(page.locator("#unsure")).to_have_count(0)
    snap(page, "support-answer")

    page.get_by_label("Your question").fill("Can you fix my cat's headphones?")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.locator("#unsure")).to_be_visible()
    snap(page, "support-unsure")
    page.get_by_role("button", name="Ask a person").click()
    expect(page.locator("h1")).to_contain_text(
        "From the assistant: Can you fix my cat's headphones?"
    )
    expect(page.locator("body")).to_contain_text("Me: Can you fix my cat's headphones?")
    snap(page, "support-ticket")
    ticket = SupportTicket.objects.get()
    assert ticket.user == user
    assert "Olga private album" not in ticket.thread.messages.get().body


def test_fair_price_and_review_summary_pages(chromium: Browser, live_server):
    package = engineer_with("me@example.com", genres="techno", prices=(9900,))[0]
    for index, price in enumerate((11000, 3000, 20000, 5000, 9000, 7000)):
        engineer_with(f"techno{index}@example.com", genres="techno", prices=(price,))
    page = signed_in(chromium, live_server.url, package.engineer.user).new_page()
    page.goto("/studio/")
    page.get_by_role("link", name=f"A fair price for {package.name}").click()
    page.get_by_role("button", name="Suggest a fair price").click()
    expect(page.locator("#latest")).to_contain_text("€55.00 to €105.00")
    expect(page.locator("#latest")).to_contain_text("the median is €80.00")
    snap(page, "prices-package")

    studio = studio_with("owner@example.com", rates=(4000,))[0].studio
    studio_reviewed(studio, REVIEWS)
    page.goto(f"/studios/{studio.pk}/")
    page.get_by_role("link", name="Summary of the reviews").click()
    heading = page.get_by_role("heading", name="Communication", exact=True)
    theme = page.locator("article.theme").filter(has=heading)
    expect(theme).to_contain_text("“The engineer was rude.”")
    theme.get_by_role("link", name="“The engineer was rude.”").click()
    rude = Review.objects.get(text__contains="rude")
    expect(page).to_have_url(f"{live_server.url}/studios/{studio.pk}/#review-{rude.pk}")
    expect(page.locator("#reviews")).to_contain_text("The engineer was rude.")
    snap(page, "reviews-summary", goto=f"/assistant/reviews/studios/{studio.pk}/")
