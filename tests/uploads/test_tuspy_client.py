"""A third-party tus client (tuspy, the one the API docs use) against our endpoint over HTTP."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import Client
from tusclient.client import TusClient

from masterbus.accounts.models import User
from masterbus.uploads.models import Upload, UploadStatus
from masterbus.uploads.selectors import upload_file_path
from tests.uploads.helpers import tone_wav, upload_id

pytestmark = pytest.mark.django_db(transaction=True)

CSRF_TOKEN = "p" * 32
CHUNK = 1 << 20


def signed_in_headers(email: str) -> dict[str, str]:
    """tuspy keeps no cookies between requests, so it sends a signed-in session's by hand."""
    browser = Client()
    browser.force_login(User.objects.create_user(email, "pw"))
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={CSRF_TOKEN}",
        "X-CSRFToken": CSRF_TOKEN,
    }


def test_tuspy_uploads_stops_and_resumes_to_identical_bytes(live_server) -> None:
    data = tone_wav(25.0)  # 4.4 MB
    client = TusClient(live_server.url + "/uploads/", headers=signed_in_headers("py@example.com"))
    first = client.uploader(
        file_stream=io.BytesIO(data), chunk_size=CHUNK, metadata={"filename": "script.wav"}
    )
    first.upload(stop_at=2 * CHUNK)
    upload = Upload.objects.get(pk=upload_id(first.url))
    assert (upload.offset, upload.status) == (2 * CHUNK, UploadStatus.UPLOADING)

    # A new process that only remembers the URL asks for the offset and finishes.
    second = client.uploader(file_stream=io.BytesIO(data), chunk_size=CHUNK, url=first.url)
    assert second.offset == 2 * CHUNK
    second.upload()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.COMPLETE
    assert upload.filename == "script.wav"
    assert upload.user.email == "py@example.com"
    assert upload_file_path(upload).read_bytes() == data


def test_tuspy_cannot_touch_another_users_upload(live_server) -> None:
    data = tone_wav(10.0)  # 1.8 MB: two chunks, and only the first is sent
    owner = TusClient(live_server.url + "/uploads/", headers=signed_in_headers("a@example.com"))
    uploader = owner.uploader(file_stream=io.BytesIO(data), chunk_size=CHUNK)
    uploader.upload(stop_at=CHUNK)
    other = TusClient(live_server.url + "/uploads/", headers=signed_in_headers("b@example.com"))
    with pytest.raises(Exception, match="404"):
        other.uploader(file_stream=io.BytesIO(data), chunk_size=CHUNK, url=uploader.url)
    assert Upload.objects.get().offset == CHUNK
