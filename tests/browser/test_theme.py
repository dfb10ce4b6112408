"""The theme in a real browser (P27, P28, P31): with functional cookies allowed the dark theme
stays on every new page and after a reload; after "Reject all" the choice is kept nowhere in the
browser, and the page says why."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from masterbus.privacy.cookies import Category, storage_items

pytestmark = pytest.mark.django_db(transaction=True)
NOT_ESSENTIAL = {i.name for i in storage_items() if i.category is not Category.ESSENTIAL}


def is_dark(page: Page) -> bool:
    """The page really is dark: the attribute, and the colour the stylesheet gives the body."""
    colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
    red = int(colour.split("(")[1].split(",")[0])
    return page.get_attribute("html", "data-theme") == "dark" and red < 60


def watch_csp(page: Page) -> list[str]:
    """Console reports of Content-Security-Policy violations (the theme needs no script)."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else 0)
    return seen


def choose_dark(page: Page) -> None:
    page.goto("/settings/appearance/")
    page.check("input[name=theme][value=dark]")
    page.click("#theme-form button[type=submit]")
    page.wait_for_url("**/settings/appearance/")


def test_with_functional_consent_the_dark_theme_stays(chromium: Browser, live_server) -> None:
    context = chromium.new_context(base_url=live_server.url, color_scheme="light")
    page = context.new_page()
    csp = watch_csp(page)
    page.goto("/privacy/consent/")
    page.check("#consent-form input[value=functional]")
    page.click("#consent-form button[value=save]")
    page.wait_for_url("**/privacy/consent/")
    assert not is_dark(page)
    choose_dark(page)
    assert is_dark(page)
    page.reload()
    assert is_dark(page)
    page.goto("/songs/")
    assert is_dark(page)
    second_tab = context.new_page()  # a new page of the same browser
    second_tab.goto(live_server.url + "/privacy/")
    assert is_dark(second_tab)
    assert "mb_theme" in {c["name"] for c in context.cookies()}
    assert not csp, csp
    context.close()


def test_after_reject_all_the_choice_is_kept_nowhere(chromium: Browser, live_server) -> None:
    context = chromium.new_context(base_url=live_server.url, color_scheme="light")
    page = context.new_page()
    page.goto("/")
    page.click("#consent-reject")
    page.wait_for_url(live_server.url + "/")
    choose_dark(page)
    expect(page.locator(".messages")).to_contain_text("functional cookies are not allowed")
    expect(page.locator("#theme-not-kept")).to_be_visible()
    page.reload()
    assert not is_dark(page)
    assert page.get_attribute("html", "data-theme") == "system"
    kept = {c["name"] for c in context.cookies()} & NOT_ESSENTIAL
    for where in ("localStorage", "sessionStorage"):
        kept |= set(page.evaluate("w => Object.keys(window[w])", where)) & NOT_ESSENTIAL
    assert kept == set()
    assert "dark" not in str(
        page.evaluate("[localStorage, sessionStorage].map(s => JSON.stringify(s))")
    )
    context.close()


def test_the_system_theme_follows_the_device(chromium: Browser, live_server) -> None:
    for scheme, dark in (("dark", True), ("light", False)):
        context = chromium.new_context(base_url=live_server.url, color_scheme=scheme)
        page = context.new_page()
        page.goto("/")
        assert page.get_attribute("html", "data-theme") == "system"
        colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (int(colour.split("(")[1].split(",")[0]) < 60) is dark, (scheme, colour)
        context.close()
