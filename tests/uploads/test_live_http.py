"""The tus endpoint behind a real HTTP server: streamed bodies, dropped connections, locking."""

from __future__ import annotations

import fcntl
import hashlib
import io
import socket
import time
import tracemalloc
from urllib.parse import urlsplit

import pytest
import requests

from masterbus.uploads.models import Upload, UploadStatus
from masterbus.uploads.selectors import upload_file_path
from tests.support.waiting import wait_until
from tests.uploads.helpers import OFFSET_TYPE, TUS, metadata_header, tone_wav, upload_id

pytestmark = pytest.mark.django_db(transaction=True)

CSRF_TOKEN = "t" * 32


class HttpTus:
    """A browser-like tus client over real HTTP: cookies, CSRF header, streamed bodies."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url
        self.session = requests.Session()
        self.session.cookies.set("csrftoken", CSRF_TOKEN)
        self.session.headers.update({**TUS, "X-CSRFToken": CSRF_TOKEN})

    def create(self, length: int) -> str:
        response = self.session.post(
            self.base + "/uploads/",
            headers={
                "Upload-Length": str(length),
                "Upload-Metadata": metadata_header(filename="live.wav"),
            },
        )
        assert response.status_code == 201, response.text
        return self.base + response.headers["Location"]

    def patch(self, url: str, offset: int, body, length: int) -> requests.Response:
        return self.session.patch(
            url,
            data=body,
            headers={
                "Upload-Offset": str(offset),
                "Content-Type": OFFSET_TYPE,
                "Content-Length": str(length),
            },
        )

    def offset(self, url: str) -> int:
        response = self.session.head(url)
        assert response.status_code == 200
        return int(response.headers["Upload-Offset"])

    def raw_patch_start(self, url: str, offset: int, declared: int, first: bytes) -> socket.socket:
        """Open a PATCH by hand and send only ``first`` of the ``declared`` body bytes."""
        parts = urlsplit(url)
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
        head = (
            f"PATCH {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Tus-Resumable: 1.0.0\r\nUpload-Offset: {offset}\r\n"
            f"Content-Type: {OFFSET_TYPE}\r\nContent-Length: {declared}\r\n"
            f"X-CSRFToken: {CSRF_TOKEN}\r\nCookie: {cookies}\r\n\r\n"
        )
        sock = socket.create_connection((parts.hostname, parts.port))
        sock.sendall(head.encode() + first)
        return sock


def wait_for_offset(tus: HttpTus, url: str, expected: int, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    offset = tus.offset(url)
    while offset != expected and time.monotonic() < deadline:
        time.sleep(0.05)
        offset = tus.offset(url)
    return offset


def wait_until_locked(path, timeout: float = 10.0) -> bool:
    """True once another request holds the upload's file lock."""

    def held_by_another(probe_file) -> bool:
        try:
            fcntl.flock(probe_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(probe_file.fileno(), fcntl.LOCK_UN)
        return False

    with open(path, "rb") as probe_file:
        return bool(wait_until(lambda: held_by_another(probe_file), timeout, interval=0.01))


@pytest.fixture
def http_tus(live_server) -> HttpTus:
    return HttpTus(live_server.url)


def test_a_large_body_is_streamed_to_disk_not_held_in_memory(http_tus: HttpTus) -> None:
    data = tone_wav(240.0)  # 42 MB
    url = http_tus.create(len(data))
    tracemalloc.start()
    try:
        response = http_tus.patch(url, 0, io.BytesIO(data), len(data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 204, response.text
    assert response.headers["Upload-Offset"] == str(len(data))
    # Client and server share this process: together they never held a tenth of the body.
    assert peak < len(data) / 10, f"peak {peak / 1e6:.1f} MB for a {len(data) / 1e6:.0f} MB body"
    upload = Upload.objects.get(pk=upload_id(url))
    assert upload.status == UploadStatus.COMPLETE
    digest = hashlib.sha256(upload_file_path(upload).read_bytes()).hexdigest()
    assert digest == hashlib.sha256(data).hexdigest()


def test_chunks_over_http_resume_from_the_server_offset(http_tus: HttpTus) -> None:
    data = tone_wav(20.0)
    url = http_tus.create(len(data))
    chunk = len(data) // 5 + 1
    for start in range(0, len(data), chunk):
        part = data[start : start + chunk]
        assert http_tus.offset(url) == start
        assert http_tus.patch(url, start, part, len(part)).status_code == 204
    upload = Upload.objects.get(pk=upload_id(url))
    assert upload.status == UploadStatus.COMPLETE
    assert upload_file_path(upload).read_bytes() == data


def test_a_dropped_connection_keeps_what_arrived_and_the_rest_resumes(http_tus: HttpTus) -> None:
    data = tone_wav(30.0)  # 5.3 MB
    url = http_tus.create(len(data))
    sent = 1_234_567
    sock = http_tus.raw_patch_start(url, 0, len(data), data[:sent])
    sock.close()  # the network goes away mid-body
    assert wait_for_offset(http_tus, url, sent) == sent
    response = http_tus.patch(url, sent, io.BytesIO(data[sent:]), len(data) - sent)
    assert response.status_code == 204, response.text
    upload = Upload.objects.get(pk=upload_id(url))
    assert upload.status == UploadStatus.COMPLETE
    assert hashlib.sha256(upload_file_path(upload).read_bytes()).digest() == (
        hashlib.sha256(data).digest()
    )


def test_a_second_patch_while_one_is_running_is_locked_out(http_tus: HttpTus) -> None:
    data = tone_wav(10.0)
    url = http_tus.create(len(data))
    path = upload_file_path(Upload.objects.get(pk=upload_id(url)))
    first = http_tus.raw_patch_start(url, 0, len(data), data[:100_000])
    try:
        assert wait_until_locked(path)
        second = http_tus.patch(url, 0, data[:10], 10)
        assert second.status_code == 423, second.text
        assert "being written" in second.text
        first.sendall(data[100_000:])
        reply = first.recv(4096).decode("latin-1")
        assert reply.startswith("HTTP/1.1 204"), reply
    finally:
        first.close()
    upload = Upload.objects.get(pk=upload_id(url))
    assert upload.status == UploadStatus.COMPLETE
    assert upload_file_path(upload).read_bytes() == data
