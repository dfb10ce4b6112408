"""Hostile audio through the real upload path (tus, as a guest): decode bombs and absurd headers
get a plain 4xx reason, the request stays cheap whatever the bytes say, and nothing answers 500.

The CPU time of each request is measured in this process (the test client runs the view here).
"""

from __future__ import annotations

import time

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from masterbus.accounts.owner import Owner
from masterbus.api.services import token_create
from masterbus.mastering.models import JobStatus, Song
from masterbus.mastering.runner import job_run
from masterbus.mastering.services.options import settings_from_form
from masterbus.mastering.services.songs import song_create_from_upload
from masterbus.uploads.models import Upload, UploadStatus
from masterbus.uploads.selectors import upload_file_path
from tests.security import forge
from tests.uploads.helpers import TusClient, encode_audio, metadata_header, upload_id

pytestmark = pytest.mark.django_db

# Generous for a 2-core machine under load; decoding the bomb costs 20-35 s.
REQUEST_CPU_LIMIT_S = 1.0
# 2e9 frames of stereo silence at 48 kHz (11.6 hours) in 547 KB: constant subframes.
BOMB_FRAMES = 2_000_000_000


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return forge.flac(frames=BOMB_FRAMES)


def send(client: Client, data: bytes, filename: str = "mix.flac"):
    """One whole file through the web's tus endpoint; (last response, CPU seconds, upload)."""
    tus = TusClient(client)
    started = time.process_time()
    location, response = tus.upload(data, filename=filename)
    spent = time.process_time() - started
    return response, spent, Upload.objects.get(pk=upload_id(location))


def assert_refused(response, upload: Upload, *, says: str = "") -> str:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("text/plain")
    message = response.content.decode()
    assert message and "<" not in message and "Traceback" not in message
    assert says in message
    assert upload.status == UploadStatus.FAILED and upload.error_message == message
    assert upload.stored_name == ""
    assert not (upload_file_path(upload) / "uploads" / upload.pk.hex).exists()  # bytes removed
    return message


def test_a_flac_decoding_to_hours_of_silence_is_refused_from_its_header(
    client: Client, bomb: bytes
) -> None:
    assert len(bomb) < 600_000
    response, spent, upload = send(client, bomb)
    assert spent < REQUEST_CPU_LIMIT_S, f"the request spent {spent:.2f} s of CPU"
    message = assert_refused(response, upload)
    assert "20:00" in message or "20 min" in message  # the limit, from the header alone


def test_a_flac_bomb_that_does_not_state_its_length_is_refused_cheaply(
    client: Client, bomb: bytes
) -> None:
    unknown = forge.flac(frames=BOMB_FRAMES, declared=0)
    response, spent, upload = send(client, unknown)
    assert spent < REQUEST_CPU_LIMIT_S, f"the request spent {spent:.2f} s of CPU"
    assert_refused(response, upload)


def test_long_silence_at_384_khz_is_refused_with_a_plain_reason(client: Client) -> None:
    # 10 minutes of stereo silence at 384 kHz: 230 M frames in 60 KB.
    data = forge.flac(rate=384000, frames=384000 * 600)
    response, spent, upload = send(client, data)
    assert_refused(response, upload, says="192 kHz")
    assert spent < REQUEST_CPU_LIMIT_S, f"the request spent {spent:.2f} s of CPU"


@pytest.mark.parametrize("rate", [192000, 96000, 44100])
def test_rates_up_to_192_khz_are_accepted(client: Client, rate: int) -> None:
    response, _, upload = send(client, forge.wav(rate=rate, frames=rate // 2), "mix.wav")
    assert response.status_code == 204, response.content
    assert upload.status == UploadStatus.COMPLETE
    assert upload.audio_info["sample_rate"] == rate


def test_an_operator_can_lower_the_rate_limit(client: Client, settings) -> None:
    settings.MAX_SAMPLE_RATE = 96000
    response, _, upload = send(client, forge.wav(rate=192000, frames=19200), "mix.wav")
    assert_refused(response, upload, says="please resample to 96 kHz or lower")


def test_the_api_refuses_a_high_rate_with_a_json_reason(alice) -> None:
    _, token = token_create(user=alice, name="script")
    client = Client()
    auth = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
    data = forge.wav(rate=384000, frames=38400)
    created = client.post(
        "/api/v1/uploads/",
        headers={**auth, "Upload-Length": str(len(data)), "Upload-Metadata": metadata_header()},
    )
    assert created.status_code == 201
    done = client.patch(
        created["Location"],
        data,
        content_type="application/offset+octet-stream",
        headers={**auth, "Upload-Offset": "0"},
    )
    assert done.status_code == 422
    body = done.json()
    assert body["code"] == "not_audio"
    assert "192 kHz or lower" in body["message"]


@pytest.mark.django_db(transaction=True)  # the job's heartbeat thread reads the committed row
def test_damaged_audio_behind_a_good_header_fails_its_job_in_plain_words(client: Client) -> None:
    """The upload check reads headers only; the worker's full decode finds the damage."""
    whole = encode_audio(3.0, fmt="FLAC", subtype="PCM_16")
    response, _, upload = send(client, whole[: len(whole) // 2])
    assert response.status_code == 204, response.content  # the header is fine
    owner = Owner(user=None, guest_key=upload.guest_key)
    settings = settings_from_form(target_lufs=-14, style="balanced", intensity=50)
    job = song_create_from_upload(owner=owner, upload_id=upload.pk, master_settings=settings)
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_message.startswith(
        "Your file could not be mastered: the audio data is damaged"
    )
    assert "original" not in job.error_message  # our storage name means nothing to them
    assert not job.deliveries.exists() and not job.is_active
    song = Song.objects.get(pk=job.song_id)
    assert default_storage.exists(song.original)  # kept: the song can be deleted or re-tried
    assert not Upload.objects.filter(pk=upload.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_holds_the_platforms_length_limit_too(client: Client, settings) -> None:
    """A stream whose header states no length is measured by decoding; the worker decodes
    again and stops at the platform's limit (not only the engine's hour)."""
    settings.MAX_AUDIO_SECONDS = 5
    response, _, upload = send(client, forge.flac(frames=48000 * 3, declared=0))
    assert response.status_code == 204, response.content
    settings.MAX_AUDIO_SECONDS = 2  # as if the file held more than its check saw
    job = song_create_from_upload(
        owner=Owner(user=None, guest_key=upload.guest_key),
        upload_id=upload.pk,
        master_settings=settings_from_form(target_lufs=-14, style="balanced", intensity=50),
    )
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED, job.error_message
    assert job.error_message.startswith("Your file could not be mastered: the audio is longer")
    assert "0:02" in job.error_message


# Hostile headers: each must be refused (4xx with a reason) or, where the bytes still hold
# real audio, accepted within the limits; never a 500, never an expensive request.
REFUSED = "refused"
EITHER = "either"
HOSTILE = {
    "wav rate 0": (forge.wav(rate=0), REFUSED),
    "wav rate 1 Hz": (forge.wav(rate=1), REFUSED),
    "wav rate 4 GHz": (forge.wav(rate=0xFFFFFFFF), REFUSED),
    "wav rate 384 kHz": (forge.wav(rate=384000), REFUSED),
    "wav 0 channels": (forge.wav(channels=0), REFUSED),
    "wav 3 channels": (forge.wav(channels=3), REFUSED),
    "wav 255 channels": (forge.wav(channels=255, frames=100), REFUSED),
    "wav 0 bits": (forge.wav(bits=0), REFUSED),
    "wav 7 bits": (forge.wav(bits=7), EITHER),
    "wav block align 0": (forge.wav(block_align=0), EITHER),
    "wav unknown format tag": (forge.wav(tag=0x1234), REFUSED),
    "wav data size 4 GB": (forge.wav(declared_bytes=0xFFFFFFFF), EITHER),
    "wav data size 0": (forge.wav(declared_bytes=0), REFUSED),
    "wav no frames": (forge.wav(frames=0), REFUSED),
    "wav header cut short": (forge.wav()[:30], REFUSED),
    "aiff rate 0": (forge.aiff(rate=0.0), REFUSED),
    "aiff rate infinite": (forge.aiff(rate=float("inf")), REFUSED),
    "aiff rate NaN": (forge.aiff(rate=float("nan")), REFUSED),
    "aiff rate 1e30": (forge.aiff(rate=1e30), REFUSED),
    "aiff 0 channels": (forge.aiff(channels=0), REFUSED),
    "aiff 3 channels": (forge.aiff(channels=3), REFUSED),
    "aiff 255 channels": (forge.aiff(channels=255, frames=100), REFUSED),
    "aiff frames 4 G": (forge.aiff(declared_frames=0xFFFFFFFF), EITHER),
    "aiff frames 0": (forge.aiff(declared_frames=0), EITHER),
    "flac states 11 hours": (forge.flac(frames=48000, declared=BOMB_FRAMES), REFUSED),
    "flac states no length": (forge.flac(frames=48000, declared=0), EITHER),
    "flac states 1 s, holds 1 min": (forge.flac(frames=48000 * 60, declared=48000), EITHER),
    "flac rate 0": (forge.flac(rate=0, frames=4800), REFUSED),
    "flac rate 1 MHz": (forge.flac(rate=1_000_000, frames=4800), REFUSED),
    "flac 3 channels": (forge.flac(channels=3, frames=4800), REFUSED),
    "flac 8 channels": (forge.flac(channels=8, frames=4800), REFUSED),
    "flac 4 bits": (forge.flac(bits=4, frames=4800), EITHER),
    "flac 32 bits": (forge.flac(bits=32, frames=4800), EITHER),
    "flac block size 16": (forge.flac(block=16, frames=4800), EITHER),
    "flac block sizes 0": (forge.flac(frames=4800, min_block=0, max_block=0), EITHER),
    "flac min block > max": (forge.flac(frames=4800, min_block=65535, max_block=16), EITHER),
    "flac no frames": (forge.flac(frames=0), REFUSED),
    "flac frame cut short": (forge.flac(frames=48000 * 2, block=4096)[:-7], EITHER),
    "flac only the marker": (b"fLaC", REFUSED),
    "mp3 garbage after frame headers": (forge.mp3_garbage(), EITHER),
    "mp3 ID3 tag claiming 256 MB": (forge.id3_only(), REFUSED),
    "mp3 sync words only": (b"\xff\xfb\x90\x64" * 2000, EITHER),
    "random bytes": (bytes(range(256)) * 64, REFUSED),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_headers_get_a_plain_answer_in_bounded_time(client: Client, name: str) -> None:
    data, expected = HOSTILE[name]
    response, spent, upload = send(client, data)
    assert response.status_code < 500
    if expected == REFUSED or response.status_code != 204:
        assert_refused(response, upload)
    else:
        info = upload.audio_info
        assert 8000 <= info["sample_rate"] <= 192000 and info["channels"] in (1, 2)
        assert 0 < info["duration_s"] <= 20 * 60
    assert spent < REQUEST_CPU_LIMIT_S, f"{name}: the request spent {spent:.2f} s of CPU"


VALID = [forge.wav(frames=8820), forge.aiff(frames=8820), forge.flac(frames=48000, block=4096)]


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    which=st.sampled_from(range(len(VALID))),
    position=st.integers(0, 63),
    patch=st.binary(min_size=1, max_size=8),
)
def test_any_header_mutation_gets_a_plain_answer_in_bounded_time(
    client: Client, which: int, position: int, patch: bytes
) -> None:
    original = VALID[which]
    data = original[:position] + patch + original[position + len(patch) :]
    response, spent, upload = send(client, data)
    assert response.status_code in (204, 422), (response.status_code, response.content[:200])
    if response.status_code == 422:
        assert_refused(response, upload)
    assert spent < REQUEST_CPU_LIMIT_S
