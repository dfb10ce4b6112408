"""Portfolio samples: audio recognised by its content (the engine's probe), bounded (count,
bytes, length); heard on the listed studio's page in byte ranges; only the owner adds or removes
them, and removing one deletes its file; the owner's export holds them."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masterbus.rights.deletion import user_purge
from masterbus.rights.personal import personal_rows, stored_names
from masterbus.studios.errors import SampleInvalid
from masterbus.studios.models import StudioSample
from masterbus.studios.services.samples import sample_add
from masterbus.studios.services.studios import studio_apply
from tests.studios.conftest import make_adult
from tests.studios.world import wav_upload

pytestmark = pytest.mark.django_db


def upload(client, studio, audio, title: str = "Live drums"):
    return client.post(
        reverse("studios:sample_add", args=[studio.pk]), {"title": title, "audio": audio}
    )


def test_a_sample_is_probed_kept_and_played_on_the_studio_page(client, owner, studio):
    client.force_login(owner)
    assert upload(client, studio, wav_upload(2.0, name="drums.mp3")).status_code == 302
    sample = StudioSample.objects.get()
    assert sample.format == "wav" and sample.title == "Live drums"  # by content, not by name
    assert abs(sample.duration_s - 2.0) < 0.01 and default_storage.exists(sample.stored_name)
    client.logout()
    page = client.get(reverse("studios:studio", args=[studio.pk])).content.decode()
    url = reverse("studios:sample_audio", args=[sample.file_name])
    assert f'src="{url}"' in page and "Live drums" in page
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Content-Type"] == "audio/x-wav"
    part = client.get(url, HTTP_RANGE="bytes=0-11")
    assert part.status_code == 206 and b"".join(part.streaming_content)[:4] == b"RIFF"


def test_not_audio_too_big_too_long_too_many_and_no_title_are_refused(
    client, owner, studio, settings
):
    client.force_login(owner)
    upload(client, studio, SimpleUploadedFile("x.wav", b"RIFF" + b"\x00" * 2000))
    with pytest.raises(SampleInvalid, match="not audio"):
        sample_add(studio=studio, title="x", uploaded=SimpleUploadedFile("x.wav", b"%PDF-1.4"))
    settings.STUDIO_SAMPLE_MAX_SECONDS = 1
    with pytest.raises(SampleInvalid, match="longer than"):
        sample_add(studio=studio, title="long", uploaded=wav_upload(1.5))
    settings.STUDIO_SAMPLE_MAX_SECONDS, settings.STUDIO_SAMPLE_MAX_BYTES = 360, 1000
    with pytest.raises(SampleInvalid, match="MB"):
        sample_add(studio=studio, title="big", uploaded=wav_upload(0.5))
    with pytest.raises(SampleInvalid, match="title"):
        sample_add(studio=studio, title=" \x00 ", uploaded=wav_upload(0.5))
    assert not StudioSample.objects.exists()
    assert (
        not default_storage.exists(f"studios/{studio.pk.hex}/samples")
        or not (default_storage.listdir(f"studios/{studio.pk.hex}/samples")[1])
    )
    settings.STUDIO_SAMPLE_MAX_BYTES, settings.STUDIO_SAMPLES_MAX = 10**8, 2
    for _ in range(3):
        upload(client, studio, wav_upload(0.2))
    assert StudioSample.objects.count() == 2


def test_only_the_owner_adds_or_removes_and_unlisted_samples_stay_private(
    client, owner, studio, django_capture_on_commit_callbacks
):
    stranger = make_adult("stranger@example.com")
    sample = sample_add(studio=studio, title="Mine", uploaded=wav_upload(0.2))
    client.force_login(stranger)
    assert upload(client, studio, wav_upload(0.2)).status_code == 404
    assert client.post(reverse("studios:sample_remove", args=[sample.pk])).status_code == 404
    waiting = studio_apply(
        owner=owner, name="Not yet", city="Köln", address="x", time_zone="Europe/Berlin"
    )
    hidden = sample_add(studio=waiting, title="Hidden", uploaded=wav_upload(0.2))
    assert client.get(reverse("studios:sample_audio", args=[hidden.file_name])).status_code == 404
    for name in ("1", "x.wav", "\x00.wav"):
        assert client.get(reverse("studios:sample_audio", args=[name])).status_code == 404
    client.force_login(owner)
    assert client.get(reverse("studios:sample_audio", args=[hidden.file_name])).status_code == 200
    page = client.get(reverse("studios:manage", args=[studio.pk])).content.decode()
    assert "Mine" in page and reverse("studios:sample_remove", args=[sample.pk]) in page
    name = sample.stored_name
    assert stored_names(sample) == [name]  # the owner's export and deletion find the file
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("studios:sample_remove", args=[sample.pk]))
    assert not StudioSample.objects.filter(pk=sample.pk).exists()
    assert not default_storage.exists(name)


def test_the_owners_export_holds_the_samples_and_deleting_the_owner_deletes_them(
    owner, studio, django_capture_on_commit_callbacks
):
    sample = sample_add(studio=studio, title="Mine", uploaded=wav_upload(0.2))
    assert personal_rows(owner)[StudioSample] == [sample]
    with django_capture_on_commit_callbacks(execute=True):
        user_purge(user=owner)
    assert not StudioSample.objects.exists() and not default_storage.exists(sample.stored_name)
