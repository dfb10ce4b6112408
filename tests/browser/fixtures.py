"""Browser fixtures: Debian's chromium through Playwright, and the whole platform on a port.

Registered for every test folder by tests/conftest.py (``pytest_plugins``).

Playwright's own browser download does not work here; the Makefile installs Debian's chromium.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

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
