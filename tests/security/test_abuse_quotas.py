"""Resource amplifiers: one owner cannot fill the queue, re-master without end, or fill the disk.

Each refusal is a 429 with a plain message: on the page for the web (not a crash), JSON with a
stable code on the API (``quota_exceeded``, or ``rate_limited`` with Retry-After).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from masterbus.accounts.owner import Owner
from masterbus.api.services import token_create
from masterbus.mastering.errors import QuotaError
from masterbus.mastering.models import Job, JobStatus, Song
from masterbus.mastering.services.options import settings_from_form
from masterbus.mastering.services.songs import song_create_from_upload
from masterbus.uploads.models import Upload, UploadStatus
from tests.security import forge
from tests.uploads.helpers import TusClient, metadata_header, upload_id

pytestmark = pytest.mark.django_db

SETTINGS = {"target": "streaming", "style": "balanced", "intensity": "50"}
WAV = forge.wav(frames=44100)  # 1 s of stereo silence: 176 KB


@pytest.fixture(autouse=True)
def fresh_counters():
    """Rate counters are keyed by owner, and a rolled-back SQLite test reuses user ids."""
    cache.clear()


def guest_upload(client: Client, data: bytes = WAV) -> str:
    location, done = TusClient(client).upload(data, filename="mix.wav")
    assert done.status_code == 204, done.content
    return upload_id(location)


def guest_master(client: Client):
    return client.post("/master", {**SETTINGS, "upload_id": guest_upload(client)})


class Api:
    def __init__(self, user) -> None:
        self.client = Client()
        self.auth = {"Authorization": f"Bearer {token_create(user=user, name='script')[1]}"}

    def post(self, url: str, data: dict):
        return self.client.post(url, data, content_type="application/json", headers=self.auth)

    def upload(self, data: bytes = WAV) -> str:
        headers = {**self.auth, "Tus-Resumable": "1.0.0"}
        created = self.client.post(
            "/api/v1/uploads/",
            headers={**headers, "Upload-Length": str(len(data)), "Upload-Metadata": ""},
        )
        done = self.client.patch(
            created["Location"],
            data,
            content_type="application/offset+octet-stream",
            headers={**headers, "Upload-Offset": "0", "Upload-Metadata": metadata_header()},
        )
        assert done.status_code == 204, done.content
        return upload_id(created["Location"])


def assert_page_refusal(response, says: str) -> None:
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert says in response.content.decode()


def test_a_guest_cannot_queue_more_than_its_quota_of_masters(settings, client: Client) -> None:
    settings.QUOTA_ACTIVE_JOBS_GUEST = 3
    for _ in range(3):
        assert guest_master(client).status_code == 302
    refused = guest_master(client)
    assert_page_refusal(refused, "at most 3 can be at once")
    assert refused["Retry-After"]
    assert Job.objects.count() == 3
    # One of them done: the next is accepted again.
    Job.objects.filter(pk=Job.objects.first().pk).update(status=JobStatus.DONE)
    assert guest_master(client).status_code == 302


def test_the_api_answers_the_job_quota_with_json(settings, alice) -> None:
    settings.QUOTA_ACTIVE_JOBS_USER = 2
    api = Api(alice)
    for _ in range(2):
        assert api.post("/api/v1/jobs", {"upload_id": api.upload()}).status_code == 201
    refused = api.post("/api/v1/jobs", {"upload_id": api.upload()})
    assert refused.status_code == 429
    assert refused.json()["code"] == "quota_exceeded"
    assert "at most 2" in refused.json()["message"]
    assert int(refused["Retry-After"]) > 0


def test_an_album_is_accepted_whole_while_under_the_quota_then_nothing_more(
    settings, alice
) -> None:
    settings.QUOTA_ACTIVE_JOBS_USER = 2
    api = Api(alice)
    created = api.post("/api/v1/albums", {"upload_ids": [api.upload() for _ in range(4)]})
    assert created.status_code == 201, created.content
    refused = api.post(f"/api/v1/albums/{created.json()['id']}/remaster", {"target": "loud"})
    assert refused.status_code == 429 and refused.json()["code"] == "quota_exceeded"
    assert Job.objects.count() == 4


def test_remasters_are_limited_per_hour_on_the_api(settings, alice) -> None:
    settings.RATE_LIMIT_REMASTERS = "30/h"  # the default
    api = Api(alice)
    first = api.post("/api/v1/jobs", {"upload_id": api.upload()}).json()
    answers = [
        api.post(f"/api/v1/jobs/{first['id']}/remaster", {"target": "loud"}) for _ in range(40)
    ]
    codes = [answer.status_code for answer in answers]
    assert codes == [201] * 30 + [429] * 10
    refused = answers[-1]
    assert refused.json()["code"] == "rate_limited"
    assert "at most 30 every hour" in refused.json()["message"]
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Job.objects.count() == 31


def test_album_and_song_remasters_share_the_owners_count(settings, alice) -> None:
    settings.RATE_LIMIT_REMASTERS = "2/h"
    api = Api(alice)
    job = api.post("/api/v1/jobs", {"upload_id": api.upload()}).json()
    album = api.post("/api/v1/albums", {"upload_ids": [api.upload()]}).json()
    assert api.post(f"/api/v1/jobs/{job['id']}/remaster", {}).status_code == 201
    assert api.post(f"/api/v1/albums/{album['id']}/remaster", {}).status_code == 201
    refused = api.post(f"/api/v1/albums/{album['id']}/remaster", {})
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"


def test_a_guest_remastering_too_often_gets_the_message_on_the_page(
    settings, client: Client
) -> None:
    settings.RATE_LIMIT_REMASTERS = "2/h"
    assert guest_master(client).status_code == 302
    song = Song.objects.get()
    url = f"/songs/{song.pk}/remaster"
    assert client.post(url, SETTINGS).status_code == 302
    assert client.post(url, SETTINGS).status_code == 302
    refused = client.post(url, SETTINGS)
    assert_page_refusal(refused, "Too many re-masters")
    assert int(refused["Retry-After"]) > 0
    assert song.jobs.count() == 3


def test_a_guest_cannot_store_more_than_its_quota(settings, client: Client) -> None:
    settings.QUOTA_GUEST_STORAGE_BYTES = len(WAV) * 2 + 1000
    guest_upload(client)
    guest_upload(client)
    refused = TusClient(client).create(len(WAV))
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("text/plain")
    assert "a guest can keep up to" in refused.content.decode()
    # Over the quota (a lower setting here), no new master starts either.
    settings.QUOTA_GUEST_STORAGE_BYTES = len(WAV) * 2 - 1
    upload = Upload.objects.filter(status=UploadStatus.COMPLETE).first()
    refused = client.post("/master", {**SETTINGS, "upload_id": str(upload.pk)})
    assert_page_refusal(refused, "a guest can keep up to")
    assert not Song.objects.exists()
    # Deleting brings the guest under it again.
    assert TusClient(client).delete(f"/uploads/{upload.pk}").status_code == 204
    other = Upload.objects.get(status=UploadStatus.COMPLETE)
    assert client.post("/master", {**SETTINGS, "upload_id": str(other.pk)}).status_code == 302


def test_accounts_have_no_storage_quota(settings, alice) -> None:
    settings.QUOTA_GUEST_STORAGE_BYTES = 1
    api = Api(alice)
    assert api.post("/api/v1/jobs", {"upload_id": api.upload()}).status_code == 201


def test_quotas_count_only_the_owners_own_jobs(settings, alice, bob) -> None:
    settings.QUOTA_ACTIVE_JOBS_USER = 1
    alice_api, bob_api = Api(alice), Api(bob)
    assert alice_api.post("/api/v1/jobs", {"upload_id": alice_api.upload()}).status_code == 201
    assert bob_api.post("/api/v1/jobs", {"upload_id": bob_api.upload()}).status_code == 201
    with pytest.raises(QuotaError):  # the service refuses as the API does
        song_create_from_upload(
            owner=Owner(user=alice, guest_key=None),
            upload_id=alice_api.upload(),
            master_settings=settings_from_form(target_lufs=-14, style="balanced", intensity=50),
        )


def test_the_schema_documents_the_quota_answers(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, codes in {
        "/api/v1/jobs": ["quota_exceeded"],
        "/api/v1/jobs/{job_id}/remaster": ["quota_exceeded", "rate_limited"],
        "/api/v1/albums/{album_id}/remaster": ["quota_exceeded", "rate_limited"],
    }.items():
        operation = paths[path]["post"]
        assert "429" in operation["responses"]
        assert all(code in operation["description"] for code in codes), path
