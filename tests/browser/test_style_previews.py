"""A guest uploads a song, compares the style previews while they play, picks one, and the
master is made with exactly the picked preview's settings; the ready panel passes axe."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from masterbus.mastering.models import Job
from masterbus.uploads.models import PreviewSet, PreviewStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PHONE = {"width": 375, "height": 800}
NAMES = ("original", "balanced", "warm", "bright", "open")


def _states(page) -> dict:
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('#previews-audio audio')].map(
            a => [a.dataset.preview, {t: a.currentTime, paused: a.paused, muted: a.muted}]))"""
    )


def _heard_alone(page, name: str) -> dict:
    # in step within a few seconds even on a busy machine, where a seek takes a while
    page.wait_for_function(
        """() => { const t = [...document.querySelectorAll('#previews-audio audio')]
            .map(a => a.currentTime); return Math.max(...t) - Math.min(...t) < 0.3; }""",
        timeout=5_000,
    )
    states = _states(page)
    assert set(states) == set(NAMES)
    assert not states[name]["paused"] and not states[name]["muted"], states
    assert all(s["muted"] for n, s in states.items() if n != name), states
    times = [s["t"] for s in states.values()]
    assert max(times) - min(times) < 0.3, states  # all in step: switching never jumps
    for button in page.locator("button[data-preview]").all():
        pressed = button.get_attribute("data-preview") == name
        assert button.get_attribute("aria-pressed") == str(pressed).lower()
    return states


def test_guest_compares_styles_while_playing_and_masters_the_one_picked(
    chromium: Browser, platform_url: str, song_path: Path
):
    context = chromium.new_context(base_url=platform_url, viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/")
    expect(page.locator("#style-previews")).to_be_hidden()
    page.check("input[name=target][value=loud]")  # previews follow the form's settings

    page.set_input_files("#song-file", str(song_path))
    expect(page.locator("#style-previews")).to_be_visible(timeout=60_000)
    expect(page.locator("#previews-player")).to_be_visible(timeout=60_000)
    expect(page.locator("#previews-status")).to_contain_text("Ready")
    preview_set = PreviewSet.objects.get()
    assert preview_set.status == PreviewStatus.DONE and preview_set.target_lufs == -9.0

    violations = Axe().run(page).response["violations"]
    blocking = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert not blocking, blocking
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Play, then switch styles while playing: one is heard, all keep running in step.
    page.click("#previews-play")
    page.wait_for_function(
        "() => document.querySelector('#previews-audio audio').currentTime > 0.5"
    )
    _heard_alone(page, "balanced")  # the form's style is the one heard first
    page.click("button[data-preview=bright]")
    page.wait_for_timeout(300)
    _heard_alone(page, "bright")
    page.click("button[data-preview=original]")
    page.wait_for_timeout(300)
    _heard_alone(page, "original")
    assert page.is_checked("input[name=style][value=bright]")  # the original picks no style
    page.click("button[data-preview=warm]")
    page.wait_for_timeout(300)
    before = _heard_alone(page, "warm")["warm"]["t"]
    page.wait_for_timeout(500)
    assert _states(page)["warm"]["t"] > before  # still playing after the switches
    assert page.is_checked("input[name=style][value=warm]")
    page.click("#previews-play")  # pause

    picked = preview_set.report["previews"]["warm"]["settings"]
    page.click("#master-button")
    page.wait_for_url("**/songs/*/?v=1")
    assert Job.objects.get().settings == picked
    assert picked["style"] == "warm" and picked["target_lufs"] == -9.0
    assert not PreviewSet.objects.exists()  # mastering took the upload: its previews went too
    assert not errors, errors
    context.close()
