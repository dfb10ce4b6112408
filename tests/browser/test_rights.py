"""P30 and P32 in a real browser: a user exports their data and finds their song in the zip, then
deletes the account; after the purge no row and no file of theirs is left."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from playwright.sync_api import Browser, expect

from masterbus.accounts.owner import Owner
from masterbus.config import periodic
from tests.platform.fixtures import make_user, master_song
from tests.rights.traces import rows_of, stored_files

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

EMAIL = "erin@example.com"
PASSWORD = "correct horse battery staple"


def test_export_download_then_delete_and_purge_leaves_nothing(
    chromium: Browser, platform_url: str, song_path: Path, tmp_path: Path, settings
):
    before = stored_files()
    user = make_user(EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    job = master_song(Owner(user=user, guest_key=None), song_path, name="Erin Final Mix.wav")
    master = job.deliveries.get(format="wav24").file

    context = chromium.new_context(base_url=platform_url, accept_downloads=True)
    page = context.new_page()
    csp: list[str] = []
    page.on(  # on the pages of this feature (the others have their own checks)
        "console",
        lambda m: (
            csp.append(m.text)
            if "Content Security" in m.text and "/settings/" in page.url
            else None
        ),
    )
    page.goto("/accounts/login/")
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/songs/")

    # Export: the worker builds the zip; the page notices by itself and shows the link.
    page.goto("/settings/data/")
    page.click("#export-button")
    expect(page.locator("#export-status")).to_contain_text("being prepared")
    expect(page.locator("#export-download")).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        page.click("#export-download")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        document = json.loads(archive.read("data.json"))
        assert [s["title"] for s in document["data"]["mastering.song"]] == ["Erin Final Mix.wav"]
        with default_storage.open(master, "rb") as stored:
            assert archive.read(f"files/{master}") == stored.read()

    # Delete: signed out at once, and the account cannot come back.
    page.goto("/settings/data/delete")
    expect(page.locator("main")).to_contain_text("This cannot be undone")
    page.fill("input[name=password]", PASSWORD)
    page.check("input[name=confirm]")
    page.click("#delete-account-button")
    expect(page.locator("#account-deleted")).to_be_visible()
    page.goto("/settings/data/")
    assert "/accounts/login/" in page.url
    assert not csp, csp
    context.close()

    assert rows_of(user.pk, EMAIL)  # deactivated, the data waits for the purge window
    settings.ACCOUNT_PURGE_DAYS = 0
    assert periodic.run_once()["deleted account purge"] == 1
    assert rows_of(user.pk, EMAIL) == []
    assert stored_files() == before
