"""A guest masters an album in a real browser: several files uploaded from one picker, a bad
file reported and removed, live track status, and the album's zip measured by ffmpeg."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.support.ffmeter import measure
from tests.support.music import music_file

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_guest_masters_an_album_and_downloads_its_zip(
    chromium: Browser, platform_url: str, tmp_path: Path
):
    folder = tmp_path / "in"
    folder.mkdir()
    songs = [
        music_file(folder, seconds=5.0, lufs=-14.0, seed=41, name="02 Loud"),
        music_file(folder, seconds=5.0, lufs=-19.0, seed=42, name="01 Soft"),
    ]
    bad = folder / "03 notes.wav"
    bad.write_text("these are lyrics, not audio\n" * 50)
    context = chromium.new_context(base_url=platform_url, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto("/albums/new")
    expect(page.locator("#master-button")).to_be_disabled()

    page.set_input_files("#album-files", [str(p) for p in [*songs, bad]])
    items = page.locator("#album-tracks li")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("01 Soft.wav")  # file-name order, not picking order
    expect(items.nth(0)).to_contain_text("uploaded", timeout=60_000)
    expect(items.nth(1)).to_contain_text("uploaded", timeout=60_000)
    expect(items.nth(2).locator(".message.error")).to_be_visible(timeout=60_000)
    expect(page.locator("#master-button")).to_be_enabled()
    items.nth(2).get_by_role("button", name="Remove 03 notes.wav").click()
    expect(items).to_have_count(2)
    page.fill("input[name=title]", "Night & Day")
    page.click("#master-button")

    page.wait_for_url("**/albums/*/?v=1")
    expect(page.locator("h1")).to_have_text("Night & Day")
    status = page.locator("#album-status")
    expect(status).to_have_attribute("data-status", "done", timeout=180_000)
    expect(page.locator("table.tracks tbody tr")).to_have_count(2)
    expect(page.locator("table.tracks a.download")).to_have_count(8)

    with page.expect_download() as info:
        page.click("a.album-zip[data-format=wav24]")
    saved = tmp_path / "album.zip"
    info.value.save_as(saved)
    assert info.value.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(saved) as archive:
        assert archive.namelist() == ["01 01 Soft.wav", "02 02 Loud.wav"]
        archive.extractall(tmp_path / "out")
    loudness = [measure(path).integrated_lufs for path in sorted((tmp_path / "out").iterdir())]
    # 5 LU apart before (a gap the album evens out); both at the streaming target after,
    # measured by ffmpeg's ebur128.
    assert all(abs(value + 14.0) <= 0.5 for value in loudness), loudness

    # Deleting asks first (a script, as the CSP allows no inline handler): no, then yes.
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click(".danger-zone button")
    page.wait_for_timeout(300)
    assert asked == ["Delete this album, its songs and all their files?"]
    assert "/albums/" in page.url
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".danger-zone button")
    page.wait_for_url("**/songs/")
    expect(page.locator(".messages")).to_contain_text("all their files are deleted")
    assert not errors, errors
    context.close()
