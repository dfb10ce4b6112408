"""Screenshots of the main pages, light and dark, desktop (1280 px) and phone (375 px).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Starts the whole platform (`masterbus serve`) on a throw-away database and data folder (the test
settings), makes a signed-in musician with one mastered song (the test fixtures: real upload, real
engine), and saves the visible part of each page (the viewport, not the whole page) as
<page>-<light|dark>-<desktop|phone>.png. Needs Debian's chromium, as the browser tests do.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 780}}
THEMES = ("light", "dark")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(data: Path) -> dict[str, str]:
    """A migrated database with a musician and a mastered song; the pages to photograph."""
    import django

    os.environ.update(
        DJANGO_SETTINGS_MODULE="masterbus.config.settings.test",
        MASTERBUS_DATA_DIR=str(data),
        MASTERBUS_TEST_DB=str(data / "db.sqlite3"),
    )
    sys.path.insert(0, str(REPO))
    django.setup()
    from allauth.account.models import EmailAddress
    from django.core.management import call_command

    from masterbus.accounts.owner import Owner
    from tests.platform.fixtures import make_user, master_song
    from tests.support.music import music_file

    call_command("migrate", verbosity=0)
    user = make_user("musician@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    owner = Owner(user=user, guest_key=None)
    audio = data / "audio"
    audio.mkdir()
    master_song(owner, music_file(audio, seconds=4.0, lufs=-21.0, seed=7), name="Second take.wav")
    song = master_song(
        owner, music_file(audio, seconds=12.0, lufs=-20.0, seed=3), name="Night drive.wav"
    ).song
    return {
        "home": "/",
        "song": f"/songs/{song.pk}/",
        "library": "/songs/",
        "settings": "/settings/profile/",
        "promises": "/privacy/promises/",
    }


def session_cookie(url: str) -> list[dict]:
    from django.conf import settings
    from django.test import Client

    from masterbus.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="musician@example.com"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}]


def serve(port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-m", "masterbus.config.launcher", "serve", "--port", str(port),
         "--web-processes", "1", "--threads", "4"],
        env=env, cwd=REPO,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return process
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise SystemExit("masterbus serve did not start") from None
            time.sleep(0.3)


def shoot(url: str, pages: dict[str, str], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved, cookies = [], session_cookie(url)  # the ORM before Playwright's event loop starts
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for theme in THEMES:
            for size, viewport in SIZES.items():
                context = browser.new_context(base_url=url, viewport=viewport, color_scheme=theme)
                context.add_cookies(cookies)
                page = context.new_page()
                page.goto("/")
                page.click("#consent-reject")  # the banner, answered once, stays out of the way
                for name, path in pages.items():
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    target = out / f"{name}-{theme}-{size}.png"
                    page.screenshot(path=str(target))
                    saved.append(target)
                context.close()
        browser.close()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="masterbus-shots-"))
    process = None
    try:
        pages = prepare(data)
        port = free_port()
        process = serve(port)
        for path in shoot(f"http://127.0.0.1:{port}", pages, out):
            print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    finally:
        if process is not None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
