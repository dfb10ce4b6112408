"""Deleting one version of a song on the web: its files go, the song and other versions stay;
a version still being mastered and a song's only version are refused with a message."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from masterbus.accounts.owner import Owner
from masterbus.mastering.models import Job, JobStatus
from masterbus.mastering.runner import job_run
from masterbus.mastering.services.options import settings_from_form
from masterbus.mastering.services.songs import job_create
from tests.platform.fixtures import guest_client, make_user, master_song

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "v" * 43
GUEST = Owner(user=None, guest_key=KEY)


def _files(job: Job) -> list[str]:
    names = [job.preview, job.original_preview, job.reference]
    return [n for n in names if n] + list(job.deliveries.values_list("file", flat=True))


def test_one_version_is_deleted_with_its_files_and_the_others_stay(client, song_path):
    guest = guest_client(client, KEY)
    first = master_song(GUEST, song_path)
    settings = settings_from_form(target_lufs=-16.0, style="warm", intensity=40)
    second = job_create(owner=GUEST, song=first.song, master_settings=settings)
    job_run(job_id=second.pk)
    second.refresh_from_db()
    old, kept = _files(first), _files(second)
    assert len(old) == 6 and all(default_storage.exists(n) for n in old + kept)
    page = guest.get(f"/songs/{first.song_id}/").content.decode()
    assert f'action="/jobs/{first.pk}/delete"' in page
    assert f'action="/jobs/{second.pk}/delete"' in page

    # Nobody else can, and a refusal changes nothing.
    bob = Client()
    bob.force_login(make_user("bob@example.com"))
    for visitor in (bob, guest_client(Client(), "s" * 43), Client()):
        assert visitor.post(f"/jobs/{first.pk}/delete").status_code == 404
    assert Job.objects.count() == 2

    response = guest.post(f"/jobs/{first.pk}/delete", follow=True)
    assert response.redirect_chain[-1][0] == f"/songs/{first.song_id}/"
    assert "Version 1 and its files are deleted" in response.content.decode()
    assert list(first.song.jobs.values_list("number", flat=True)) == [2]
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(name) for name in kept)
    assert not default_storage.exists(f"songs/{first.song_id.hex}/v1")
    assert default_storage.exists(first.song.original)

    # The only version left: deleting it would be deleting the song, so it is refused.
    page = response.content.decode()
    assert f'action="/jobs/{second.pk}/delete"' not in page
    refused = guest.post(f"/jobs/{second.pk}/delete", follow=True)
    assert "delete the song instead" in refused.content.decode()
    assert Job.objects.filter(pk=second.pk).exists()
    assert all(default_storage.exists(name) for name in kept)


def test_a_version_being_mastered_is_not_deleted(client, song_path):
    guest = guest_client(client, KEY)
    first = master_song(GUEST, song_path)
    settings = settings_from_form(target_lufs=-9.0, style="bright", intensity=50)
    running = job_create(owner=GUEST, song=first.song, master_settings=settings)
    for status in (JobStatus.QUEUED, JobStatus.ANALYSING, JobStatus.MASTERING):
        Job.objects.filter(pk=running.pk).update(status=status)
        response = guest.post(f"/jobs/{running.pk}/delete", follow=True)
        assert "still being mastered" in response.content.decode()
        assert Job.objects.filter(pk=running.pk).exists()
    # Done or failed, it can go.
    Job.objects.filter(pk=running.pk).update(status=JobStatus.FAILED)
    assert guest.post(f"/jobs/{running.pk}/delete").status_code == 302
    assert not Job.objects.filter(pk=running.pk).exists() and Job.objects.filter(pk=first.pk)
