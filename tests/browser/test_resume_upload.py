"""A real browser uploads with our uploader.js, is interrupted, resumes, and the bytes are intact.

Debian's chromium, driven by Playwright (the ``chromium`` fixture of conftest.py). The page is
the smallest one that loads the vendored tus-js-client and our uploader from the live server's
static files, so the test measures the uploader and the tus endpoint, not a template; it grants
functional storage, as the site's layout does once the visitor allows it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

from masterbus.uploads.models import Upload, UploadStatus
from masterbus.uploads.selectors import upload_file_path
from tests.uploads.helpers import tone_wav

pytestmark = pytest.mark.django_db(transaction=True)

CSRF_TOKEN = "c" * 32
CHUNK = 1 << 20
PAGE_PATH = "/__uploader_test__"
PAGE = """<!doctype html>
<html data-consent-functional="granted"><body>
<input type="file" id="file">
<script src="/static/vendor/tus-js-client/tus.min.js"></script>
<script src="/static/uploads/uploader.js"></script>
<script>
  window.events = [];
  window.go = function (chunkSize) {
    var file = document.getElementById("file").files[0];
    MasterbusUpload.start(file, {
      onProgress: function (sent, total) { events.push(["progress", sent, total]); },
      onSuccess: function (id) { events.push(["success", id]); },
      onError: function (message) { events.push(["error", message]); },
    }, {chunkSize: chunkSize});
  };
</script>
</body></html>"""


@pytest.fixture
def browser_context(chromium: Browser, live_server) -> Iterator[BrowserContext]:
    context = chromium.new_context(base_url=live_server.url)
    context.add_cookies([{"name": "csrftoken", "value": CSRF_TOKEN, "url": live_server.url}])
    context.route(
        f"**{PAGE_PATH}", lambda route: route.fulfill(content_type="text/html", body=PAGE)
    )
    yield context
    context.close()


def start_upload(page: Page, path: Path) -> None:
    page.goto(PAGE_PATH)
    page.set_input_files("#file", str(path))
    page.evaluate("chunk => window.go(chunk)", CHUNK)


def test_an_interrupted_upload_resumes_after_a_reload_and_is_byte_identical(
    browser_context: BrowserContext, tmp_path: Path
) -> None:
    data = tone_wav(30.0)  # 5.3 MB: six 1 MiB chunks
    song = tmp_path / "mix.wav"
    song.write_bytes(data)
    page = browser_context.new_page()

    # Let three chunks through, then the fourth hangs: the tab is reloaded mid-upload.
    patches: list[Route] = []

    def hold_fourth_patch(route: Route) -> None:
        if route.request.method == "PATCH":
            patches.append(route)
            if len(patches) == 4:
                return  # never answered: in flight when the page goes away
        route.continue_()

    page.route("**/uploads/**", hold_fourth_patch)
    start_upload(page, song)
    for _ in range(400):  # route handlers run while Playwright waits: up to 20 s
        if len(patches) >= 4:
            break
        page.wait_for_timeout(50)
    assert len(patches) == 4, "the upload never reached its fourth chunk"
    upload = Upload.objects.get()
    assert upload.offset == 3 * CHUNK
    history = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('tus::'))")
    assert len(history) == 1, "the browser must keep an upload record to resume from"

    page.reload()  # the held chunk dies with the page; later chunks pass the route again
    methods: list[str] = []
    page.on(
        "request",
        lambda r: (
            methods.append(r.method) if urlsplit(r.url).path.startswith("/uploads/") else None
        ),
    )
    start_upload(page, song)
    page.wait_for_function(
        "() => window.events.some(e => e[0] === 'success' || e[0] === 'error')", timeout=30_000
    )
    events = page.evaluate("() => window.events")
    assert events[-1] == ["success", str(upload.pk)], events
    sent = [e[1] for e in events if e[0] == "progress"]
    assert sent[0] >= 3 * CHUNK, "the reloaded page started over instead of resuming"
    assert sent[-1] == len(data)
    assert methods == ["HEAD", "PATCH", "PATCH", "PATCH"], methods

    upload.refresh_from_db()
    assert Upload.objects.count() == 1
    assert upload.status == UploadStatus.COMPLETE
    stored = upload_file_path(upload).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == hashlib.sha256(data).hexdigest()
    # Finished uploads leave no record behind in the browser.
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('tus::'))") == []


def test_a_dropped_connection_is_retried_and_the_upload_completes(
    browser_context: BrowserContext, tmp_path: Path
) -> None:
    data = tone_wav(20.0)
    song = tmp_path / "take2.wav"
    song.write_bytes(data)
    page = browser_context.new_page()
    dropped: list[str] = []

    def drop_third_chunk_once(route: Route) -> None:
        request = route.request
        third = request.method == "PATCH" and request.headers.get("upload-offset") == str(2 * CHUNK)
        if third and not dropped:
            dropped.append(request.url)
            route.abort("connectionreset")
            return
        route.continue_()

    page.route("**/uploads/**", drop_third_chunk_once)
    start_upload(page, song)
    page.wait_for_function(
        "() => window.events.some(e => e[0] === 'success' || e[0] === 'error')", timeout=30_000
    )
    events = page.evaluate("() => window.events")
    assert dropped, "the connection was never dropped"
    assert events[-1][0] == "success", events
    upload = Upload.objects.get()
    assert upload.status == UploadStatus.COMPLETE
    assert upload_file_path(upload).read_bytes() == data


def test_a_server_refusal_reaches_the_page_in_plain_words(
    browser_context: BrowserContext, tmp_path: Path
) -> None:
    text = tmp_path / "lyrics.wav"
    text.write_bytes(b"not audio at all\n" * 1000)
    page = browser_context.new_page()
    start_upload(page, text)
    page.wait_for_function(
        "() => window.events.some(e => e[0] === 'success' || e[0] === 'error')", timeout=30_000
    )
    events = page.evaluate("() => window.events")
    assert events[-1] == [
        "error",
        "This file cannot be used: not a readable audio file "
        "(expected WAV, AIFF, FLAC, OGG or MP3).",
    ]
    assert Upload.objects.get().status == UploadStatus.FAILED


def test_upload_history_is_declared_and_forgotten_after_seven_days(
    browser_context: BrowserContext, tmp_path: Path
) -> None:
    song = tmp_path / "short.wav"
    song.write_bytes(tone_wav(1.0))
    page = browser_context.new_page()
    page.goto(PAGE_PATH)
    declared = page.evaluate("() => MasterbusUpload.STORAGE_KEYS")
    assert [(k["storage"], k["retention"]) for k in declared] == [("localStorage", "7 days")]
    assert declared[0]["key"].startswith("tus::")
    page.evaluate(
        """() => {
        const day = 24 * 3600 * 1000;
        const record = (age) => JSON.stringify({
            uploadUrl: "/uploads/00000000-0000-0000-0000-000000000000",
            creationTime: new Date(Date.now() - age).toString(),
        });
        localStorage.setItem("tus::old::1", record(8 * day));
        localStorage.setItem("tus::recent::2", record(6 * day));
        localStorage.setItem("tus::broken::3", "{not json");
        localStorage.setItem("theme", "dark");
    }"""
    )
    page.set_input_files("#file", str(song))
    page.evaluate("chunk => window.go(chunk)", CHUNK)
    page.wait_for_function("() => window.events.some(e => e[0] === 'success')", timeout=30_000)
    keys = sorted(page.evaluate("() => Object.keys(localStorage)"))
    assert keys == ["theme", "tus::recent::2"]
