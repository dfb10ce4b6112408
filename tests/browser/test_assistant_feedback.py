"""The issue's proof in a real browser: on a result page a user types "the low end is muddy and
the vocals are harsh", sees the proposed changes with their reasons, re-masters with one click,
and the new version measures less energy in the named bands (the engine's meter and ffmpeg)
while its loudness stays on target (ffmpeg's ebur128)."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from masterbus.accounts.owner import Owner
from masterbus.mastering.models import Job
from tests.browser.fixtures import snap
from tests.platform.fixtures import make_user, master_song, start_worker
from tests.support.bandmeter import engine_band_db, ffmpeg_band_db
from tests.support.ffmeter import measure
from tests.support.stored import local_file

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

WORDS = "the low end is muddy and the vocals are harsh"
TARGET = -14.0
PHONE = {"width": 375, "height": 800}


def signed_in(chromium: Browser, url: str, user) -> Page:
    context = chromium.new_context(base_url=url)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    return page


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation, and nothing wider than the viewport."""
    found = Axe().run(page).response["violations"]
    assert not [v["id"] for v in found if v["impact"] in ("serious", "critical")], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def wav24(job: Job) -> str:
    return local_file(job.deliveries.get(format="wav24").file)


def test_words_on_a_result_page_become_a_remaster_that_measures_less_in_those_bands(
    chromium: Browser, live_server, song_path: Path
):
    user = make_user("mia@example.com")
    first = master_song(Owner(user, None), song_path, target=TARGET)
    worker = start_worker()
    try:
        page = signed_in(chromium, live_server.url, user)
        page.goto(f"/songs/{first.song_id}/?v=1")
        page.click("text=Not quite right? Tell the assistant what to change")
        page.fill("textarea[name=text]", WORDS)
        snap(page, "assistant/01-feedback-words")
        page.click("button:has-text('Propose changes')")
        proposal = page.locator("#proposal")
        expect(proposal).to_contain_text("Cut")
        expect(proposal).to_contain_text("around 250 Hz")
        expect(proposal).to_contain_text("around 3200 Hz")
        expect(proposal).to_contain_text("your master")  # the reason names the measurement
        snap(page, "assistant/02-proposed-changes")
        assert_accessible(page)
        page.click("button:has-text('Re-master with these changes')")
        page.wait_for_url("**/songs/*/?v=2")
        expect(page.locator("ul.messages")).to_contain_text("compare it with version 1")
        expect(page.locator("#ab-player")).to_be_visible(timeout=180_000)
        snap(page, "assistant/03-new-version")
        page.goto(f"/assistant/songs/{first.song_id}/mix")
        page.click("button:has-text('Check my mix')")
        expect(page.locator(".assistant-turns")).to_contain_text("mix.wav")
        page.set_viewport_size(PHONE)
        for path in (
            f"/assistant/songs/{first.song_id}/mix",
            "/assistant/",
            f"/assistant/songs/{first.song_id}/feedback?v=2",
        ):
            page.goto(path)
            assert_accessible(page)
        assert not [e for e in page.errors if "Content Security" in e]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    second = Job.objects.get(song=first.song, number=2)
    assert second.settings["eq_adjust"]
    before, after = wav24(first), wav24(second)
    for centre in (250.0, 3200.0):
        assert engine_band_db(after, centre) < engine_band_db(before, centre) - 1.0
        assert ffmpeg_band_db(after, centre) < ffmpeg_band_db(before, centre) - 1.0
    assert abs(measure(after).integrated_lufs - TARGET) < 1.0
    assert measure(after).true_peak_dbtp <= -0.9
