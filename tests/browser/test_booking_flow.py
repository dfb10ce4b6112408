"""A client in New York books a Berlin room in a real browser: the slot picker shows the times in
the browser's zone (reported by studios/zone.js), the price and the policy come before booking,
the client signs the studio's terms by typing their name, the owner accepts, the client pays the
deposit on the hosted test checkout, the webhook confirms the booking, the client's calendar
feed has the booked instant, the reminder job's 24 h reminder arrives once in the notification
history, and after the session both sides review each other."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from icalendar import Calendar
from playwright.sync_api import Browser, expect

from masterbus.studios.models import Booking, BookingStatus, Review
from masterbus.studios.services.bookings import booking_complete_due
from masterbus.studios.services.reminders import booking_remind_due
from masterbus.studios.services.studios import addon_create
from masterbus.studios.services.terms import terms_update
from tests.browser.fixtures import snap
from tests.studios.conftest import make_adult, make_room, make_studio, next_weekday
from tests.support.payments import start_payments_server
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
NEW_YORK = ZoneInfo("America/New_York")


def signed_in(chromium: Browser, url: str, user, **options):
    context = chromium.new_context(base_url=url, **options)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    return context


def test_a_client_in_new_york_books_pays_and_gets_the_calendar(
    chromium: Browser, live_server, settings
):
    server = start_payments_server(webhook_url=f"{live_server.url}/payments/webhook/")
    settings.STRIPE_API_BASE, settings.STRIPE_WEBHOOK_SECRET = server.url, server.secret
    settings.STRIPE_SECRET_KEY = "sk_test_booking"
    settings.PAYMENTS_CHECKOUT_ORIGIN = server.url  # the pay form's redirect (CSP form-action)
    owner = make_adult("owner@example.com")
    studio = make_studio(owner, deposit_percent=30)
    room = make_room(studio, hourly_rate=5000, minimum_hours=2)
    addon_create(studio=studio, name="House engineer", price=3000, unit="per_hour")
    terms_update(studio=studio, text="No food in the live room.\nOvertime is billed per hour.")
    client_user = make_adult("client@example.com")
    start = next_weekday(1, dt.time(14))  # next Tuesday 14:00 in Berlin
    local = start.astimezone(NEW_YORK)
    errors: list[str] = []
    try:
        context = signed_in(
            chromium,
            live_server.url,
            client_user,
            timezone_id="America/New_York",
            viewport={"width": 375, "height": 800},
        )
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        snap(page, "booking/01-search", goto="/studios/")
        snap(page, "booking/02-studio", goto=f"/studios/{studio.pk}/")
        page.goto(f"/studios/rooms/{room.pk}/?from={start.date().isoformat()}")
        expect(page.locator("#zone-note")).to_contain_text("Times in America/New_York")
        slot = page.locator(f'input[name=start][value="{start.astimezone(dt.UTC).isoformat()}"]')
        expect(slot.locator("xpath=..")).to_contain_text(f"{local:%H:%M} 14:00 at the studio")
        snap(page, "booking/03-room-slot-picker")
        slot.check()
        page.select_option("#hours", "3")
        page.get_by_role("button", name="See the price").click()
        expect(page.locator("#when")).to_contain_text(f"{local:%H:%M}")
        expect(page.locator("#price-total")).to_have_text("€150.00")
        expect(page.locator("#policy")).to_contain_text("If the studio cancels")
        snap(page, "booking/04-price-and-policy")
        violations = Axe().run(page).response["violations"]  # the price page needs a slot
        assert not [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        page.get_by_label("House engineer").check()
        expect(page.locator("#terms")).to_contain_text("No food in the live room.")
        page.get_by_label("Your full name").fill("Ada Lovelace")
        page.get_by_role("button", name="Ask to book").click()
        expect(page.locator("#status")).to_have_text("Requested")
        expect(page.locator("#agreement")).to_contain_text("Signed by Ada Lovelace")
        booking = Booking.objects.get()
        assert (booking.starts_at, booking.total, booking.deposit) == (start, 24000, 7200)
        assert booking.agreement.text == studio.terms and booking.agreement.terms_version == 2

        studio_side = signed_in(chromium, live_server.url, owner).new_page()
        studio_side.goto("/studios/dashboard/")
        snap(studio_side, "booking/05-owner-dashboard")
        studio_side.locator("#requests").get_by_role("button", name="Accept").click()
        expect(studio_side.locator(".messages")).to_contain_text("Accepted")

        page.reload()
        page.get_by_role("button", name="Pay €72.00").click()
        expect(page.locator("body")).to_contain_text("TEST PAYMENTS")
        page.fill("#card", "4242 4242 4242 4242")
        page.locator("button[value=pay]").click()
        wait_until(
            lambda: Booking.objects.get().status == BookingStatus.CONFIRMED, 20, what="the webhook"
        )
        page.goto(f"/studios/bookings/{booking.pk}/")
        expect(page.locator("#status")).to_have_text("Confirmed")
        expect(page.locator("#zone-note")).to_contain_text("14:00 – 17:00 there")
        snap(page, "booking/06-booking-confirmed")

        page.goto("/studios/bookings/")
        feed = requests.get(page.locator("#feed-url").inner_text(), timeout=10)
        (event,) = Calendar.from_ical(feed.content).walk("VEVENT")
        assert event.decoded("dtstart") == start and event.decoded("dtend") == start + dt.timedelta(
            hours=3
        )

        # The periodic reminder job a day before: one 24 h reminder each, sent once.
        assert booking_remind_due(now=start - dt.timedelta(hours=23)) == 2
        assert booking_remind_due(now=start - dt.timedelta(hours=22)) == 0
        page.goto("/notifications/")
        expect(page.locator("main")).to_contain_text("Your studio session is coming up")
        snap(page, "booking/07-reminder-in-notifications")

        # After the session (the periodic job completes it) both sides review each other once.
        assert booking_complete_due(now=start + dt.timedelta(hours=4)) == 1
        page.goto(f"/studios/bookings/{booking.pk}/")
        page.get_by_label("Rating").select_option("5")
        page.get_by_label("Review").fill("Great room, great engineer.")
        page.get_by_role("button", name="Send the review").click()
        expect(page.locator("#reviews")).to_contain_text("Great room, great engineer.")
        expect(page.locator("#review-form")).to_have_count(0)  # once
        studio_side.goto(f"/studios/bookings/{booking.pk}/")
        studio_side.get_by_label("Rating").select_option("4")
        studio_side.get_by_role("button", name="Send the review").click()
        expect(studio_side.locator("#reviews")).to_contain_text("the studio on the client")
        snap(page, "booking/08-studio-page-review", goto=f"/studios/{studio.pk}/")
        assert set(Review.objects.values_list("side", "rating")) == {("client", 5), ("studio", 4)}
        assert not [e for e in errors if "Content Security" in e], errors
        context.close()
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
