"""Style previews of an upload through the page's endpoints: asked for, rendered by the worker's
service, played, owner-scoped, bounded, and deleted with the upload."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from masterbus.engine import STYLES
from masterbus.mastering.models import Job
from masterbus.uploads import preview_runner
from masterbus.uploads.models import PreviewSet, PreviewStatus, Upload
from masterbus.uploads.preview_runner import preview_set_run
from masterbus.uploads.selectors import upload_file_path
from masterbus.uploads.services import upload_delete, upload_purge_expired
from tests.uploads.helpers import TusClient, encode_audio, upload_id

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {"target": "loud", "style": "balanced", "intensity": "70"}


@pytest.fixture(scope="module")
def song_bytes() -> bytes:
    return encode_audio(12.0, seed=3)


def _uploaded(client: Client, data: bytes) -> str:
    location, response = TusClient(client).upload(data)
    assert response.status_code == 204
    return upload_id(location)


def _ask(client: Client, upload: str, **form):
    return client.post(f"/uploads/{upload}/previews", {**FORM, **form})


def _ready(client: Client, upload: str, **form) -> dict:
    """Ask, run the worker's side (the test database has no worker), then read the set."""
    asked = _ask(client, upload, **form)
    assert asked.status_code == 202, asked.content
    preview_set_run(preview_set_id=asked.json()["id"])
    polled = client.get(f"/uploads/{upload}/previews/{asked.json()['id']}")
    assert polled.status_code == 200
    return polled.json()


def test_previews_of_every_style_play_and_their_settings_master_the_song(
    client: Client, song_bytes: bytes
) -> None:
    upload = _uploaded(client, song_bytes)
    asked = _ask(client, upload)
    assert asked.json()["status"] == "queued" and asked.json()["previews"] == []
    found = _ready(client, upload)
    assert found["status"] == "done", found
    assert [p["name"] for p in found["previews"]] == ["original", *STYLES]
    for preview in found["previews"]:
        audio = client.get(preview["url"], headers={"Range": "bytes=0-99"})
        assert audio.status_code == 206 and audio["Content-Type"] == "audio/x-wav"
    warm = next(p for p in found["previews"] if p["name"] == "warm")
    assert warm["settings"]["style"] == "warm" and warm["settings"]["intensity"] == 70
    assert warm["settings"]["target_lufs"] == -9.0
    # Asking again with the same settings gives the same set, and no new work.
    again = _ask(client, upload, style="open")  # the style does not change the set
    assert again.json()["id"] == found["id"] and again.json()["status"] == "done"
    # Choosing warm and pressing Master: the job has exactly the preview's settings.
    master = client.post(
        "/master", {"upload_id": upload, "target": "loud", "style": "warm", "intensity": "70"}
    )
    assert master.status_code == 302, master.content
    job = Job.objects.get()
    assert job.settings == warm["settings"]
    # Mastering took the upload's bytes and its row: the previews' files went with it.
    assert not PreviewSet.objects.exists()
    assert not default_storage.exists(f"previews/{upload.replace('-', '')}")


def test_previews_are_the_owners_only(client: Client, song_bytes: bytes) -> None:
    upload = _uploaded(client, song_bytes)
    found = _ready(client, upload)
    stranger = Client()
    TusClient(stranger).upload(encode_audio(1.0))  # a guest of their own
    assert _ask(stranger, upload).status_code == 404
    assert stranger.get(f"/uploads/{upload}/previews/{found['id']}").status_code == 404
    assert stranger.get(found["previews"][0]["url"]).status_code == 404
    assert Client().get(found["previews"][0]["url"]).status_code == 404


def test_previews_are_bounded_per_upload(client: Client, song_bytes: bytes, settings) -> None:
    settings.PREVIEW_SETS_PER_UPLOAD = 2
    upload = _uploaded(client, song_bytes)
    assert _ask(client, upload, intensity="10").status_code == 202
    assert _ask(client, upload, intensity="20").status_code == 202
    refused = _ask(client, upload, intensity="30")
    assert refused.status_code == 429 and refused.json()["code"] == "quota_exceeded"
    assert _ask(client, upload, intensity="20").status_code == 202  # an existing set still is
    assert PreviewSet.objects.count() == 2


def test_previews_are_rate_limited_per_owner(client: Client, song_bytes: bytes, settings) -> None:
    settings.RATE_LIMIT_PREVIEWS = "2/h"
    upload = _uploaded(client, song_bytes)
    assert _ask(client, upload, intensity="11").status_code == 202
    assert _ask(client, upload, intensity="12").status_code == 202
    refused = _ask(client, upload, intensity="13")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"


def test_bad_requests_get_clear_errors(client: Client, song_bytes: bytes) -> None:
    upload = _uploaded(client, song_bytes)
    bad = _ask(client, upload, intensity="300")
    assert bad.status_code == 400 and "100" in bad.json()["message"]
    assert _ask(client, "0" * 32).status_code == 404
    created = TusClient(client).create(1000)  # not finished yet
    unfinished = _ask(client, upload_id(created["Location"]))
    assert unfinished.status_code == 409 and unfinished.json()["code"] == "not_complete"
    found = _ready(client, upload)
    missing = client.get(f"/uploads/{upload}/previews/{found['id']}/nothing")
    assert missing.status_code == 404


def test_a_file_that_cannot_be_decoded_fails_the_set_with_a_message(
    client: Client, song_bytes: bytes
) -> None:
    upload = _uploaded(client, song_bytes)
    asked = _ask(client, upload).json()
    path = upload_file_path(Upload.objects.get(pk=upload))
    path.write_bytes(path.read_bytes()[:60])  # damaged after the upload was checked
    preview_set_run(preview_set_id=asked["id"])
    failed = client.get(f"/uploads/{upload}/previews/{asked['id']}").json()
    assert failed["status"] == "failed" and failed["error"].startswith("The previews could not")
    # asking again tries again
    assert _ask(client, upload).json()["status"] == "queued"


def test_a_set_whose_worker_died_is_rendered_again_when_asked_again(
    client: Client, song_bytes: bytes, settings
) -> None:
    upload = _uploaded(client, song_bytes)
    asked = _ask(client, upload).json()
    PreviewSet.objects.filter(pk=asked["id"]).update(
        status=PreviewStatus.RUNNING, started_at=timezone.now()
    )
    assert _ask(client, upload).json()["status"] == "running"  # still within its time
    settings.PREVIEW_STALE_SECONDS = 0
    assert _ask(client, upload).json()["status"] == "queued"
    preview_set_run(preview_set_id=asked["id"])
    assert PreviewSet.objects.get(pk=asked["id"]).status == PreviewStatus.DONE
    preview_set_run(preview_set_id=asked["id"])  # a second task for the same set does nothing
    assert PreviewSet.objects.get(pk=asked["id"]).status == PreviewStatus.DONE


def test_deleting_or_expiring_the_upload_deletes_the_previews(
    client: Client, song_bytes: bytes
) -> None:
    upload = _uploaded(client, song_bytes)
    found = _ready(client, upload)
    names = list(PreviewSet.objects.get(pk=found["id"]).files.values())
    assert len(names) == 5 and all(default_storage.exists(n) for n in names)
    upload_delete(upload=Upload.objects.get(pk=upload))
    assert not any(default_storage.exists(n) for n in names)
    # the guest expiry goes through the same delete
    second = _uploaded(client, song_bytes)
    found = _ready(client, second)
    names = list(PreviewSet.objects.get(pk=found["id"]).files.values())
    Upload.objects.filter(pk=second).update(expires_at="2000-01-01T00:00:00Z")
    assert upload_purge_expired() == 1
    assert not any(default_storage.exists(n) for n in names)


def test_a_set_whose_upload_went_mid_render_leaves_no_files(
    client: Client, song_bytes: bytes, monkeypatch
) -> None:
    upload = _uploaded(client, song_bytes)
    asked = _ask(client, upload).json()
    real_store = preview_runner.storage.store

    def store_then_delete(name: str, path: Path) -> str:
        Upload.objects.filter(pk=upload).delete()  # the person deleted the upload meanwhile
        return real_store(name, path)

    monkeypatch.setattr(preview_runner.storage, "store", store_then_delete)
    preview_set_run(preview_set_id=asked["id"])
    assert not PreviewSet.objects.exists()
    assert not default_storage.exists(f"previews/{upload.replace('-', '')}")
