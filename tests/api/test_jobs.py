"""Every endpoint with a real client, real uploads over tus and the real engine; ownership
across two users for every endpoint; validation errors that name their field."""

from __future__ import annotations

import uuid

import pytest
import soundfile as sf
from django.core.files.storage import default_storage

from masterbus.mastering.models import Job, Song
from masterbus.mastering.runner import job_run
from masterbus.uploads.models import Upload
from tests.api.conftest import ApiClient
from tests.support.ffmeter import measure

# Real commits: the worker's heartbeat thread writes through its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


def _run(job_id: str) -> None:
    """What a worker does with the queued task, in this process."""
    job_run(job_id=job_id)


def _master(api: ApiClient, data: bytes, **options) -> dict:
    created = api.post("/api/v1/jobs", {"upload_id": api.upload(data), **options})
    assert created.status_code == 201, created.content
    _run(created.json()["id"])
    return api.get(f"/api/v1/jobs/{created.json()['id']}").json()


def _download(api: ApiClient, url: str, tmp_path, name: str):
    response = api.get(url)
    assert response.status_code == 200, response.content
    path = tmp_path / name
    path.write_bytes(b"".join(response.streaming_content))
    return response, path


def test_upload_master_remaster_download_delete(alice_api: ApiClient, short_song, tmp_path):
    upload_id = alice_api.upload(short_song.read_bytes(), "Night Drive.wav")
    created = alice_api.post(
        "/api/v1/jobs",
        {"upload_id": upload_id, "target": "streaming", "style": "warm", "intensity": 60},
    )
    assert created.status_code == 201, created.content
    job = created.json()
    assert job["status"] == "queued" and job["version"] == 1 and job["title"] == "Night Drive.wav"
    assert job["settings"]["target_lufs"] == -14.0 and job["settings"]["style"] == "warm"
    assert job["report_url"] is None and job["deliveries"] == []
    # The report and files are not there before the job is done.
    assert alice_api.get(f"/api/v1/jobs/{job['id']}/report").json()["code"] == "not_ready"
    assert alice_api.get(f"/api/v1/jobs/{job['id']}/files/wav24").status_code == 409
    # The same upload twice is the same job (a retried request makes no second song).
    again = alice_api.post("/api/v1/jobs", {"upload_id": upload_id})
    assert again.status_code == 201 and again.json()["id"] == job["id"]

    _run(job["id"])
    done = alice_api.get(f"/api/v1/jobs/{job['id']}").json()
    assert done["status"] == "done" and done["progress"] == 1.0 and done["error"] is None
    assert sorted(d["format"] for d in done["deliveries"]) == ["flac", "mp3", "wav16", "wav24"]

    report = alice_api.get(done["report_url"]).json()
    assert report["output"]["integrated_lufs"] == pytest.approx(-14.0, abs=0.5)
    urls = {d["format"]: d["url"] for d in done["deliveries"]}
    response, wav = _download(alice_api, urls["wav24"], tmp_path, "master.wav")
    assert "attachment" in response["Content-Disposition"]
    assert sf.info(str(wav)).subtype == "PCM_24"
    loudness = measure(wav)  # ffmpeg's ebur128, not our own meter
    assert abs(loudness.integrated_lufs + 14.0) <= 0.5 and loudness.true_peak_dbtp <= -0.9
    _, mp3 = _download(alice_api, urls["mp3"], tmp_path, "master.mp3")
    assert mp3.read_bytes()[:3] == b"ID3" or mp3.read_bytes()[0] == 0xFF
    assert len(mp3.read_bytes()) == next(
        d["size"] for d in done["deliveries"] if d["format"] == "mp3"
    )
    ranged = alice_api.get(urls["flac"], Range="bytes=0-3")
    assert ranged.status_code == 206 and b"".join(ranged.streaming_content) == b"fLaC"

    remastered = alice_api.post(
        f"/api/v1/jobs/{job['id']}/remaster", {"target": -16, "ceiling": -2, "style": "bright"}
    )
    assert remastered.status_code == 201, remastered.content
    second = remastered.json()
    assert second["song_id"] == job["song_id"] and second["version"] == 2
    _run(second["id"])
    second = alice_api.get(f"/api/v1/jobs/{second['id']}").json()
    wav16 = next(d["url"] for d in second["deliveries"] if d["format"] == "wav16")
    _, path = _download(alice_api, wav16, tmp_path, "v2.wav")
    loudness = measure(path)
    assert abs(loudness.integrated_lufs + 16.0) <= 0.5 and loudness.true_peak_dbtp <= -1.9

    listed = alice_api.get("/api/v1/jobs").json()
    assert [j["id"] for j in listed["items"]] == [second["id"], job["id"]]
    assert listed["count"] == 2 and listed["next"] is None

    song = Song.objects.get(pk=job["song_id"])
    names = [song.original] + [d.file for j in song.jobs.all() for d in j.deliveries.all()]
    assert alice_api.delete(f"/api/v1/songs/{job['song_id']}").status_code == 204
    assert alice_api.get(f"/api/v1/jobs/{job['id']}").json()["code"] == "not_found"
    assert alice_api.get("/api/v1/jobs").json()["items"] == []
    assert not any(default_storage.exists(name) for name in names)


def test_a_reference_upload_and_the_cli_options(alice_api: ApiClient, short_song, song_path):
    """target omitted with a reference: match the reference's loudness (as the CLI does)."""
    reference = alice_api.upload(song_path.read_bytes(), "ref.wav")
    job = _master(alice_api, short_song.read_bytes(), reference_upload_id=reference, amount=50)
    assert job["status"] == "done", job["error"]
    assert job["settings"]["target_lufs"] is None and job["settings"]["reference_amount"] == 50
    assert job["reference_name"] == "ref.wav"
    report = alice_api.get(job["report_url"]).json()
    reference_lufs = measure(song_path).integrated_lufs
    assert report["output"]["integrated_lufs"] == pytest.approx(reference_lufs, abs=0.7)


def test_no_endpoint_shows_or_touches_another_users_data(
    alice_api: ApiClient, bob_api: ApiClient, short_song, tmp_path
):
    job = _master(alice_api, short_song.read_bytes())
    assert job["status"] == "done"
    waiting = alice_api.upload(short_song.read_bytes(), "second.wav")
    create = bob_api.tus(
        "post", "/api/v1/uploads/", **{"Upload-Length": "10"}
    )  # bob's own upload, unfinished
    bobs_upload = create["Location"]

    assert bob_api.get("/api/v1/jobs").json()["count"] == 0
    for url in (
        f"/api/v1/jobs/{job['id']}",
        job["report_url"],
        *(d["url"] for d in job["deliveries"]),
    ):
        response = bob_api.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found", url
    assert bob_api.post(f"/api/v1/jobs/{job['id']}/remaster").status_code == 404
    assert bob_api.delete(f"/api/v1/songs/{job['song_id']}").status_code == 404
    taken = bob_api.post("/api/v1/jobs", {"upload_id": waiting})
    assert taken.status_code == 404 and taken.json()["code"] == "not_found"
    # A reference must be the caller's own upload too.
    bobs_song = _master(bob_api, short_song.read_bytes())
    stolen_ref = bob_api.post(
        f"/api/v1/jobs/{bobs_song['id']}/remaster", {"reference_upload_id": waiting}
    )
    assert stolen_ref.status_code == 404 and stolen_ref.json()["code"] == "not_found"
    assert Upload.objects.filter(pk=waiting).exists()
    assert [j["id"] for j in bob_api.get("/api/v1/jobs").json()["items"]] == [bobs_song["id"]]
    # tus: bob can neither read, append to nor delete alice's upload; alice not bob's.
    second = alice_api.upload(short_song.read_bytes(), "third.wav")
    location = f"/api/v1/uploads/{second}"
    assert bob_api.tus("head", location).status_code == 404
    patched = bob_api.tus("patch", location, b"x", **{"Upload-Offset": "0"})
    assert patched.status_code == 404 and patched.json()["code"] == "not_found"
    assert bob_api.tus("delete", location).status_code == 404
    assert alice_api.tus("head", bobs_upload).status_code == 404
    assert alice_api.tus("head", location).status_code == 200

    # Nothing of alice's changed.
    assert Job.objects.filter(song_id=job["song_id"]).count() == 1
    assert Upload.objects.filter(pk__in=[waiting, second]).count() == 2
    assert alice_api.get(job["deliveries"][0]["url"]).status_code == 200


def test_validation_errors_name_the_field(alice_api: ApiClient):
    upload = str(uuid.uuid4())
    cases = {
        "upload_id": {},
        "ceiling": {"upload_id": upload, "ceiling": 3},
        "style": {"upload_id": upload, "style": "loudest"},
        "target": {"upload_id": upload, "target": "spotify"},
        "intensity": {"upload_id": upload, "intensity": 101},
        "amount": {"upload_id": upload, "amount": -5},
        "reference_upload_id": {"upload_id": upload, "reference_upload_id": "nope"},
    }
    for field, body in cases.items():
        response = alice_api.post("/api/v1/jobs", body)
        assert response.status_code == 422, (field, response.content)
        error = response.json()
        assert error["code"] == "validation_error" and error["field"] == field
        assert field in error["message"]
    # The engine's own words reach the user.
    out_of_range = alice_api.post("/api/v1/jobs", {"upload_id": upload, "target": -60}).json()
    assert "out of range" in out_of_range["message"]
    bad_path = alice_api.get("/api/v1/jobs/not-a-uuid")
    assert bad_path.status_code == 422 and bad_path.json()["field"] == "job_id"
    bad_format = alice_api.get(f"/api/v1/jobs/{uuid.uuid4()}/files/wav64")
    assert bad_format.status_code == 422 and bad_format.json()["field"] == "fmt"
    for unknown in (alice_api.get("/api/v1/nothing"), alice_api.post("/api/v1/jobs/x/y")):
        assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    broken = alice_api.client.post(
        "/api/v1/jobs", "{not json", content_type="application/json", headers=alice_api.auth
    )
    assert broken.status_code in (400, 422) and "code" in broken.json()


def test_unknown_and_unfinished_uploads(alice_api: ApiClient):
    unknown = alice_api.post("/api/v1/jobs", {"upload_id": str(uuid.uuid4())})
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    created = alice_api.tus("post", "/api/v1/uploads/", **{"Upload-Length": "1000"})
    unfinished = created["Location"].rsplit("/", 1)[-1]
    response = alice_api.post("/api/v1/jobs", {"upload_id": unfinished})
    assert response.status_code == 409 and response.json()["code"] == "not_masterable"
    assert "not finished" in response.json()["message"]


def test_tus_errors_are_json_with_the_uploads_codes(alice_api: ApiClient):
    no_length = alice_api.tus("post", "/api/v1/uploads/")
    assert no_length.status_code == 400 and no_length.json()["code"] == "bad_request"
    assert no_length["Tus-Resumable"] == "1.0.0"
    created = alice_api.tus("post", "/api/v1/uploads/", **{"Upload-Length": "4"})
    location = created["Location"]
    wrong = alice_api.tus("patch", location, b"ab", **{"Upload-Offset": "1"})
    assert wrong.status_code == 409 and wrong.json()["code"] == "offset_mismatch"
    not_audio = alice_api.tus("patch", location, b"abcd", **{"Upload-Offset": "0"})
    assert not_audio.status_code == 422 and not_audio.json()["code"] == "not_audio"
    options = alice_api.client.options("/api/v1/uploads/")  # discovery needs no token
    assert options.status_code == 204 and "creation" in options["Tus-Extension"]


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert {"/api/v1/jobs", "/api/v1/jobs/{job_id}", "/api/v1/songs/{song_id}"} <= set(
        schema["paths"]
    )
    assert (
        "BearerAuth" in str(schema["components"]["securitySchemes"])
        or schema["components"]["securitySchemes"]
    )
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn.jsdelivr" not in docs.content  # served by us: works on a closed network
