"""Two real RQ workers, 100 jobs, one worker SIGKILLed mid-job: every job done exactly once.

Runs only on the scale-out services (`make test-scaleout`: PostgreSQL, Redis, S3 bucket).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from masterbus.accounts.owner import Owner
from masterbus.core import storage
from masterbus.mastering.models import Delivery, Job, JobStatus
from masterbus.mastering.services.options import settings_from_form
from masterbus.mastering.services.songs import song_create_from_upload
from tests.platform.fixtures import make_upload, start_worker
from tests.support.ffmeter import measure
from tests.support.music import music_file
from tests.support.waiting import wait_until

pytestmark = [
    pytest.mark.skipif(
        not (settings.REDIS_URL and settings.S3_BUCKET),
        reason="needs the scale-out services (make test-scaleout)",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
]

JOBS = 100
GUEST = Owner(user=None, guest_key="r" * 43)
# Workers sweep every second, so the killed worker's lease (3 s in test settings) is noticed soon.
FAST_SWEEP = {"PERIODIC_INTERVAL_SECONDS": "1"}
FORMATS = ["flac", "mp3", "wav16", "wav24"]


def _running_job(pid: int) -> str | None:
    """Our job id of the task the worker process ``pid`` runs now, as RQ itself reports it."""
    import django_rq
    from rq import Worker
    from rq.job import Job as RQJob

    connection = django_rq.get_connection("default")
    for worker in Worker.all(connection=connection):
        rq_id = worker.get_current_job_id() if worker.pid == pid else None
        if rq_id:
            job_id = RQJob.fetch(rq_id, connection=connection).args[0]
            active = [JobStatus.ANALYSING, JobStatus.MASTERING]
            return job_id if Job.objects.filter(pk=job_id, status__in=active).exists() else None
    return None


def _bucket_names(prefix: str) -> list[str]:
    names: list[str] = []
    folders, found = default_storage.listdir(prefix)
    names += [f"{prefix}/{name}" for name in found]
    for folder in folders:
        names += _bucket_names(f"{prefix}/{folder}")
    return names


@pytest.fixture(scope="module")
def tiny_song(tmp_path_factory) -> Path:
    return music_file(tmp_path_factory.mktemp("audio"), seconds=2.0, lufs=-20.0, seed=11)


def test_sigkilled_rq_worker_loses_no_job_and_no_job_runs_twice(tiny_song):
    data = tiny_song.read_bytes()
    chosen = settings_from_form(target_lufs=-14, style="balanced", intensity=50)
    jobs = [
        song_create_from_upload(
            owner=GUEST, upload_id=make_upload(GUEST, data).pk, master_settings=chosen
        )
        for _ in range(JOBS)
    ]
    assert Job.objects.filter(enqueued_at__isnull=False).count() == JOBS  # all in Redis

    doomed, survivor = start_worker(**FAST_SWEEP), start_worker(**FAST_SWEEP)
    try:
        # Let both warm up and share the queue, then kill one while RQ says it is mid-job.
        wait_until(
            lambda: Job.objects.filter(status=JobStatus.DONE).count() >= 10, 180, what="10 jobs"
        )
        killed = wait_until(
            lambda: _running_job(doomed.pid), 60, what="the doomed worker to be mid-job"
        )
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=10)
        assert Job.objects.get(pk=killed).status != JobStatus.DONE, "killed too late"
        wait_until(
            lambda: (
                Job.objects.filter(status__in=[JobStatus.DONE, JobStatus.FAILED]).count() == JOBS
            ),
            600,
            what="every job to finish on the surviving worker",
        )
    finally:
        for worker in (doomed, survivor):
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=60)
    assert survivor.returncode == 0

    done = Job.objects.filter(pk__in=[job.pk for job in jobs])
    assert sorted(done.values_list("status", flat=True).distinct()) == [JobStatus.DONE]
    attempts = sorted(done.values_list("attempts", flat=True))
    # Exactly the killed job ran a second time (by the sweeper); every other job ran once.
    assert attempts == [1] * (JOBS - 1) + [2], attempts
    assert Delivery.objects.filter(job__in=done).count() == JOBS * len(FORMATS)

    rerun = done.get(attempts=2)
    assert str(rerun.pk) == killed
    for job in done:
        deliveries = {d.format: d.file for d in job.deliveries.all()}
        assert sorted(deliveries) == FORMATS
        expected = sorted(
            [job.song.original, job.preview, job.original_preview, *deliveries.values()]
        )
        # One set of files in the bucket: no stray or duplicated object of a killed attempt.
        assert sorted(_bucket_names(f"songs/{job.song_id.hex}")) == expected
    with storage.local_copy(rerun.deliveries.get(format="wav24").file) as wav24:
        assert abs(measure(wav24).integrated_lufs - (-14.0)) <= 1.0
