"""The worker's side of a mastering job: lease, heartbeat, run, finish.

A job is run by whoever holds its lease. Claiming is one conditional UPDATE, so two workers can
never both run a job; the lease is renewed by a heartbeat thread while the engine works; the
deliveries are written under fixed names and recorded in transactions that first check the
lease is still ours. A worker that dies leaves an expiring lease, and the sweeper
(``services.queue.job_sweep``) queues the job again: no job is lost and no job gets two sets of
deliveries (one row per format at most).

Playable first: the engine masters into WAV 24 and the previews only; once those are stored the
job is *playable* (``playable_at``) and the page plays and offers them, while the same worker,
still holding the lease, makes the other formats from that master (``formats``), recording each
as it is ready; then the job is done. A job taken over after it was playable starts from the
stored master and makes only the formats still missing.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from masterbus.core import storage
from masterbus.engine import EngineError, MasterSettings, master_file
from masterbus.mastering import formats
from masterbus.mastering.lease import Heartbeat, LeaseLost
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
# The loudness an album aims at when neither a target nor a reference says (as the engine's).
ALBUM_DEFAULT_TARGET_LUFS = -14.0
PREPARING_FORMATS = "preparing formats"
PLAYABLE_PROGRESS = 0.9


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
    heartbeat = Heartbeat(job.pk, token)
    heartbeat.start()
    workdir = _workdir(job)
    try:
        engine = _Engine(job, heartbeat)
        if job.playable_at is None:
            report, outputs = engine.master(workdir)
            _job_playable(job, token, report, outputs)
        heartbeat.progress(PLAYABLE_PROGRESS, PREPARING_FORMATS)
        made = _make_formats(job, token, workdir, engine)
        heartbeat.stop()
        _job_finish(job, token, made)
    except EngineError as exc:
        heartbeat.stop()
        _job_fail(job, token, _engine_failure(exc))
    except LeaseLost:
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


def _workdir(job: Job) -> Path:
    """A private folder for the engine's files: inside the storage folder when storage is a
    disk (storing a delivery is then a hard link, not a copy), else the system's temp folder."""
    try:
        folder = Path(default_storage.path(".work"))
        folder.mkdir(parents=True, exist_ok=True)
    except NotImplementedError:
        folder = Path(tempfile.gettempdir())
    prefix = f"masterbus-{job.pk.hex}-"
    for stale in folder.glob(f"{prefix}*"):  # left by an attempt whose worker was killed
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=folder))


class _Engine:
    """The engine's arguments for a job, worked out once: its settings, the measured reference
    and, for an album's track, its place in the album (the loudness target)."""

    def __init__(self, job: Job, heartbeat: Heartbeat) -> None:
        from masterbus.engine.api import load_reference

        self.job = job
        self.heartbeat = heartbeat
        self.settings = MasterSettings(**job.settings)
        self.reference = None
        if job.reference:
            with storage.local_copy(job.reference) as path:
                self.reference = load_reference(path)
        self.album = (
            _album_place(job, self.settings, self.reference, heartbeat)
            if job.album_job_id
            else None
        )

    def run(self, outputs: dict[str, Path], progress, **previews: Path) -> dict:
        with storage.local_copy(self.job.song.original) as original:
            return master_file(
                original,
                outputs,
                self.settings,
                reference=self.reference,
                target_override=self.album["track_target_lufs"] if self.album else None,
                preview_path=previews.get("preview"),
                original_preview_path=previews.get("original_preview"),
                progress=progress,
                max_seconds=settings.MAX_AUDIO_SECONDS,  # whatever the header said at upload
            )

    def master(self, workdir: Path) -> tuple[dict, dict[str, Path]]:
        """The WAV 24 master and the two previews (no other format): the playable part."""
        outputs = {DeliveryFormat.WAV24: workdir / formats.file_name(DeliveryFormat.WAV24)}
        previews = {
            "preview": workdir / "preview.wav",
            "original_preview": workdir / "original.wav",
        }

        def progress(fraction: float, stage: str) -> None:
            stage = PREPARING_FORMATS if stage == "done" else stage
            self.heartbeat.progress(fraction * PLAYABLE_PROGRESS, stage)

        report = self.run(outputs, progress, **previews)
        if self.album:
            report["album"] = self.album
        return report, {**outputs, **previews}

    def mp3(self, master: Path, path: Path) -> dict:
        """The MP3 delivery, made by the engine from the finished master (from its thread in
        ``formats.make``): the same ceiling and loudness target, no second mastering run."""
        from masterbus.engine.api import lossy_from_master

        def still_ours(_fraction: float, _stage: str) -> None:
            if self.heartbeat.lost:
                raise LeaseLost

        entry = lossy_from_master(
            master,
            path,
            DeliveryFormat.MP3,
            ceiling_dbtp=self.settings.ceiling_dbtp,
            target_lufs=(self.job.report or {}).get("target_lufs"),
            progress=still_ours,
        )
        return {**entry, "from": "wav24"}


def _album_place(job: Job, chosen: MasterSettings, reference, heartbeat: Heartbeat) -> dict:
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


def _job_playable(job: Job, token: str, report: dict, outputs: dict[str, Path]) -> None:
    """Store the master and the previews, record them with the report: the job plays."""
    prefix = job_prefix(job)
    # Files first, under fixed names (a retry overwrites, never duplicates), then the rows.
    stored = {
        key: storage.store(f"{prefix}/{key}.{path.suffix.lstrip('.')}", path)
        for key, path in outputs.items()
        if path.exists()
    }
    previews = {key: stored.pop(key, "") for key in ("preview", "original_preview")}
    master = stored[DeliveryFormat.WAV24]
    # Local work paths mean nothing after this; the report keeps storage names.
    report = {**report, "outputs": stored, "preview": previews["preview"] or None}
    report.pop("original_preview", None)
    with transaction.atomic():
        _check_lease(job, token, [master, *previews.values()])
        Delivery.objects.update_or_create(
            job=job,
            format=DeliveryFormat.WAV24,
            defaults={"file": master, "size": outputs[DeliveryFormat.WAV24].stat().st_size},
        )
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.MASTERING,
            progress=PLAYABLE_PROGRESS,
            stage=PREPARING_FORMATS,
            report=report,
            **previews,
            playable_at=timezone.now(),
        )
    job.report = report


def _make_formats(job: Job, token: str, workdir: Path, engine: _Engine) -> list[dict]:
    """Every format still missing, made from the stored master and recorded as it is ready;
    returns the report entries of the formats made now."""
    have = set(job.deliveries.values_list("format", flat=True))
    missing = [fmt for fmt in formats.MADE_FROM_MASTER if fmt not in have]
    prefix = job_prefix(job)
    made = []
    fresh = workdir / formats.file_name(DeliveryFormat.WAV24)  # mastered by this run
    with contextlib.ExitStack() as stack:
        if fresh.exists():
            path = fresh
        else:  # taken over after it was playable: the stored master
            master = job.deliveries.get(format=DeliveryFormat.WAV24).file
            path = stack.enter_context(storage.local_copy(master))
        for fmt, local, entry in formats.make(path, workdir, missing, engine.mp3):
            heartbeat = engine.heartbeat
            heartbeat.progress(heartbeat.fraction + 0.03, PREPARING_FORMATS)  # lease still ours?
            name = storage.store(f"{prefix}/{local.name}", local)
            with transaction.atomic():
                _check_lease(job, token, [name])
                Delivery.objects.update_or_create(
                    job=job, format=fmt, defaults={"file": name, "size": local.stat().st_size}
                )
            made.append(entry)
    return made


def _check_lease(job: Job, token: str, names: list[str]) -> None:
    """Inside a transaction: raise LeaseLost unless the job is still ours. If the job was
    deleted meanwhile (that deletion is committed), the files just stored are removed."""
    if Job.objects.filter(pk=job.pk, lease_token=token, status__in=ACTIVE_STATUSES).exists():
        return
    if not Job.objects.filter(pk=job.pk).exists():
        _remove_orphans([name for name in names if name])
    logger.warning("job %s: lease lost before recording its files", job.pk)
    raise LeaseLost


def _job_finish(job: Job, token: str, made: list[dict]) -> None:
    """Every format is ready: record the report's delivery entries and mark the job done."""
    with transaction.atomic():
        report = Job.objects.select_for_update().get(pk=job.pk).report or {}
        report["outputs"] = dict(job.deliveries.values_list("format", "file"))
        for stage in report.get("stages", []):
            if stage.get("name") == "delivery":
                known = {entry.get("format") for entry in stage.get("files", [])}
                stage["files"] += [entry for entry in made if entry["format"] not in known]
        finished = Job.objects.filter(
            pk=job.pk, lease_token=token, status__in=ACTIVE_STATUSES
        ).update(
            status=JobStatus.DONE,
            progress=1.0,
            stage="done",
            report=report,
            error_message="",
            lease_token="",
            lease_expires_at=None,
            finished_at=timezone.now(),
        )
    if not finished:
        logger.warning("job %s: lease lost before finishing", job.pk)
        return
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
