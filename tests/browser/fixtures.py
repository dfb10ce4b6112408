"""Browser fixtures: Debian's chromium through Playwright, and the whole platform on a port.

Registered for every test folder by tests/conftest.py (``pytest_plugins``).

Playwright's own browser download does not work here; the Makefile installs Debian's chromium.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.platform.fixtures import REPO, subprocess_env
from tests.support.waiting import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]

SHOT_VIEWPORT = {"width": 1280, "height": 800}
SHOT_MAX_HEIGHT = 1600  # the top of a long page; keeps each picture small


def snap(page: Page, name: str, goto: str | None = None, height: int = SHOT_MAX_HEIGHT) -> None:
    """Screenshots of a tested flow for the docs: only with MASTERBUS_SCREENSHOTS=<folder> set.

    Desktop width, light theme, the page from its top (at most `height` px); `goto` visits a page
    first (one the flow itself does not need). Without the variable: nothing at all.
    """
    folder = os.environ.get("MASTERBUS_SCREENSHOTS")
    if not folder:
        return
    viewport = page.viewport_size
    page.set_viewport_size(SHOT_VIEWPORT)
    page.emulate_media(color_scheme="light")
    if goto is not None:
        page.goto(goto)
    page.wait_for_load_state("networkidle")
    height = min(page.evaluate("document.documentElement.scrollHeight"), height)
    target = Path(folder) / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    clip = {"x": 0, "y": 0, "width": SHOT_VIEWPORT["width"], "height": height}
    # The cookie banner is left out, as scripts/screenshots.py answers it: answering it here
    # would submit a form in the middle of the tested flow. Hidden through the CSSOM, which the
    # page's CSP allows (Playwright's screenshot `style` injects a <style> the CSP refuses).
    banner = page.locator("#consent-banner")
    banner.evaluate_all("els => els.forEach(e => e.style.setProperty('display', 'none'))")
    page.screenshot(path=str(target), full_page=True, clip=clip)
    banner.evaluate_all("els => els.forEach(e => e.style.removeProperty('display'))")
    if viewport is not None:
        page.set_viewport_size(viewport)


@pytest.fixture(scope="module")
def chromium(django_db_setup) -> Iterator[Browser]:
    # One Playwright per module: two sync Playwright instances cannot live in one thread.
    # Playwright's sync API keeps an event loop running in this thread while the browser lives;
    # the tests' ORM calls and database flushes are plain synchronous calls between browser
    # steps, so Django's guard against async contexts is lifted meanwhile.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def platform_url(transactional_db) -> Iterator[str]:
    """`masterbus serve` (gunicorn + worker + periodic jobs) on the test database."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "masterbus.config.launcher", "serve", "--port", str(port),
         "--web-processes", "1", "--threads", "8"],
        env=subprocess_env(PERIODIC_INTERVAL_SECONDS="2"), cwd=REPO,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("masterbus serve did not start") from None
            time.sleep(0.2)
    yield url
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
