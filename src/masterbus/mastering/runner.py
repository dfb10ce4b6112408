"""The worker's side of a mastering job: lease, heartbeat, run, finish.

A job is run by whoever holds its lease. Claiming is one conditional UPDATE, so two workers can
never both run a job; the lease is renewed by a heartbeat thread while the engine works; the
deliveries are written under fixed names and recorded in one transaction that first checks the
lease is still ours. A worker that dies leaves an expiring lease, and the sweeper
(``services.queue.job_sweep``) queues the job again: no job is lost and no job gets two sets of
deliveries.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from masterbus.core import storage
from masterbus.engine import FORMATS, EngineError, MasterSettings, master_file
from masterbus.mastering.models import (
    ACTIVE_STATUSES,
    Delivery,
    DeliveryFormat,
    Job,
    JobStatus,
    Song,
)
from masterbus.mastering.naming import job_prefix
from masterbus.mastering.services.notify import job_notify

logger = logging.getLogger(__name__)

FAILED_UNEXPECTEDLY = (
    "Something went wrong on our side while mastering. Your upload is kept: try again, "
    "or with other settings."
)
# Engine stages shown as "analysing"; every later stage is "mastering".
ANALYSIS_STAGES = ("starting", "reading", "analysing", "analysing album")
# The loudness an album aims at when neither a target nor a reference says (as the engine's).
ALBUM_DEFAULT_TARGET_LUFS = -14.0


def job_run(*, job_id) -> None:
    """Run one job if nobody else is running it; safe to call any number of times."""
    token = secrets.token_hex(16)
    job = _job_claim(job_id=job_id, token=token)
    if job is None:
        return
    if job.attempts > settings.JOB_MAX_ATTEMPTS:
        _job_fail(
            job,
            token,
            f"The mastering stopped {job.attempts - 1} times before it could finish. "
            "Please try again, or with other settings.",
        )
        return
    heartbeat = _Heartbeat(job.pk, token)
    heartbeat.start()
    workdir = Path(tempfile.mkdtemp(prefix=f"masterbus-{job.pk.hex}-"))
    try:
        report, outputs = _master(job, workdir, heartbeat)
        heartbeat.stop()
        _job_finish(job, token, report, outputs)
    except EngineError as exc:
        heartbeat.stop()
        _job_fail(job, token, _engine_failure(exc))
    except _LeaseLost:
        logger.info("job %s: stopped, the job was deleted or taken over", job.pk)
    except Exception:
        heartbeat.stop()
        logger.exception("job %s failed unexpectedly", job.pk)
        _job_fail(job, token, FAILED_UNEXPECTEDLY)
    finally:
        heartbeat.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    if job.status == JobStatus.DONE:
        job_notify(job=job)


def _engine_failure(exc: EngineError) -> str:
    """The engine's refusal in the person's terms: it names the local file it read (a name of
    ours, e.g. ``original.flac``), which means nothing to them.

    The upload check reads headers only, so this is where damaged audio (or audio longer than
    its header said) is found: the job fails with this message and the original stays.
    """
    message = str(exc).rstrip(".")
    name, sep, rest = message.partition(": ")
    if sep and name and " " not in name and "." in name:
        return f"Your file could not be mastered: {rest}. Export it again and upload it."
    return f"{message}."


def _job_claim(*, job_id, token: str) -> Job | None:
    now = timezone.now()
    claimed = (
        Job.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES)
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now))
        .update(
            lease_token=token,
            lease_expires_at=now + timedelta(seconds=settings.JOB_LEASE_SECONDS),
            attempts=F("attempts") + 1,
            status=JobStatus.ANALYSING,
            stage="starting",
            started_at=now,
        )
    )
    if not claimed:
        return None
    return Job.objects.select_related("song").get(pk=job_id)


class _LeaseLost(Exception):
    """The job was deleted (or its lease taken over) while this worker was mastering it."""


class _Heartbeat:
    """Renews the lease and records progress from the engine's callback, from its own thread.

    When the renewal finds the lease gone, the next progress callback stops the engine.
    """

    def __init__(self, job_id, token: str) -> None:
        self.job_id = job_id
        self.token = token
        self.fraction = 0.0
        self.stage = "starting"
        self.lost = False
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"lease-{job_id}")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if not self._stopped.is_set():
            self._stopped.set()
            self._thread.join()

    def progress(self, fraction: float, stage: str) -> None:
        if self.lost:
            raise _LeaseLost
        self.fraction = min(max(float(fraction), 0.0), 1.0)
        self.stage = str(stage)[:64]

    def _run(self) -> None:
        interval = max(settings.JOB_LEASE_SECONDS / 6, 0.2)
        try:
            while not self._stopped.wait(min(interval, 0.5)):
                analysing = self.stage in ANALYSIS_STAGES
                status = JobStatus.ANALYSING if analysing else JobStatus.MASTERING
                try:
                    renewed = Job.objects.filter(pk=self.job_id, lease_token=self.token).update(
                        lease_expires_at=timezone.now()
                        + timedelta(seconds=settings.JOB_LEASE_SECONDS),
                        progress=self.fraction,
                        stage=self.stage,
                        status=status,
                    )
                except DatabaseError:  # busy or reconnecting: the lease outlasts a few beats
                    logger.warning("job %s: heartbeat not saved, retrying", self.job_id)
                    continue
                if not renewed:
                    self.lost = True
                    return
        finally:
            close_old_connections()


def _master(job: Job, workdir: Path, heartbeat: _Heartbeat) -> tuple[dict, dict]:
    from masterbus.engine.api import load_reference

    chosen = MasterSettings(**job.settings)
    outputs = {fmt: workdir / f"{fmt}.{FORMATS[fmt][2]}" for fmt in DeliveryFormat.values}
    previews = {"preview": workdir / "preview.wav", "original_preview": workdir / "original.wav"}
    reference = None
    if job.reference:
        with storage.local_copy(job.reference) as path:
            reference = load_reference(path)
    album = _album_place(job, chosen, reference, heartbeat) if job.album_job_id else None
    with storage.local_copy(job.song.original) as original:
        report = master_file(
            original,
            outputs,
            chosen,
            reference=reference,
            target_override=album["track_target_lufs"] if album else None,
            preview_path=previews["preview"],
            original_preview_path=previews["original_preview"],
            progress=heartbeat.progress,
            max_seconds=settings.MAX_AUDIO_SECONDS,  # whatever the header said at upload
        )
    if album:
        report["album"] = album
    return report, {**outputs, **previews}


def _album_place(job: Job, chosen: MasterSettings, reference, heartbeat: _Heartbeat) -> dict:
    """The track's loudness target within its album, as the engine's album mode sets it.

    Every track's original is measured once (the first track job to need it stores it on the
    song); a measurement is deterministic, so two workers measuring at once agree.
    """
    from masterbus.engine.api import album_targets, integrated_loudness

    tracks = list(
        Song.objects.filter(jobs__album_job_id=job.album_job_id).order_by("track_number", "pk")
    )
    for song in tracks:
        if song.loudness_measured_at is None:
            heartbeat.progress(0.0, "analysing album")
            with storage.local_copy(song.original) as path:
                song.loudness_lufs = integrated_loudness(path)
            Song.objects.filter(pk=song.pk).update(
                loudness_lufs=song.loudness_lufs, loudness_measured_at=timezone.now()
            )
    base = chosen.target_lufs
    if base is None and reference is not None:
        base = reference.loudness
    loudness = [song.loudness_lufs for song in tracks]
    targets = album_targets(loudness, ALBUM_DEFAULT_TARGET_LUFS if base is None else base)
    i = [song.pk for song in tracks].index(job.song_id)
    return {
        "track": i + 1,
        "tracks": len(tracks),
        "input_lufs": None if loudness[i] is None else round(loudness[i], 2),
        "track_target_lufs": None if targets[i] is None else round(targets[i], 2),
    }


def _job_finish(job: Job, token: str, report: dict, outputs: dict[str, Path]) -> None:
    prefix = job_prefix(job)
    # Files first, under fixed names (a retry overwrites, never duplicates), then the rows.
    stored = {
        key: storage.store(f"{prefix}/{key}.{path.suffix.lstrip('.')}", path)
        for key, path in outputs.items()
        if path.exists()
    }
    previews = {key: stored.pop(key, "") for key in ("preview", "original_preview")}
    with transaction.atomic():
        mine = Job.objects.filter(pk=job.pk, lease_token=token, status__in=ACTIVE_STATUSES)
        if not mine.exists():
            if not Job.objects.filter(pk=job.pk).exists():  # deleted meanwhile: leave no files
                names = [*stored.values(), *previews.values()]
                transaction.on_commit(lambda: _remove_orphans(names))
            logger.warning("job %s: lease lost before finishing", job.pk)
            return
        Delivery.objects.bulk_create(
            Delivery(job=job, format=fmt, file=name, size=outputs[fmt].stat().st_size)
            for fmt, name in stored.items()
        )
        # Local work paths mean nothing after this; the report keeps storage names.
        report = {**report, "outputs": stored, "preview": previews["preview"] or None}
        report.pop("original_preview", None)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            progress=1.0,
            stage="done",
            report=report,
            **previews,
            error_message="",
            lease_token="",
            lease_expires_at=None,
            finished_at=timezone.now(),
        )
    job.status = JobStatus.DONE


def _remove_orphans(names: list[str]) -> None:
    storage.delete(names)
    for folder in {name.rsplit("/", 2)[0] for name in names}:  # songs/<song>/v<n>/x
        storage.remove_empty_dirs(folder)


def _job_fail(job: Job, token: str, message: str) -> None:
    Job.objects.filter(pk=job.pk, lease_token=token).update(
        status=JobStatus.FAILED,
        stage="failed",
        error_message=message,
        lease_token="",
        lease_expires_at=None,
        finished_at=timezone.now(),
    )
    job.status = JobStatus.FAILED
