"""Album mode on the web: several uploads mastered together with the real engine, followed
live, downloaded per track and as a zip; owned like songs (guests too), moved on sign-in,
purged with guests, deleted with every file."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from masterbus.accounts.owner import Owner
from masterbus.accounts.services import guest_claim
from masterbus.engine import MasterSettings
from masterbus.engine.api import master_album
from masterbus.mastering.models import Album, AlbumJob, Job, JobStatus, Song
from masterbus.mastering.runner import job_run
from masterbus.mastering.services.albums import album_create_from_uploads, album_job_create
from masterbus.mastering.services.cleanup import guest_songs_purge
from masterbus.mastering.services.options import settings_from_form
from tests.platform.fixtures import guest_client, make_upload, make_user
from tests.support.ffmeter import measure
from tests.support.music import music_file

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "a" * 43
GUEST = Owner(user=None, guest_key=KEY)


@pytest.fixture(scope="module")
def tracks(tmp_path_factory) -> list:
    """Three short mixes at very different levels: a loud one, a quieter one, an interlude."""
    folder = tmp_path_factory.mktemp("album")
    return [
        music_file(folder, seconds=5.0, lufs=-12.0, seed=21, name="01 Opener"),
        music_file(folder, seconds=5.0, lufs=-20.0, seed=22, name="02 Ballad"),
        music_file(folder, seconds=5.0, lufs=-34.0, seed=23, name="03 Interlude"),
    ]


def _form(upload_ids, **extra) -> dict:
    return {"upload_ids": [str(u) for u in upload_ids], "title": "First Light",
            "target": "streaming", "style": "balanced", "intensity": "50", **extra}  # fmt: skip


def _create(client: Client, owner: Owner, paths) -> tuple[Album, AlbumJob]:
    uploads = [make_upload(owner, path.read_bytes(), path.name) for path in paths]
    response = client.post(reverse("mastering:album_master"), _form(u.pk for u in uploads))
    assert response.status_code == 302, response.content.decode()[:500]
    album = Album.objects.get(**owner.filter_kwargs())
    assert response["Location"] == f"/albums/{album.pk}/?v=1"
    return album, album.jobs.get()


def _run_all(album_job: AlbumJob) -> list[Job]:
    for job in album_job.tracks.all():
        job_run(job_id=job.pk)
    return list(album_job.tracks.select_related("song").order_by("song__track_number"))


def test_an_album_is_mastered_together_followed_live_and_downloaded(client, tracks, tmp_path):
    guest = guest_client(client, KEY)
    page = guest.get(reverse("mastering:album_new")).content.decode()
    assert 'id="album-files" multiple' in page and "uploads/uploader.js" in page
    album, album_job = _create(guest, GUEST, tracks)
    assert album.title == "First Light" and album.guest_key == KEY and album.user is None
    songs = list(album.tracks.order_by("track_number"))
    assert [(s.track_number, s.title) for s in songs] == [
        (1, "01 Opener.wav"),
        (2, "02 Ballad.wav"),
        (3, "03 Interlude.wav"),
    ]
    # Live status: the fragment polls while the tracks are queued.
    page = guest.get(f"/albums/{album.pk}/").content.decode()
    assert f'hx-get="/album-jobs/{album_job.pk}/status"' in page and "Queued" in page
    first = album_job.tracks.get(song=songs[0])
    Job.objects.filter(pk=first.pk).update(status=JobStatus.MASTERING, progress=0.6)
    fragment = guest.get(f"/album-jobs/{album_job.pk}/status").content.decode()
    assert 'data-status="mastering"' in fragment and "20 %" in fragment  # 0.6 of 3 tracks

    Job.objects.filter(pk=first.pk).update(status=JobStatus.QUEUED, progress=0.0)
    jobs = _run_all(album_job)
    assert all(job.status == JobStatus.DONE for job in jobs), [j.error_message for j in jobs]
    fragment = guest.get(f"/album-jobs/{album_job.pk}/status").content.decode()
    assert 'data-status="done"' in fragment and "hx-get" not in fragment  # polling stops

    # The same targets as the engine's (and the CLI's) album mode for these files.
    engine = master_album(tracks, tmp_path / "engine", MasterSettings(target_lufs=-14.0))
    expected = [report["album"]["track_target_lufs"] for report in engine]
    assert [job.report["album"]["track_target_lufs"] for job in jobs] == expected
    # Measured by ffmpeg: the two mixes 8 LU apart now sit together at the target, and the
    # interlude (far quieter on purpose) stays clearly quieter.
    links = dict(re.findall(r'href="(/files/[^"]+)"[^>]*data-format="(wav24)"', fragment))
    assert len(links) == 3
    loudness = []
    for i, link in enumerate(links):
        response = guest.get(link)
        path = tmp_path / f"track{i}.wav"
        path.write_bytes(b"".join(response.streaming_content))
        loudness.append(measure(path).integrated_lufs)
    assert abs(loudness[0] - expected[0]) <= 0.5 and abs(loudness[1] - expected[1]) <= 0.5
    assert abs(loudness[0] - loudness[1]) <= 1.5
    assert loudness[2] < loudness[0] - 4

    # The whole album as one zip of the stored files, in track order.
    zipped = guest.get(f"/album-jobs/{album_job.pk}/flac.zip")
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    assert "attachment" in zipped["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content)))
    assert archive.namelist() == ["01 01 Opener.flac", "02 02 Ballad.flac", "03 03 Interlude.flac"]
    for name, job in zip(archive.namelist(), jobs, strict=True):
        stored = job.deliveries.get(format="flac").file
        with default_storage.open(stored, "rb") as handle:
            assert archive.read(name) == handle.read()
    assert guest.get(f"/album-jobs/{album_job.pk}/ogg.zip").status_code == 404
    library = guest.get("/songs/").content.decode()
    assert f'href="/albums/{album.pk}/">First Light</a>' in library
    assert "track 3 of First Light" in library
    # Each track keeps its own song page (A/B, report, downloads) that links back.
    song_page = guest.get(f"/songs/{songs[2].pk}/").content.decode()
    assert f'href="/albums/{album.pk}/"' in song_page and "Track 3" in song_page


def test_an_album_is_mastered_again_and_deleted_with_every_file(client, tracks):
    guest = guest_client(client, KEY)
    album, first = _create(guest, GUEST, tracks[:2])
    _run_all(first)
    response = guest.post(
        f"/albums/{album.pk}/remaster", {"target": "loud", "style": "warm", "intensity": "30"}
    )
    assert response.status_code == 302 and response["Location"] == f"/albums/{album.pk}/?v=2"
    second = album.jobs.get(number=2)
    assert second.settings["target_lufs"] == -9.0 and second.tracks.count() == 2
    assert [j.number for j in second.tracks.all()] == [2, 2]  # version 2 of each song
    # A finished track's version waits while the rest of its album version is mastered.
    track = second.tracks.order_by("song__track_number").first()
    job_run(job_id=track.pk)
    busy = guest.post(f"/jobs/{track.pk}/delete", follow=True).content.decode()
    assert "Its album is still being mastered" in busy
    assert Job.objects.filter(pk=track.pk, status=JobStatus.DONE).exists()
    _run_all(second)
    names = []
    for song in album.tracks.all():
        names.append(song.original)
        for job in song.jobs.all():
            names += [job.preview, job.original_preview]
            names += job.deliveries.values_list("file", flat=True)
    assert len(names) == 2 * (1 + 2 * 6) and all(default_storage.exists(n) for n in names)
    assert guest_client(Client(), "x" * 43).post(f"/albums/{album.pk}/delete").status_code == 404
    assert guest.post(f"/albums/{album.pk}/delete").status_code == 302
    assert not Album.objects.exists() and not Song.objects.exists() and not Job.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_nobody_else_reaches_an_album(client, tracks):
    guest = guest_client(client, KEY)
    album, album_job = _create(guest, GUEST, tracks[:2])
    _run_all(album_job)
    bob = Client()
    bob.force_login(make_user("bob@example.com"))
    for visitor in (bob, guest_client(Client(), "s" * 43), Client()):
        for url in (
            f"/albums/{album.pk}/",
            f"/albums/{album.pk}/?v=1",
            f"/album-jobs/{album_job.pk}/status",
            f"/album-jobs/{album_job.pk}/wav24.zip",
        ):
            response = visitor.get(url)
            assert response.status_code == 404, (url, response.status_code)
        for url in (f"/albums/{album.pk}/remaster", f"/albums/{album.pk}/delete"):
            response = visitor.post(url, {"target": "loud", "style": "warm", "intensity": "1"})
            assert response.status_code == 404, url
    assert AlbumJob.objects.count() == 1 and Song.objects.count() == 2


def test_bad_album_forms_say_what_to_do(client, tracks):
    guest = guest_client(client, KEY)
    upload = make_upload(GUEST, tracks[0].read_bytes(), "one.wav")
    cases = [
        ({**_form([]), "upload_ids": []}, "wait for every upload"),
        (_form(["not-a-uuid"]), "wait for every upload"),
        (_form([upload.pk, upload.pk]), "twice"),
        (_form([upload.pk, "3f0c3c1e-0000-4000-8000-000000000000"]), "no such upload"),
    ]
    for data, needle in cases:
        response = guest.post(reverse("mastering:album_master"), data)
        assert response.status_code == 400
        assert needle in response.content.decode().lower(), needle
    assert not Album.objects.exists() and not Song.objects.exists()


def test_guest_albums_move_on_sign_in_and_expired_ones_are_purged(client, tracks):
    guest = guest_client(client, KEY)
    album, _ = _create(guest, GUEST, tracks[:1])
    user = make_user("carol@example.com")
    assert guest_claim(guest_key=KEY, user=user) == 2  # the album and its song
    album.refresh_from_db()
    assert album.user == user and album.tracks.get().user == user

    other = Owner(user=None, guest_key="o" * 43)
    old, old_job = _create(guest_client(Client(), "o" * 43), other, tracks[1:2])
    _run_all(old_job)
    song = old.tracks.get()
    names = [song.original, *old_job.tracks.get().deliveries.values_list("file", flat=True)]
    Album.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    Song.objects.filter(pk=song.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert guest_songs_purge() == 1
    assert not Album.objects.filter(pk=old.pk).exists() and not Song.objects.filter(pk=song.pk)
    assert not any(default_storage.exists(name) for name in names)
    assert Album.objects.filter(pk=album.pk).exists()  # a signed-in user's album stays


def test_each_track_is_measured_once(tracks):
    owner = Owner(user=make_user("dan@example.com"), guest_key=None)
    uploads = [make_upload(owner, p.read_bytes(), p.name) for p in tracks[:2]]
    settings = settings_from_form(target_lufs=-14.0, style="balanced", intensity=50)
    album_job = album_create_from_uploads(
        owner=owner, title="", upload_ids=[u.pk for u in uploads], master_settings=settings
    )
    assert album_job.album.title == "Untitled album"
    _run_all(album_job)
    measured = dict(Song.objects.values_list("pk", "loudness_measured_at"))
    assert all(measured.values())
    again = album_job_create(owner=owner, album=album_job.album, master_settings=settings)
    _run_all(again)
    assert dict(Song.objects.values_list("pk", "loudness_measured_at")) == measured
    # The measurement is the input loudness ffmpeg reads, within the meters' agreement.
    for song in Song.objects.all():
        path = next(p for p in tracks if p.name == song.title)
        assert abs(song.loudness_lufs - measure(path).integrated_lufs) <= 0.1
