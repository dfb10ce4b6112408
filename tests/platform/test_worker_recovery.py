"""A worker SIGKILLed mid-job loses nothing: another worker finishes it, with one set of files."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from masterbus.accounts.owner import Owner
from masterbus.mastering.models import DeliveryFormat, Job, JobStatus
from masterbus.mastering.services.options import settings_from_form
from masterbus.mastering.services.songs import song_create_from_upload
from tests.platform.fixtures import make_upload, start_worker
from tests.support.ffmeter import measure
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

GUEST = Owner(user=None, guest_key="w" * 43)
# Workers sweep every second so an expired lease (3 s in test settings) is noticed quickly.
FAST_SWEEP = {"PERIODIC_INTERVAL_SECONDS": "1"}


def _queue(path: Path, target: float) -> Job:
    job = song_create_from_upload(
        owner=GUEST,
        upload_id=make_upload(GUEST, path.read_bytes()).pk,
        master_settings=settings_from_form(target_lufs=target, style="balanced", intensity=50),
    )
    job.refresh_from_db()
    assert job.enqueued_at is not None  # in the queue (committed), not only in memory
    return job


def _stop(process, sig=signal.SIGTERM) -> int:
    if process.poll() is None:
        process.send_signal(sig)
    return process.wait(timeout=60)


def _started(job: Job) -> bool:
    return Job.objects.filter(pk=job.pk, progress__gt=0).exclude(stage="").exists()


def _playable(job: Job) -> bool:
    return Job.objects.filter(pk=job.pk, playable_at__isnull=False).exists()


@pytest.mark.parametrize("kill_when", [_started, _playable], ids=["mastering", "playable"])
def test_sigkilled_worker_loses_no_job_and_makes_one_set_of_deliveries(long_song_path, kill_when):
    """Killed while mastering (no file recorded yet) or once playable (the WAV 24 recorded, the
    other formats in the making): the job is taken over and ends with exactly one set."""
    job = _queue(long_song_path, -12.0)
    first = start_worker(**FAST_SWEEP)
    try:
        wait_until(lambda: kill_when(job), 120, what="the first worker to get there", interval=0.02)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    job.refresh_from_db()
    assert job.status in (JobStatus.ANALYSING, JobStatus.MASTERING), "killed too late"
    assert job.attempts == 1
    recorded = set(job.deliveries.values_list("format", flat=True))
    # The master and its row are recorded with playable_at in one transaction, nothing before.
    assert (not recorded) if job.playable_at is None else (DeliveryFormat.WAV24 in recorded)
    master_before = None
    if job.playable_at is not None:
        master_before = default_storage.open(job.deliveries.get(format="wav24").file).read()

    second = start_worker(**FAST_SWEEP)
    try:
        wait_until(
            lambda: Job.objects.filter(pk=job.pk, status__in=["done", "failed"]).exists(),
            180,
            what="the second worker to finish the job",
            interval=0.02,
        )
    finally:
        assert _stop(second) == 0
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error_message
    assert job.attempts == 2
    deliveries = list(job.deliveries.all())
    assert sorted(d.format for d in deliveries) == ["flac", "mp3", "wav16", "wav24"]
    folder = Path(settings.MEDIA_ROOT, "songs", job.song_id.hex, "v1")
    on_disk = sorted(p.name for p in folder.iterdir())
    expected = sorted(
        [Path(d.file).name for d in deliveries] + ["preview.wav", "original_preview.wav"]
    )
    assert on_disk == expected  # exactly one set: no stray or duplicated files
    wav24 = job.deliveries.get(format="wav24").file
    if master_before is not None:  # taken over after playable: formats made from that master
        assert default_storage.open(wav24).read() == master_before
    assert abs(measure(default_storage.path(wav24)).integrated_lufs - (-12.0)) <= 0.5


def test_stopping_and_restarting_loses_no_queued_job(song_path):
    jobs = [_queue(song_path, -14.0), _queue(song_path, -16.0), _queue(song_path, -10.0)]
    worker = start_worker(**FAST_SWEEP)
    try:
        wait_until(
            lambda: Job.objects.filter(status=JobStatus.DONE).exists(),
            120,
            what="the first job to finish",
            interval=0.02,
        )
    finally:
        assert _stop(worker) == 0  # graceful stop: the running task ends, the rest stay queued
    waiting = Job.objects.exclude(status=JobStatus.DONE).count()

    restarted = start_worker(**FAST_SWEEP)
    try:
        wait_until(
            lambda: Job.objects.filter(status=JobStatus.DONE).count() == len(jobs),
            180,
            what="every job to finish after the restart",
            interval=0.02,
        )
    finally:
        assert _stop(restarted) == 0
    assert waiting >= 1, "the first worker should have stopped with work left"
    for job in Job.objects.all():
        assert job.deliveries.count() == 4 and job.attempts == 1
