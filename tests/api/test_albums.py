"""Album jobs, paging of GET /jobs and version delete in the API: real client, real uploads
over tus, the real engine; ownership across two users for every new operation."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.storage import default_storage

from masterbus.engine import MasterSettings
from masterbus.engine.api import master_album
from masterbus.mastering.models import Album, Job, JobStatus, Song
from masterbus.mastering.runner import job_run
from masterbus.uploads.models import Upload
from tests.api.conftest import ApiClient
from tests.support.ffmeter import measure
from tests.support.music import music_file

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def mixes(tmp_path_factory) -> list:
    folder = tmp_path_factory.mktemp("api-album")
    return [
        music_file(folder, seconds=4.0, lufs=-22.0, seed=31, name="a"),
        music_file(folder, seconds=4.0, lufs=-13.0, seed=32, name="b"),
    ]


def _run(album: dict) -> None:
    for track in album["tracks"]:
        job_run(job_id=track["job"]["id"])


def test_an_album_job_from_uploads_with_the_cli_options(alice_api: ApiClient, mixes, tmp_path):
    ids = [alice_api.upload(path.read_bytes(), f"{path.stem}.wav") for path in mixes]
    created = alice_api.post(
        "/api/v1/albums",
        {"upload_ids": ids, "title": "Two Songs", "target": -16, "ceiling": -1.5, "style": "warm"},
    )
    assert created.status_code == 201, created.content
    album = created.json()
    assert album["title"] == "Two Songs" and album["version"] == 1 and album["status"] == "queued"
    assert album["settings"]["target_lufs"] == -16.0 and album["settings"]["style"] == "warm"
    assert [t["track"] for t in album["tracks"]] == [1, 2]
    assert [t["job"]["title"] for t in album["tracks"]] == ["a.wav", "b.wav"]
    assert all(t["job"]["album_id"] == album["id"] for t in album["tracks"])
    assert not Upload.objects.filter(pk__in=ids).exists()  # the songs took the bytes
    # The same uploads again (a retried request) are the same album.
    again = alice_api.post("/api/v1/albums", {"upload_ids": ids})
    assert again.status_code == 201 and again.json()["id"] == album["id"]
    assert Album.objects.count() == 1

    _run(album)
    done = alice_api.get(f"/api/v1/albums/{album['id']}").json()
    assert done["status"] == "done" and done["progress"] == 1.0
    engine = master_album(
        mixes, tmp_path / "engine", MasterSettings(target_lufs=-16.0, ceiling_dbtp=-1.5)
    )
    expected = [report["album"]["track_target_lufs"] for report in engine]
    assert [t["album_target_lufs"] for t in done["tracks"]] == expected
    # Each track downloads through the job's own delivery endpoint; ffmpeg is the ruler.
    for track, target in zip(done["tracks"], expected, strict=True):
        url = next(d["url"] for d in track["job"]["deliveries"] if d["format"] == "wav24")
        response = alice_api.get(url)
        path = tmp_path / f"{track['track']}.wav"
        path.write_bytes(b"".join(response.streaming_content))
        loudness = measure(path)
        assert abs(loudness.integrated_lufs - target) <= 0.5 and loudness.true_peak_dbtp <= -1.4

    remastered = alice_api.post(f"/api/v1/albums/{album['id']}/remaster", {"target": "loud"})
    assert remastered.status_code == 201, remastered.content
    second = remastered.json()
    assert second["version"] == 2 and second["versions"] == [1, 2]
    assert [t["job"]["version"] for t in second["tracks"]] == [2, 2]
    first = alice_api.get(f"/api/v1/albums/{album['id']}?version=1").json()
    assert first["version"] == 1 and first["status"] == "done"
    assert alice_api.get(f"/api/v1/albums/{album['id']}?version=9").status_code == 404
    for bad in ("version=0", f"version={2**40}", "versoin=1"):
        refused = alice_api.get(f"/api/v1/albums/{album['id']}?{bad}")
        assert refused.status_code == 422 and refused.json()["field"] == bad.split("=")[0]
    listed = alice_api.get("/api/v1/albums").json()
    assert listed["count"] == 1 and listed["items"][0]["version"] == 2

    names = [s.original for s in Song.objects.all()]
    names += [d.file for job in Job.objects.all() for d in job.deliveries.all()]
    assert alice_api.delete(f"/api/v1/albums/{album['id']}").status_code == 204
    assert alice_api.get(f"/api/v1/albums/{album['id']}").json()["code"] == "not_found"
    assert not Song.objects.exists() and not Job.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_album_requests_that_cannot_work_say_why(alice_api: ApiClient, mixes):
    upload = alice_api.upload(mixes[0].read_bytes(), "a.wav")
    cases = [
        ({"upload_ids": []}, 422, "validation_error"),
        ({"upload_ids": ["x"]}, 422, "validation_error"),
        ({"upload_ids": [upload] * 31}, 422, "validation_error"),
        ({"upload_ids": [upload, upload]}, 409, "not_masterable"),
        ({"upload_ids": [upload], "reference_upload_id": upload}, 409, "not_masterable"),
        ({"upload_ids": [upload, str(uuid.uuid4())]}, 404, "not_found"),
        ({"upload_ids": [upload], "intensity": 101}, 422, "validation_error"),
    ]
    for body, status, code in cases:
        response = alice_api.post("/api/v1/albums", body)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    assert response.json()["field"] == "intensity"
    assert not Album.objects.exists() and Upload.objects.filter(pk=upload).exists()


def test_no_album_operation_shows_or_touches_another_users_data(
    alice_api: ApiClient, bob_api: ApiClient, mixes
):
    ids = [alice_api.upload(path.read_bytes(), path.name) for path in mixes]
    album = alice_api.post("/api/v1/albums", {"upload_ids": ids[:1]}).json()
    assert bob_api.get("/api/v1/albums").json()["count"] == 0
    assert bob_api.get(f"/api/v1/albums/{album['id']}").status_code == 404
    assert bob_api.post(f"/api/v1/albums/{album['id']}/remaster").status_code == 404
    assert bob_api.delete(f"/api/v1/albums/{album['id']}").status_code == 404
    stolen = bob_api.post("/api/v1/albums", {"upload_ids": ids[1:]})
    assert stolen.status_code == 404 and stolen.json()["code"] == "not_found"
    job_id = album["tracks"][0]["job"]["id"]
    assert bob_api.delete(f"/api/v1/jobs/{job_id}").status_code == 404
    assert Album.objects.count() == 1 and Job.objects.filter(pk=job_id).exists()
    assert Upload.objects.filter(pk=ids[1]).exists()


def test_jobs_are_listed_a_page_at_a_time_in_a_stable_order(
    alice_api: ApiClient, bob_api: ApiClient, mixes
):
    made = [
        alice_api.post("/api/v1/jobs", {"upload_id": alice_api.upload(mixes[0].read_bytes())})
        for _ in range(5)
    ]
    ids = [response.json()["id"] for response in made]
    # Two jobs created in the same instant still have one order (the id breaks the tie).
    Job.objects.filter(pk__in=ids[1:3]).update(created_at=Job.objects.get(pk=ids[1]).created_at)
    seen, url, pages = [], "/api/v1/jobs?limit=2", 0
    while url:
        page = alice_api.get(url).json()
        assert page["count"] == 5 and len(page["items"]) <= 2
        assert (page["previous"] is None) == (pages == 0)
        seen += [job["id"] for job in page["items"]]
        url, pages = page["next"], pages + 1
    assert pages == 3 and sorted(seen) == sorted(ids) and len(set(seen)) == 5
    assert [j["id"] for j in alice_api.get("/api/v1/jobs").json()["items"]] == seen
    assert seen[0] == ids[-1]  # newest first
    last = alice_api.get("/api/v1/jobs?limit=2&offset=4").json()
    assert last["previous"] == "/api/v1/jobs?limit=2&offset=2" and last["next"] is None
    assert alice_api.get("/api/v1/jobs?offset=99").json()["items"] == []
    for bad in ("limit=0", "limit=101", "offset=-1", "limit=x", "limt=3"):
        response = alice_api.get(f"/api/v1/jobs?{bad}")
        assert response.status_code == 422 and response.json()["code"] == "validation_error"
        assert response.json()["field"] == bad.split("=")[0]
    assert bob_api.get("/api/v1/jobs?limit=100").json() == {
        "count": 0, "next": None, "previous": None, "items": []
    }  # fmt: skip


def test_one_version_is_deleted_and_the_song_stays(alice_api: ApiClient, mixes):
    created = alice_api.post("/api/v1/jobs", {"upload_id": alice_api.upload(mixes[1].read_bytes())})
    first = created.json()
    job_run(job_id=first["id"])
    second = alice_api.post(f"/api/v1/jobs/{first['id']}/remaster", {"target": -18}).json()
    # Queued or being mastered: refused with a clear 409.
    for status in (JobStatus.QUEUED, JobStatus.MASTERING):
        Job.objects.filter(pk=second["id"]).update(status=status)
        busy = alice_api.delete(f"/api/v1/jobs/{second['id']}")
        assert busy.status_code == 409 and busy.json()["code"] == "job_busy"
        assert "still being mastered" in busy.json()["message"]
    Job.objects.filter(pk=second["id"]).update(status=JobStatus.QUEUED)
    job_run(job_id=second["id"])

    job = Job.objects.get(pk=first["id"])
    files = [job.preview, job.original_preview, *job.deliveries.values_list("file", flat=True)]
    assert len(files) == 6 and all(default_storage.exists(name) for name in files)
    assert alice_api.delete(f"/api/v1/jobs/{first['id']}").status_code == 204
    assert alice_api.get(f"/api/v1/jobs/{first['id']}").status_code == 404
    assert not any(default_storage.exists(name) for name in files)
    assert alice_api.get(f"/api/v1/jobs/{second['id']}").json()["status"] == "done"
    assert Song.objects.filter(pk=first["song_id"]).exists()
    only = alice_api.delete(f"/api/v1/jobs/{second['id']}")
    assert only.status_code == 409 and only.json()["code"] == "last_version"
    assert alice_api.delete(f"/api/v1/jobs/{first['id']}").status_code == 404
