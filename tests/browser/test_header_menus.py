"""The header in a real browser: Hire and Learn group the marketplace and learning pages, so the
bar is one row on a desktop; a menu opens by click or keyboard, and opening another, clicking
outside or pressing Escape closes it (core/menus.js), without any CSP report."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_header_menus_open_and_close_like_menus(chromium: Browser, live_server) -> None:
    desktop = {"width": 1280, "height": 800}
    context = chromium.new_context(base_url=live_server.url, viewport=desktop)
    page = context.new_page()
    reports: list[str] = []
    page.on("console", lambda m: reports.append(m.text) if "Content Security" in m.text else 0)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    hire, learn = nav.locator("details", has_text="Hire"), nav.locator("details", has_text="Learn")
    master = nav.get_by_role("link", name="Master", exact=True)
    shop = nav.get_by_role("link", name="Shop")
    assert abs(master.bounding_box()["y"] - shop.bounding_box()["y"]) < 2, "one row at 1280 px"

    engineers = nav.get_by_role("link", name="Engineers")
    expect(engineers).to_be_hidden()
    hire.locator("summary").click()
    expect(engineers).to_be_visible()
    expect(nav.get_by_role("link", name="Studios")).to_be_visible()

    learn.locator("summary").click()  # opening another closes the first
    expect(nav.get_by_role("link", name="Courses")).to_be_visible()
    expect(engineers).to_be_hidden()

    page.locator("main").click(position={"x": 5, "y": 5})  # outside
    expect(nav.get_by_role("link", name="Courses")).to_be_hidden()

    hire.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(engineers).to_be_visible()
    page.keyboard.press("Escape")
    expect(engineers).to_be_hidden()
    expect(hire.locator("summary")).to_be_focused()

    page.goto(hire.locator("a", has_text="Engineers").get_attribute("href"))
    expect(hire.locator("summary")).to_have_class("current")  # the group of the page shown
    assert not reports, reports
    context.close()
