"""Every page passes axe-core and fits a phone, for a guest and for a signed-in user.

The pages are not listed by hand: every URL pattern of the project is filled with the owner's real
objects by the URL authorization walk (tests/platform/test_url_authorization.py: its `world`,
`routes` and `classify`), asked for with GET as the guest and as the signed-in owner, and every
answer that is an HTML page (200, text/html) is opened in chromium at 375 x 800. There axe-core
(axe_playwright_python's axe.min.js; injected, so the context bypasses the CSP) must find no
serious or critical violation, and the document must be no wider than the viewport. A new page
is therefore checked the day it exists; only the namespaces in NOT_OURS are left out, with why.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import resolve
from playwright.sync_api import Browser, BrowserContext

from tests.platform import test_url_authorization as walk
from tests.platform.test_url_authorization import Party, World, classify, routes

world = walk.world  # the fixture: alice and a guest, each with a mastered song, album, upload
pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 800}
BLOCKING = {"serious", "critical"}
# Pages drawn by other projects, which our stylesheet and templates do not make.
NOT_OURS = {
    "admin": "Django's admin: staff only, its own templates and stylesheet",
    "api": "the JSON API; its docs page is the vendored Swagger UI",
}
# Pages every run must reach, so a broken fixture cannot pass by checking nothing.
MUST_CHECK = {
    ("guest", "mastering:home"),
    ("guest", "mastering:song"),
    ("guest", "mastering:album"),
    ("guest", "mastering:library"),
    ("guest", "privacy:promises"),
    ("guest", "account_login"),
    ("alice", "mastering:song"),
    ("alice", "mastering:library"),
    ("guest", "profiles:appearance"),
    ("alice", "profiles:profile"),
    ("alice", "profiles:appearance"),
    ("alice", "mastering:preferences"),
    ("alice", "rights:account_delete"),
    ("alice", "account_email"),
    ("alice", "security:security"),
    ("alice", "api-pages:tokens"),
    ("alice", "rights:data"),
    ("alice", "payments:payments"),
    ("alice", "payments:earnings"),
    ("alice", "mfa_index"),
    ("guest", "messaging:support"),
    ("alice", "messaging:support"),
    ("alice", "messaging:ticket"),
    ("alice", "messaging:notifications"),
    ("alice", "messaging:preferences"),
    ("alice", "messaging:inbox"),
    ("guest", "studios:search"),
    ("alice", "studios:room"),
    ("alice", "studios:bookings"),
    ("alice", "studios:booking"),
    ("alice", "studios:dashboard"),
    ("alice", "studios:apply"),
    ("alice", "studios:manage"),
    ("guest", "orders:engineers"),
    ("alice", "orders:engineer"),
    ("alice", "orders:order"),
    ("alice", "orders:orders"),
    ("alice", "orders:studio"),
    ("alice", "orders:apply"),
    ("guest", "shop:products"),
    ("alice", "shop:product"),
    ("alice", "shop:licences"),
    ("alice", "shop:licence"),
    ("alice", "shop:seller"),
    ("alice", "shop:version_new"),
    ("guest", "community:feed"),
    ("guest", "community:search"),
    ("alice", "community:following"),
    ("alice", "community:post"),
    ("alice", "community:member"),
    ("alice", "assistant:index"),
    ("alice", "assistant:feedback"),
    ("alice", "assistant:mix"),
    ("alice", "assistant:booking_prep"),
    ("alice", "assistant:order_checklist"),
    ("guest", "assistant:help"),
    ("alice", "assistant:prices_package"),
    ("alice", "assistant:prices_room"),
    ("alice", "assistant:reviews_studio"),
    ("alice", "assistant:reviews_engineer"),
    ("alice", "assistant:support"),
}


@dataclass(frozen=True)
class Page:
    party: str
    path: str
    view_name: str


def html_pages(party: Party) -> tuple[list[Page], dict[str, str]]:
    """The party's GET answers that are HTML pages; what the other patterns answered, by name."""
    client = Client(raise_request_exception=False)
    pages, other = [], {}
    for route in routes(party):
        match = resolve(route.path.split("?")[0])
        ours = match.namespace.split(":")[0] not in NOT_OURS
        if not ours or classify(match.func, match.view_name) is None:
            continue
        with transaction.atomic():  # a GET may still write (a session): leave the world as it was
            client.cookies.clear()
            if party.user is not None:
                client.force_login(party.user)
            if party.guest_key:
                client.cookies[settings.GUEST_COOKIE_NAME] = party.guest_key
            response = client.get(route.path)
            transaction.set_rollback(True)
        kind = response.get("Content-Type", "")
        body = b"" if response.streaming else response.content
        whole = b"<html" in body[:500].lower()  # not an htmx fragment
        if response.status_code == 200 and kind.startswith("text/html") and whole:
            pages.append(Page(party.name, route.path, match.view_name))
        else:
            other[match.view_name] = f"{response.status_code} {kind}".strip()
    return pages, other


def browser_for(chromium: Browser, url: str, party: Party, **options) -> BrowserContext:
    context = chromium.new_context(base_url=url, viewport=PHONE, bypass_csp=True, **options)
    cookies = []
    if party.user is not None:
        client = Client()
        client.force_login(party.user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url})
    if party.guest_key:
        cookies.append({"name": settings.GUEST_COOKIE_NAME, "value": party.guest_key, "url": url})
    context.add_cookies(cookies)
    return context


def check(context: BrowserContext, pages: list[Page], axe: Axe) -> tuple[list[str], list[str]]:
    """Problems found on the pages (axe's serious and critical rules, page width), and every
    violation axe reported, of any impact."""
    problems, reported = [], []
    page = context.new_page()
    for item in pages:
        response = page.goto(item.path)
        assert response is not None and response.status == 200, item
        found = axe.run(page).response["violations"]
        reported += [f"{v['impact']} {v['id']} {item.path}" for v in found]
        for violation in found:
            if violation["impact"] in BLOCKING:
                targets = [", ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
                problems.append(
                    f"{item.party} {item.path} [{item.view_name}]: {violation['impact']} "
                    f"{violation['id']} ({violation['help']}) at {targets}"
                )
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = page.evaluate(
                """w => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > w)
                    .slice(-3).map(e => e.tagName + '.' + e.className + '#' + e.id)""",
                PHONE["width"],
            )
            problems.append(f"{item.party} {item.path}: {width} px wide at 375 px ({wide})")
    page.close()
    return problems, reported


def test_every_page_passes_axe_and_fits_a_phone(chromium: Browser, live_server, world: World):
    axe = Axe()
    checked, problems, reported = [], [], []
    for party in (world.guest, world.alice):
        pages, _other = html_pages(party)
        # the light and the dark theme are the same markup: the device's scheme picks the colours
        scheme = "dark" if party is world.alice else "light"
        context = browser_for(chromium, live_server.url, party, color_scheme=scheme)
        found, count = check(context, pages, axe)
        context.close()
        problems += found
        reported += count
        checked += pages
    print(f"\naxe: {len(checked)} pages checked, {len(reported)} violations of any impact:")
    print("\n".join(reported))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    missing = MUST_CHECK - {(p.party, p.view_name) for p in checked}
    assert not missing, f"pages that should have been checked were not: {sorted(missing)}"


def test_the_keyboard_reaches_the_content_first_and_sees_where_it_is(
    chromium: Browser, live_server, world: World
):
    context = browser_for(chromium, live_server.url, world.alice)
    page = context.new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), outline
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    # the segmented target: arrow keys move the choice, "Custom" shows its field
    custom = page.locator(".custom-lufs")
    assert not custom.is_visible()
    page.focus("input[name=target]:checked")
    for _ in range(len(page.locator("input[name=target]").all()) - 1):
        page.keyboard.press("ArrowRight")
    assert page.eval_on_selector("input[name=target]:checked", "e => e.value") == "custom"
    assert custom.is_visible()
    # the intensity slider shows its value as it moves
    page.focus("input[name=intensity]")
    page.keyboard.press("ArrowRight")
    assert page.locator("#intensity-value").inner_text() == "51"
    # the account menu opens from the keyboard (details: no script needed)
    page.focus(".account-menu summary")
    page.keyboard.press("Enter")
    assert page.locator(".account-menu").get_attribute("open") is not None
    assert page.get_by_role("link", name="Profile", exact=True).is_visible()
    context.close()
