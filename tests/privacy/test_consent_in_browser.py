"""A real browser (Debian chromium) proves P28/P29: after "Reject all" a guest browses, uploads
and asks for a master, and no functional or analytics cookie or storage key is ever kept;
"Accept all" does keep the upload history, so the check can fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from masterbus.privacy.cookies import Category, storage_items

pytestmark = pytest.mark.django_db(transaction=True)

ESSENTIAL = [i for i in storage_items() if i.category is Category.ESSENTIAL]
STORAGE_KEYS = "w => Object.keys(window[w])"


def essential(name: str, where: str) -> bool:
    return any(
        i.where == where and (name == i.name or (i.prefix and name.startswith(i.name)))
        for i in ESSENTIAL
    )


def non_essential_storage(page: Page) -> list[str]:
    """Cookies and storage keys of this site that are not registered as essential."""
    found = [
        f"cookie {c['name']}" for c in page.context.cookies() if not essential(c["name"], "cookie")
    ]
    for where in ("localStorage", "sessionStorage"):
        found += [
            f"{where} {k}" for k in page.evaluate(STORAGE_KEYS, where) if not essential(k, where)
        ]
    return found


def upload_holding_the_first_chunk(page: Page, song: Path) -> list[str]:
    """Upload through the home page; returns the non-essential storage seen mid-upload."""
    held: list[Route] = []

    def hold_first_patch(route: Route) -> None:
        if route.request.method == "PATCH" and not held:
            held.append(route)
            return
        route.continue_()

    page.route("**/uploads/**", hold_first_patch)
    page.set_input_files("#song-file", str(song))
    for _ in range(400):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the upload never sent its bytes"
    mid_upload = non_essential_storage(page)  # the upload record is written before the bytes
    held[0].continue_()
    expect(page.locator("#upload-message")).to_contain_text("is uploaded", timeout=30_000)
    page.unroute("**/uploads/**")
    return mid_upload


def test_reject_all_leaves_no_functional_storage_while_a_guest_uploads(
    chromium: Browser, live_server, song_path: Path
) -> None:
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/")
    expect(page.locator("#consent-banner")).to_be_visible()
    assert non_essential_storage(page) == []  # nothing before a choice
    page.click("#consent-reject")
    page.wait_for_url(live_server.url + "/")
    expect(page.locator("#consent-banner")).to_have_count(0)
    assert page.get_attribute("html", "data-consent-functional") == "denied"

    assert upload_holding_the_first_chunk(page, song_path) == []
    page.click("#master-button")
    page.wait_for_url("**/songs/*/?v=1")
    for path in ("/songs/", "/privacy/cookies/", "/"):
        page.goto(path)
    names = {c["name"] for c in context.cookies()}
    assert {"mb_guest", "mb_consent"} <= names  # the site works on essential cookies alone
    assert non_essential_storage(page) == []
    assert not errors, errors
    context.close()


def test_accept_all_keeps_the_upload_history_until_consent_is_withdrawn(
    chromium: Browser, live_server, song_path: Path
) -> None:
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/")
    page.click("#consent-accept")
    page.wait_for_url(live_server.url + "/")
    assert page.get_attribute("html", "data-consent-functional") == "granted"
    mid_upload = upload_holding_the_first_chunk(page, song_path)
    assert [k for k in mid_upload if k.startswith("localStorage tus::")], mid_upload

    # A record left by an interrupted upload goes once the visitor withdraws consent.
    page.evaluate("localStorage.setItem('tus::left-over::1', '{}')")
    page.goto("/privacy/consent/")
    page.click("#consent-form button[value=none]")
    page.wait_for_url("**/privacy/consent/")
    assert page.evaluate(STORAGE_KEYS, "localStorage") == []
    context.close()
