"""Bad files and hostile names: a clear message, no 500, no stray file, nothing else lost (P8)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django.template import Context, Template

from masterbus.uploads.models import Upload, UploadStatus
from masterbus.uploads.naming import MAX_DISPLAY_LENGTH, display_filename
from masterbus.uploads.selectors import upload_file_path
from tests.uploads.helpers import TusClient, encode_audio, tone_wav, upload_id

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = {
    "../../etc/passwd": "passwd",
    "C:\\Users\\me\\..\\Desktop\\mix.wav": "mix.wav",
    "/absolute/path/song.wav": "song.wav",
    "..": "untitled",
    "": "untitled",
    "<script>alert('x')</script>.wav": "script>.wav",
    "<img src=x onerror=alert(1)>.wav": "<img src=x onerror=alert(1)>.wav",
    "evil\x00name\n\r\t.wav": "evilname .wav",
    "\u202egnp.wav": "gnp.wav",  # a right-to-left override hides the real extension
    "a" * 300 + ".wav": "a" * (MAX_DISPLAY_LENGTH - 5) + "….wav",
}


@pytest.mark.parametrize(("raw", "shown"), list(HOSTILE_NAMES.items()))
def test_hostile_file_names_are_only_ever_labels(
    tus: TusClient, wav_bytes: bytes, media_root: Path, raw: str, shown: str
) -> None:
    location, last = tus.upload(wav_bytes, filename=raw)
    assert last.status_code == 204
    upload = Upload.objects.get(pk=upload_id(location))
    assert upload.status == UploadStatus.COMPLETE
    assert upload.filename == shown
    assert len(upload.filename) <= MAX_DISPLAY_LENGTH
    assert "/" not in upload.filename and "\\" not in upload.filename
    # The bytes live under the server's name, whatever the client called the file.
    assert upload_file_path(upload) == media_root / "uploads" / upload.pk.hex
    assert [p for p in media_root.rglob("*") if p.is_file()] == [upload_file_path(upload)]
    # HEAD echoes the cleaned name, never the raw one.
    pairs = dict(p.split(" ") for p in tus.head(location)["Upload-Metadata"].split(","))
    assert base64.b64decode(pairs["filename"]).decode() == shown


def test_an_html_name_is_escaped_wherever_a_template_shows_it() -> None:
    shown = display_filename("<img src=x onerror=alert(1)>.wav")
    html = Template("{{ name }}").render(Context({"name": shown}))
    assert "<img" not in html and "&lt;img" in html


def test_a_text_file_renamed_wav_fails_with_a_clear_message_and_loses_nothing_else(
    tus: TusClient, wav_bytes: bytes
) -> None:
    good_location, _ = tus.upload(wav_bytes, filename="good.wav")
    text = b"These are my lyrics, not audio.\n" * 200
    location, last = tus.upload(text, filename="lyrics.wav")
    assert last.status_code == 422
    message = last.content.decode()
    assert message == (
        "This file cannot be used: not a readable audio file "
        "(expected WAV, AIFF, FLAC, OGG or MP3)."
    )
    assert last["Upload-Offset"] == str(len(text))
    bad = Upload.objects.get(pk=upload_id(location))
    assert (bad.status, bad.error_message, bad.audio_info) == (UploadStatus.FAILED, message, None)
    assert bad.stored_name == ""
    assert not (upload_file_path(bad).parent / bad.pk.hex).exists()
    # A failed upload cannot be resumed: a browser that asks is told it is gone.
    assert tus.head(location).status_code == 410
    good = Upload.objects.get(pk=upload_id(good_location))
    assert good.status == UploadStatus.COMPLETE
    assert upload_file_path(good).read_bytes() == wav_bytes


def test_a_file_cut_inside_its_header_fails(tus: TusClient, wav_bytes: bytes) -> None:
    _, last = tus.upload(wav_bytes[:30], filename="cut.wav")
    assert last.status_code == 422
    assert "not a readable audio file" in last.content.decode()


def test_a_wav_cut_inside_its_audio_keeps_only_the_audio_that_arrived(tus: TusClient) -> None:
    data = encode_audio(4.0)
    location, last = tus.upload(data[: len(data) // 2], filename="cut.wav")
    assert last.status_code == 204
    upload = Upload.objects.get(pk=upload_id(location))
    # The header promises 4 s; what is there is 2 s, and that is what the record says.
    assert upload.audio_info["duration_s"] == pytest.approx(2.0, abs=0.01)


def test_an_unfinished_upload_is_not_complete(tus: TusClient, wav_bytes: bytes) -> None:
    location = tus.create(len(wav_bytes))["Location"]
    tus.patch(location, 0, wav_bytes[:-1])
    upload = Upload.objects.get(pk=upload_id(location))
    assert upload.status == UploadStatus.UPLOADING
    assert upload.audio_info is None and upload.completed_at is None


def test_an_empty_file_is_refused_at_creation(tus: TusClient, media_root: Path) -> None:
    response = tus.create(0, filename="empty.wav")
    assert response.status_code == 400
    assert response.content.decode() == "The file is empty: there is no audio to upload."
    assert not Upload.objects.exists()
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_audio_longer_than_the_limit_fails_with_the_limit(tus: TusClient, settings) -> None:
    settings.MAX_AUDIO_SECONDS = 120
    data = tone_wav(150.0)
    location, last = tus.upload(data, filename="long.wav", chunk=4 << 20)
    assert last.status_code == 422
    # The length comes from the header and is refused before decoding (probe's limit).
    assert last.content.decode() == (
        "This file cannot be used: the audio is 2:30 long; the longest we master is 2:00."
    )
    assert Upload.objects.get(pk=upload_id(location)).status == UploadStatus.FAILED


@pytest.mark.parametrize(
    ("fmt", "subtype"), [("FLAC", "PCM_24"), ("OGG", "VORBIS"), ("MP3", "MPEG_LAYER_III")]
)
def test_other_audio_formats_are_recognised_by_content(
    tus: TusClient, fmt: str, subtype: str
) -> None:
    data = encode_audio(2.0, fmt=fmt, subtype=subtype)
    location, last = tus.upload(data, filename="no-extension")
    assert last.status_code == 204, last.content
    upload = Upload.objects.get(pk=upload_id(location))
    assert upload.audio_info["format"] == fmt
    assert upload.audio_info["duration_s"] == pytest.approx(2.0, abs=0.1)
