"""Mastering services with the real engine, real files and the real database."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
import soundfile as sf
from django.conf import settings
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from masterbus.accounts.owner import Owner
from masterbus.mastering import lease, runner
from masterbus.mastering.errors import MasteringError
from masterbus.mastering.models import Delivery, Job, JobStatus, Song
from masterbus.mastering.services.cleanup import guest_songs_purge, song_delete
from masterbus.mastering.services.notify import job_notify
from masterbus.mastering.services.options import settings_from_form
from masterbus.mastering.services.queue import job_sweep
from masterbus.mastering.services.songs import job_create, song_create_from_upload
from masterbus.uploads.models import Upload
from masterbus.uploads.selectors import upload_file_path
from tests.platform.fixtures import make_upload
from tests.support.ffmeter import measure

# Real commits: the worker's heartbeat thread writes through its own connection.
pytestmark = pytest.mark.django_db(transaction=True)

GUEST = Owner(user=None, guest_key="g" * 43)


def _settings(target: float = -14.0) -> dict:
    return settings_from_form(target_lufs=target, style="balanced", intensity=50)


def _song_files(song: Song) -> list[str]:
    names = [song.original]
    for job in song.jobs.all():
        names += [job.reference, job.preview, job.original_preview]
        names += list(job.deliveries.values_list("file", flat=True))
    return [n for n in names if n]


def test_master_a_guest_song_end_to_end(song_path: Path, django_capture_on_commit_callbacks):
    upload = make_upload(GUEST, song_path.read_bytes(), "My Mix.wav")
    with django_capture_on_commit_callbacks(execute=True):
        job = song_create_from_upload(
            owner=GUEST, upload_id=upload.pk, master_settings=_settings(-14.0)
        )
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.enqueued_at is not None
    # The song took the upload's bytes; the upload row and its file are gone.
    assert not Upload.objects.filter(pk=upload.pk).exists()
    assert default_storage.exists(job.song.original)
    assert job.song.title == "My Mix.wav"

    runner.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error_message
    assert job.progress == 1.0 and job.attempts == 1
    formats = sorted(job.deliveries.values_list("format", flat=True))
    assert formats == ["flac", "mp3", "wav16", "wav24"]
    wav24 = Path(default_storage.path(job.deliveries.get(format="wav24").file))
    info = sf.info(str(wav24))
    assert info.subtype == "PCM_24" and info.samplerate == 44100
    loudness = measure(wav24)
    assert abs(loudness.integrated_lufs - (-14.0)) <= 0.5
    assert loudness.true_peak_dbtp <= -0.9
    for name in (job.preview, job.original_preview):
        assert name and default_storage.exists(name)
    assert sf.info(default_storage.path(job.preview)).duration == pytest.approx(
        sf.info(default_storage.path(job.original_preview)).duration
    )
    assert job.report["output"]["integrated_lufs"] == pytest.approx(-14.0, abs=0.5)
    assert "feedback" in job.report


def test_running_a_finished_job_again_changes_nothing(song_path: Path):
    job = song_create_from_upload(
        owner=GUEST,
        upload_id=make_upload(GUEST, song_path.read_bytes()).pk,
        master_settings=_settings(),
    )
    runner.job_run(job_id=job.pk)
    first = list(Delivery.objects.filter(job=job).values_list("pk", "file"))
    runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.attempts == 1
    assert list(Delivery.objects.filter(job=job).values_list("pk", "file")) == first


def test_remaster_keeps_versions_and_reuses_the_original(song_path: Path):
    job1 = song_create_from_upload(
        owner=GUEST,
        upload_id=make_upload(GUEST, song_path.read_bytes()).pk,
        master_settings=_settings(),
    )
    job2 = job_create(owner=GUEST, song=job1.song, master_settings=_settings(-9.0))
    assert (job1.number, job2.number) == (1, 2)
    runner.job_run(job_id=job2.pk)
    job2.refresh_from_db()
    assert job2.status == JobStatus.DONE
    wav = default_storage.path(job2.deliveries.get(format="wav24").file)
    assert abs(measure(wav).integrated_lufs - (-9.0)) <= 0.5
    assert Job.objects.get(pk=job1.pk).status == JobStatus.QUEUED  # untouched


def test_same_upload_twice_makes_one_song(song_path: Path):
    upload_id = make_upload(GUEST, song_path.read_bytes()).pk
    job = song_create_from_upload(owner=GUEST, upload_id=upload_id, master_settings=_settings())
    again = song_create_from_upload(owner=GUEST, upload_id=upload_id, master_settings=_settings())
    assert again.pk == job.pk and Song.objects.count() == 1


def test_a_failed_upload_cannot_be_mastered_and_says_why(tmp_path: Path):
    upload = make_upload(GUEST, b"this is a text file, not audio\n" * 50, "song.wav")
    with pytest.raises(MasteringError) as caught:
        song_create_from_upload(owner=GUEST, upload_id=upload.pk, master_settings=_settings())
    assert str(caught.value) == Upload.objects.get(pk=upload.pk).error_message != ""
    assert Song.objects.count() == 0


def test_bad_settings_are_refused_with_the_engines_message():
    with pytest.raises(MasteringError, match="out of range"):
        settings_from_form(target_lufs=-80.0, style="balanced", intensity=50)
    with pytest.raises(MasteringError, match="style"):
        settings_from_form(target_lufs=-14.0, style="nope", intensity=50)


def test_engine_error_fails_the_job_in_plain_words_and_keeps_the_original(song_path: Path):
    job = song_create_from_upload(
        owner=GUEST,
        upload_id=make_upload(GUEST, song_path.read_bytes()).pk,
        master_settings=_settings(),
    )
    # The kept original became unreadable (disk damage): the engine refuses it.
    Path(default_storage.path(job.song.original)).write_bytes(b"RIFF garbage")
    runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_message and "Traceback" not in job.error_message
    assert not job.deliveries.exists()
    assert default_storage.exists(job.song.original)


def test_deleting_a_song_deletes_every_file(song_path: Path):
    job = song_create_from_upload(
        owner=GUEST,
        upload_id=make_upload(GUEST, song_path.read_bytes()).pk,
        master_settings=_settings(),
    )
    runner.job_run(job_id=job.pk)
    song = Song.objects.get(pk=job.song_id)
    names = _song_files(song)
    folder = Path(settings.MEDIA_ROOT, "songs", song.id.hex)
    assert len(names) == 7  # original, 2 previews, 4 deliveries
    assert all(default_storage.exists(n) for n in names)
    song_delete(song=song)
    assert not any(default_storage.exists(n) for n in names)
    assert not folder.exists()
    assert not Job.objects.filter(pk=job.pk).exists()


def test_guest_purge_deletes_old_guest_songs_and_uploads_only(song_path: Path, alice):
    data = song_path.read_bytes()
    old_guest = song_create_from_upload(
        owner=GUEST, upload_id=make_upload(GUEST, data).pk, master_settings=_settings()
    ).song
    new_guest = song_create_from_upload(
        owner=GUEST, upload_id=make_upload(GUEST, data).pk, master_settings=_settings()
    ).song
    user_owner = Owner(user=alice, guest_key=None)
    old_user = song_create_from_upload(
        owner=user_owner, upload_id=make_upload(user_owner, data).pk, master_settings=_settings()
    ).song
    stale_upload = make_upload(GUEST, data)
    stale_upload_file = upload_file_path(stale_upload)
    long_ago = timezone.now() - timedelta(days=settings.GUEST_RETENTION_DAYS, hours=1)
    Song.objects.filter(pk__in=[old_guest.pk, old_user.pk]).update(created_at=long_ago)
    Upload.objects.filter(pk=stale_upload.pk).update(created_at=long_ago)
    old_file = old_guest.original

    assert guest_songs_purge() == 2
    assert not Song.objects.filter(pk=old_guest.pk).exists()
    assert not default_storage.exists(old_file)
    assert not Upload.objects.filter(pk=stale_upload.pk).exists()
    assert not stale_upload_file.exists()  # deleted, not hidden (P12)
    assert Song.objects.filter(pk__in=[new_guest.pk, old_user.pk]).count() == 2
    assert guest_songs_purge() == 0  # idempotent


def test_ready_email_is_sent_once_and_can_be_switched_off(song_path: Path, alice, bob):
    for user in (alice, bob):
        owner = Owner(user=user, guest_key=None)
        job = song_create_from_upload(
            owner=owner,
            upload_id=make_upload(owner, song_path.read_bytes()).pk,
            master_settings=_settings(),
        )
        if user is bob:
            bob.email_on_master_ready = False
            bob.save()
        runner.job_run(job_id=job.pk)
        assert job_notify(job=Job.objects.get(pk=job.pk)) is False  # already handled
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "is ready" in mail.outbox[0].subject
    assert f"/songs/{Song.objects.get(user=alice).pk}/" in mail.outbox[0].body


def test_sweeper_requeues_only_jobs_whose_lease_expired(song_path: Path):
    job = song_create_from_upload(
        owner=GUEST,
        upload_id=make_upload(GUEST, song_path.read_bytes()).pk,
        master_settings=_settings(),
    )
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.MASTERING,
        lease_token="dead",
        lease_expires_at=now + timedelta(minutes=1),
        enqueued_at=now,
    )
    assert job_sweep() == 0  # a live lease is left alone
    Job.objects.filter(pk=job.pk).update(lease_expires_at=now - timedelta(seconds=1))
    assert job_sweep() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.lease_token == "" and job.enqueued_at
    assert job_sweep() == 0
    # A job committed but never put in the queue (a crash between the two) is queued too.
    Job.objects.filter(pk=job.pk).update(enqueued_at=None, created_at=now - timedelta(minutes=5))
    assert job_sweep() == 1
    assert Job.objects.get(pk=job.pk).enqueued_at is not None


def test_reference_track_is_kept_with_its_version_and_deleted_with_the_song(
    song_path: Path, tmp_path: Path
):
    from tests.support.music import music_file

    reference = music_file(tmp_path, seconds=8.0, lufs=-10.0, seed=9, tone="bright")
    ref_upload = make_upload(GUEST, reference.read_bytes(), "Reference.wav")
    job = song_create_from_upload(
        owner=GUEST,
        upload_id=make_upload(GUEST, song_path.read_bytes()).pk,
        master_settings=_settings(),
        reference_id=ref_upload.pk,
    )
    assert job.reference_name == "Reference.wav"
    assert default_storage.exists(job.reference)
    assert not Upload.objects.filter(pk=ref_upload.pk).exists()
    runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error_message
    reference_name = job.reference
    song_delete(song=job.song)
    assert not default_storage.exists(reference_name)


def test_a_job_that_keeps_killing_its_workers_fails_in_plain_words(song_path: Path):
    job = song_create_from_upload(
        owner=GUEST,
        upload_id=make_upload(GUEST, song_path.read_bytes()).pk,
        master_settings=_settings(),
    )
    Job.objects.filter(pk=job.pk).update(attempts=settings.JOB_MAX_ATTEMPTS)
    runner.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert f"stopped {settings.JOB_MAX_ATTEMPTS} times" in job.error_message
    assert not job.deliveries.exists() and default_storage.exists(job.song.original)


def test_deleting_a_song_while_it_is_mastered_leaves_no_files(song_path: Path, monkeypatch):
    job = song_create_from_upload(
        owner=GUEST,
        upload_id=make_upload(GUEST, song_path.read_bytes()).pk,
        master_settings=_settings(),
    )
    folder = Path(settings.MEDIA_ROOT, "songs", job.song_id.hex)
    real_master_file = runner.master_file

    def master_then_owner_deletes(*args, **kwargs):
        report = real_master_file(*args, **kwargs)
        song_delete(song=Song.objects.get(pk=job.song_id))  # the user pressed Delete
        return report

    monkeypatch.setattr(runner, "master_file", master_then_owner_deletes)
    runner.job_run(job_id=job.pk)
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not folder.exists(), list(folder.rglob("*"))  # late deliveries removed too (P13)


def test_deleting_a_song_stops_its_worker_early(song_path: Path, monkeypatch):
    job = song_create_from_upload(
        owner=GUEST,
        upload_id=make_upload(GUEST, song_path.read_bytes()).pk,
        master_settings=_settings(),
    )
    seen: list[str] = []

    def slow_engine(*args, progress, **kwargs):
        song_delete(song=Song.objects.get(pk=job.song_id))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the heartbeat notices within a renewal period
            progress(0.5, "limiting")
            seen.append("tick")
            time.sleep(0.05)
        raise AssertionError("the engine was not stopped")

    monkeypatch.setattr(runner, "master_file", slow_engine)
    runner.job_run(job_id=job.pk)
    assert 0 < len(seen) < 200
    assert not Path(settings.MEDIA_ROOT, "songs", job.song_id.hex).exists()


def test_a_busy_database_skips_one_heartbeat_and_the_lease_goes_on(song_path: Path, monkeypatch):
    from django.db import OperationalError
    from django.db.models import QuerySet

    upload = make_upload(GUEST, song_path.read_bytes(), "mix.wav")
    job = song_create_from_upload(owner=GUEST, upload_id=upload.pk, master_settings=_settings())
    Job.objects.filter(pk=job.pk).update(lease_token="t", lease_expires_at=timezone.now())
    real_update, calls = QuerySet.update, []

    def update(queryset, **fields):
        calls.append(fields)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real_update(queryset, **fields)

    monkeypatch.setattr(QuerySet, "update", update)
    heartbeat = lease.Heartbeat(job.pk, "t")
    heartbeat.start()
    deadline = time.monotonic() + 10
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    heartbeat.stop()
    assert len(calls) >= 3 and not heartbeat.lost  # it kept beating after the failed one
    job.refresh_from_db()
    assert job.lease_expires_at > timezone.now()
