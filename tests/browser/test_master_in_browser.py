"""A guest masters a song in a real browser and the downloaded WAV measures at the target."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
import soundfile as sf
from playwright.sync_api import Browser, expect

from tests.support.ffmeter import measure

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

TARGET_LUFS = -16.0  # the "Apple Music" preset: not the form's default, so the choice is tested


def _state(page, selector: str) -> dict:
    return page.eval_on_selector(
        selector,
        "a => ({t: a.currentTime, paused: a.paused, muted: a.muted, volume: a.volume})",
    )


def test_guest_uploads_masters_listens_and_downloads(
    chromium: Browser, platform_url: str, song_path: Path, tmp_path: Path
):
    context = chromium.new_context(base_url=platform_url, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto("/")
    expect(page.locator("#master-button")).to_be_disabled()

    # Upload: the progress bar appears and reaches the end, then Master is enabled.
    page.set_input_files("#song-file", str(song_path))
    expect(page.locator("#upload-progress")).to_be_visible()
    expect(page.locator("#upload-message")).to_contain_text("is uploaded", timeout=60_000)
    assert page.eval_on_selector("#upload-progress", "p => p.value") == 1
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    assert cookies["mb_guest"]["httpOnly"]  # the guest identity came with the first upload
    page.check("input[name=target][value=apple]")  # a segmented control of radio buttons
    expect(page.locator("#master-button")).to_be_enabled()
    page.click("#master-button")

    # Live status, then the result page (the status fragment reloads it when done).
    page.wait_for_url("**/songs/*/?v=1")
    expect(page.locator("#job-status")).to_be_visible()
    expect(page.locator("#ab-player")).to_be_visible(timeout=120_000)
    expect(page.locator("svg.spectrum polyline")).to_have_count(2)
    # Playable first: the player shows with the WAV 24 master; the other formats arrive in the
    # download list by the status poll, without reloading the page (listening goes on).
    page.evaluate("() => { window.sameDocument = true; }")

    # A/B: play, switch to the original while playing, in step with the master.
    gain_db = float(page.get_attribute("#ab-player", "data-match-gain-db"))
    page.click("#ab-play")
    page.wait_for_function("() => document.getElementById('audio-master').currentTime > 0.5")
    master = _state(page, "#audio-master")
    assert not master["paused"] and not master["muted"]
    assert math.isclose(master["volume"], min(1.0, 10 ** (gain_db / 20)), abs_tol=1e-3)
    page.check("input[name=ab-source][value=original]")
    page.wait_for_timeout(400)
    original, master = _state(page, "#audio-original"), _state(page, "#audio-master")
    assert not original["paused"] and not original["muted"] and master["muted"]
    assert abs(original["t"] - master["t"]) < 0.3
    page.uncheck("#ab-match")
    assert _state(page, "#audio-master")["volume"] == 1.0
    page.click("#ab-play")  # pause

    expect(page.locator("#downloads a.download")).to_have_count(4, timeout=120_000)
    expect(page.locator("#job-status")).to_contain_text("is ready")
    assert page.evaluate("() => window.sameDocument === true")  # no reload since playable

    # Download the 24-bit WAV and measure it with ffmpeg's ebur128.
    with page.expect_download() as info:
        page.click("a.download[data-format=wav24]")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert sf.info(str(saved)).subtype == "PCM_24"
    loudness = measure(saved)
    assert abs(loudness.integrated_lufs - TARGET_LUFS) <= 0.5, loudness
    assert loudness.true_peak_dbtp <= -0.9
    assert not errors, errors
    page.screenshot(
        path=str(Path(os.environ.get("MASTERBUS_SCREENSHOT_DIR", tmp_path)) / "result.png"),
        full_page=True,
    )
    context.close()
