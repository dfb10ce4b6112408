"""The tus 1.0.0 protocol, path by path, through Django's test client."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import parse_http_date

from masterbus.uploads.models import Upload, UploadStatus
from masterbus.uploads.selectors import upload_file_path
from tests.uploads.helpers import TUS, TusClient, metadata_header, upload_id

pytestmark = pytest.mark.django_db


def test_options_advertises_version_extensions_and_max_size(client: Client, settings) -> None:
    settings.MAX_UPLOAD_BYTES = 123_456_789
    response = client.options("/uploads/")
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "termination", "expiration"}
    assert response["Tus-Max-Size"] == "123456789"


def test_creation_returns_location_and_expiry(tus: TusClient, settings) -> None:
    settings.UPLOAD_EXPIRY_SECONDS = 3600
    before = timezone.now()
    response = tus.create(1000, filename="My Song.wav")
    assert response.status_code == 201
    assert response["Tus-Resumable"] == "1.0.0"
    location = response["Location"]
    assert location.startswith("/uploads/")
    upload = Upload.objects.get(pk=upload_id(location))
    assert (upload.length, upload.offset, upload.status) == (1000, 0, UploadStatus.UPLOADING)
    assert (upload.filename, upload.filetype) == ("My Song.wav", "audio/wav")
    expires = parse_http_date(response["Upload-Expires"])
    assert abs(expires - (before + timedelta(hours=1)).timestamp()) < 5
    # The bytes go to a server-chosen name, created empty.
    path = upload_file_path(upload)
    assert path.parent.name == "uploads" and path.name == upload.pk.hex
    assert path.exists() and path.stat().st_size == 0


def test_whole_upload_in_chunks_stores_identical_bytes(tus: TusClient, wav_bytes: bytes) -> None:
    location, last = tus.upload(wav_bytes, chunk=100_000)
    assert last.status_code == 204
    assert last["Upload-Offset"] == str(len(wav_bytes))
    upload = Upload.objects.get(pk=upload_id(location))
    assert upload.status == UploadStatus.COMPLETE
    assert upload.completed_at is not None
    stored = upload_file_path(upload).read_bytes()
    assert hashlib.sha256(stored).digest() == hashlib.sha256(wav_bytes).digest()
    # Checked by content: the probe's findings are kept for the mastering job.
    assert upload.audio_info["sample_rate"] == 44100
    assert upload.audio_info["channels"] == 2
    assert upload.audio_info["duration_s"] == pytest.approx(3.0, abs=0.01)


def test_head_reports_offset_length_metadata_and_no_caching(tus: TusClient) -> None:
    location = tus.create(10, filename="a.wav")["Location"]
    assert tus.patch(location, 0, b"RIFF").status_code == 204
    response = tus.head(location)
    assert response.status_code == 200
    assert response["Upload-Offset"] == "4"
    assert response["Upload-Length"] == "10"
    assert response["Cache-Control"] == "no-store"
    assert "Upload-Expires" in response
    pairs = dict(p.split(" ") for p in response["Upload-Metadata"].split(","))
    assert base64.b64decode(pairs["filename"]).decode() == "a.wav"


def test_resume_after_partial_chunk_continues_at_server_offset(
    tus: TusClient, wav_bytes: bytes
) -> None:
    location = tus.create(len(wav_bytes))["Location"]
    assert tus.patch(location, 0, wav_bytes[:5000]).status_code == 204
    # The client lost track (a reload): it asks where to continue, then sends the rest.
    offset = int(tus.head(location)["Upload-Offset"])
    assert offset == 5000
    response = tus.patch(location, offset, wav_bytes[offset:])
    assert response.status_code == 204
    upload = Upload.objects.get(pk=upload_id(location))
    assert upload_file_path(upload).read_bytes() == wav_bytes


def test_wrong_offset_is_a_conflict_and_changes_nothing(tus: TusClient) -> None:
    location = tus.create(100)["Location"]
    tus.patch(location, 0, b"x" * 10)
    for offset in (0, 5, 20):
        response = tus.patch(location, offset, b"y" * 10)
        assert response.status_code == 409
        assert "byte 10" in response.content.decode()
    upload = Upload.objects.get(pk=upload_id(location))
    assert upload.offset == 10
    assert upload_file_path(upload).read_bytes() == b"x" * 10


@pytest.mark.parametrize(
    "content_type", ["application/octet-stream", "text/plain", "multipart/form-data; boundary=x"]
)
def test_wrong_content_type_is_415(tus: TusClient, content_type: str) -> None:
    location = tus.create(100)["Location"]
    response = tus.patch(location, 0, b"x" * 10, content_type=content_type)
    assert response.status_code == 415
    assert "application/offset+octet-stream" in response.content.decode()
    assert Upload.objects.get(pk=upload_id(location)).offset == 0


def test_missing_or_wrong_protocol_version_is_412(client: Client) -> None:
    response = client.post("/uploads/", headers={"Upload-Length": "10"})
    assert response.status_code == 412
    assert response["Tus-Version"] == "1.0.0"
    response = client.post("/uploads/", headers={"Tus-Resumable": "0.2.2", "Upload-Length": "10"})
    assert response.status_code == 412
    assert not Upload.objects.exists()


def test_over_the_size_limit_is_413_with_a_clear_message(tus: TusClient, settings) -> None:
    settings.MAX_UPLOAD_BYTES = 1_000_000
    response = tus.create(1_000_001)
    assert response.status_code == 413
    assert response.content.decode() == "The file is 1.0 MB; the largest upload is 1.0 MB."
    assert not Upload.objects.exists()
    assert tus.create(1_000_000).status_code == 201


def test_chunk_past_the_declared_length_is_413(tus: TusClient) -> None:
    location = tus.create(10)["Location"]
    response = tus.patch(location, 0, b"x" * 11)
    assert response.status_code == 413
    assert Upload.objects.get(pk=upload_id(location)).offset == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Upload-Length": "-5"},
        {"Upload-Length": "ten"},
        {"Upload-Length": "1e9"},
        {},
        {"Upload-Length": "10", "Upload-Metadata": "filename not*base64"},
        {"Upload-Length": "10", "Upload-Metadata": "filename YQ==,filename Yg=="},
        {"Upload-Defer-Length": "1"},
    ],
)
def test_malformed_creation_headers_are_400(client: Client, headers: dict) -> None:
    response = client.post("/uploads/", headers={**TUS, **headers})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content
    assert not Upload.objects.exists()


def test_metadata_without_filename_gets_a_placeholder(client: Client) -> None:
    response = client.post(
        "/uploads/",
        headers={**TUS, "Upload-Length": "10", "Upload-Metadata": metadata_header(other="x")},
    )
    assert response.status_code == 201
    assert Upload.objects.get().filename == "untitled"


def test_expired_upload_is_410_and_purged(
    tus: TusClient, django_capture_on_commit_callbacks
) -> None:
    from masterbus.uploads.services import upload_purge_expired

    location = tus.create(100)["Location"]
    tus.patch(location, 0, b"x" * 10)
    upload = Upload.objects.get(pk=upload_id(location))
    path = upload_file_path(upload)
    Upload.objects.filter(pk=upload.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert tus.head(location).status_code == 410
    response = tus.patch(location, 10, b"y" * 10)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    fresh = tus.create(50)["Location"]  # not expired: the purge must leave it alone
    with django_capture_on_commit_callbacks(execute=True):
        assert upload_purge_expired() == 1
    assert not path.exists()
    assert not Upload.objects.filter(pk=upload.pk).exists()
    assert tus.head(fresh).status_code == 200


def test_a_finished_upload_never_mastered_is_purged_after_the_window(
    tus: TusClient, wav_bytes: bytes, settings, django_capture_on_commit_callbacks
) -> None:
    from masterbus.uploads.services import upload_purge_expired

    settings.UPLOAD_EXPIRY_SECONDS = 3600
    location, _ = tus.upload(wav_bytes)
    upload = Upload.objects.get(pk=upload_id(location))
    assert upload.expires_at - upload.completed_at == timedelta(hours=1)
    assert upload_purge_expired() == 0
    Upload.objects.filter(pk=upload.pk).update(expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert upload_purge_expired() == 1
    assert not upload_file_path(upload).exists()
    assert not Upload.objects.exists()


def test_termination_removes_row_and_bytes(
    tus: TusClient, wav_bytes: bytes, django_capture_on_commit_callbacks
) -> None:
    location = tus.create(len(wav_bytes))["Location"]
    tus.patch(location, 0, wav_bytes[:1000])
    path = upload_file_path(Upload.objects.get(pk=upload_id(location)))
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert tus.delete(location).status_code == 204
    assert not path.exists()
    assert not Upload.objects.exists()
    assert tus.head(location).status_code == 404
    assert tus.patch(location, 1000, b"x").status_code == 404
    assert tus.delete(location).status_code == 404


def test_terminating_a_complete_upload_removes_its_file(
    tus: TusClient, wav_bytes: bytes, django_capture_on_commit_callbacks
) -> None:
    location, _ = tus.upload(wav_bytes)
    path = upload_file_path(Upload.objects.get(pk=upload_id(location)))
    with django_capture_on_commit_callbacks(execute=True):
        assert tus.delete(location).status_code == 204
    assert not path.exists()


def test_complete_upload_accepts_no_more_bytes(tus: TusClient, wav_bytes: bytes) -> None:
    location, _ = tus.upload(wav_bytes)
    response = tus.patch(location, len(wav_bytes), b"x")
    assert response.status_code in (409, 413)
    head = tus.head(location)
    assert head.status_code == 200
    assert head["Upload-Offset"] == head["Upload-Length"] == str(len(wav_bytes))
    assert "Upload-Expires" not in head


def test_csrf_is_enforced_on_tus_requests(wav_bytes: bytes) -> None:
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/uploads/", headers={**TUS, "Upload-Length": "10"})
    assert response.status_code == 403
    assert not Upload.objects.exists()
    token = "a" * 32
    browser.cookies["csrftoken"] = token
    response = browser.post(
        "/uploads/", headers={**TUS, "Upload-Length": "10", "X-CSRFToken": token}
    )
    assert response.status_code == 201
    location = response["Location"]
    no_token = browser.patch(
        location,
        data=b"x",
        content_type="application/offset+octet-stream",
        headers={**TUS, "Upload-Offset": "0"},
    )
    assert no_token.status_code == 403
    assert Upload.objects.get().offset == 0


def test_no_file_is_written_outside_the_uploads_folder(
    tus: TusClient, wav_bytes: bytes, media_root: Path
) -> None:
    tus.upload(wav_bytes, filename="../../../../tmp/evil.wav")
    written = [p for p in media_root.rglob("*") if p.is_file()]
    assert [p.parent for p in written] == [media_root / "uploads"]


@pytest.mark.urls("tests.uploads.urls_second_mount")
def test_a_second_mount_answers_with_its_own_locations(tus: TusClient, wav_bytes: bytes) -> None:
    created = tus.client.post(
        "/second/uploads/", headers={**TUS, "Upload-Length": str(len(wav_bytes))}
    )
    assert created.status_code == 201
    location = created["Location"]
    assert location.startswith("/second/uploads/")
    assert tus.patch(location, 0, wav_bytes).status_code == 204
    # Both mounts reach the same upload.
    assert tus.head(f"/uploads/{upload_id(location)}")["Upload-Offset"] == str(len(wav_bytes))
