"""Style previews through the API: ask, poll, download, master with a preview's settings;
owner-scoped, bounded, in the OpenAPI schema."""

from __future__ import annotations

import io

import pytest
import soundfile as sf

from masterbus.engine import STYLES
from masterbus.uploads.preview_runner import preview_set_run
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def _asked(api: ApiClient, upload_id: str, **options):
    return api.post(f"/api/v1/uploads/{upload_id}/previews", options)


def test_ask_poll_download_and_master_with_a_previews_settings(
    alice_api: ApiClient, short_song
) -> None:
    upload_id = alice_api.upload(short_song.read_bytes())
    asked = _asked(alice_api, upload_id, target="apple", intensity=30)
    assert asked.status_code == 202, asked.content
    body = asked.json()
    assert body["status"] == "queued" and body["target_lufs"] == -16.0 and body["previews"] == []
    preview_set_run(preview_set_id=body["id"])  # the worker's side (no worker in tests)
    found = alice_api.get(f"/api/v1/uploads/{upload_id}/previews/{body['id']}").json()
    assert found["status"] == "done"
    assert [p["name"] for p in found["previews"]] == ["original", *STYLES]
    assert alice_api.get(f"/api/v1/uploads/{upload_id}/previews").json() == [found]
    bright = next(p for p in found["previews"] if p["name"] == "bright")
    audio = alice_api.get(bright["url"])
    assert audio.status_code == 200
    samples, _rate = sf.read(io.BytesIO(b"".join(audio.streaming_content)))
    assert len(samples) > 0
    # The same settings again: the same set.
    assert _asked(alice_api, upload_id, target=-16, intensity=30).json()["id"] == body["id"]
    # Master with the preview's settings: the job has exactly them.
    job = alice_api.post("/api/v1/jobs", {"upload_id": upload_id, "style": "bright",
                                          "target": -16, "intensity": 30})  # fmt: skip
    assert job.status_code == 201, job.content
    assert job.json()["settings"] == bright["settings"]


def test_previews_are_the_owners_only(alice_api: ApiClient, bob_api: ApiClient, short_song):
    upload_id = alice_api.upload(short_song.read_bytes())
    body = _asked(alice_api, upload_id).json()
    preview_set_run(preview_set_id=body["id"])
    assert _asked(bob_api, upload_id).status_code == 404
    assert bob_api.get(f"/api/v1/uploads/{upload_id}/previews").status_code == 404
    assert bob_api.get(f"/api/v1/uploads/{upload_id}/previews/{body['id']}").status_code == 404
    url = f"/api/v1/uploads/{upload_id}/previews/{body['id']}/files/original"
    assert bob_api.get(url).status_code == 404
    assert alice_api.get(url).status_code == 200


def test_bad_requests_get_clear_errors(alice_api: ApiClient, short_song, settings) -> None:
    upload_id = alice_api.upload(short_song.read_bytes())
    bad = _asked(alice_api, upload_id, intensity=101)
    assert bad.status_code == 422
    assert _asked(alice_api, upload_id, target="quiet").status_code == 422
    body = _asked(alice_api, upload_id).json()
    files = f"/api/v1/uploads/{upload_id}/previews/{body['id']}/files"
    assert alice_api.get(f"{files}/original").json()["code"] == "not_ready"
    assert alice_api.get(f"{files}/nothing").status_code == 422
    settings.PREVIEW_SETS_PER_UPLOAD = 1
    over = _asked(alice_api, upload_id, intensity=10)
    assert over.status_code == 429 and over.json()["code"] == "quota_exceeded"


def test_the_previews_are_in_the_openapi_schema(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/uploads/{upload_id}/previews"]
    assert "get" in paths["/api/v1/uploads/{upload_id}/previews/{set_id}/files/{name}"]
