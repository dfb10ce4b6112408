"""Mastering writes: songs and albums from uploads, jobs (versions), running, sweeping, deleting.

A job is run by whoever holds its lease. Claiming is one conditional UPDATE, so two workers can
never both run a job; the lease is renewed by a heartbeat thread while the engine works; the
deliveries are written under fixed names and recorded in one transaction that first checks the
lease is still ours. A worker that dies leaves an expiring lease, and ``job_sweep`` queues the job
again: no job is lost and no job gets two sets of deliveries.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from masterbus.engine import FORMATS, EngineError, MasterSettings, master_file
from masterbus.mastering import files, quotas
from masterbus.mastering.errors import JobBusyError, LastVersionError, MasteringError
from masterbus.mastering.models import (
    ACTIVE_STATUSES,
    Album,
    AlbumJob,
    Delivery,
    Job,
    JobStatus,
    Song,
)
from masterbus.uploads.models import Upload, UploadStatus
from masterbus.uploads.selectors import upload_file_path, upload_get_for_owner
from masterbus.uploads.services import upload_delete

if TYPE_CHECKING:
    from masterbus.accounts.owner import Owner

logger = logging.getLogger(__name__)

DELIVERY_FORMATS = ("wav24", "wav16", "flac", "mp3")
FAILED_UNEXPECTEDLY = (
    "Something went wrong on our side while mastering. Your upload is kept: try again, "
    "or with other settings."
)
# Engine stages shown as "analysing"; every later stage is "mastering".
ANALYSIS_STAGES = ("starting", "reading", "analysing", "analysing album")
ALBUM_MAX_TRACKS = 30
# The loudness an album aims at when neither a target nor a reference says (as the engine's).
ALBUM_DEFAULT_TARGET_LUFS = -14.0
# How long a job may sit queued without a task in the queue before the sweeper re-queues it.
ENQUEUE_GRACE = timedelta(minutes=1)


def settings_from_form(
    *, target_lufs: float, style: str, intensity: float, ceiling_dbtp: float = -1.0
) -> dict:
    """Validate settings with the engine's own rules; returns the dict stored on the job."""
    try:
        chosen = MasterSettings(
            target_lufs=target_lufs, style=style, intensity=intensity, ceiling_dbtp=ceiling_dbtp
        )
    except EngineError as exc:
        raise MasteringError(str(exc)) from None
    return chosen.to_dict()


def song_create_from_upload(
    *, owner: Owner, upload_id, master_settings: dict, reference_id=None
) -> Job:
    """Make a song of the owner's finished upload and queue its first version.

    The song takes the upload's bytes into its own folder and the upload row goes away, so the
    original stays exactly as long as the song does (P12, P13). The same upload twice gives the
    same song (a double click on Master). Raises UploadError for an unknown upload.
    """
    existing = _song_from_upload(owner, upload_id)
    if existing is not None:
        return existing
    upload = upload_get_for_owner(owner, upload_id)
    reference = upload_get_for_owner(owner, reference_id) if reference_id else None
    _check_usable(upload)
    quotas.active_jobs_check(owner=owner)
    quotas.guest_storage_check(owner=owner)
    song = _song_new(owner, upload)
    try:
        with transaction.atomic():
            song.save(force_insert=True)
            job = _job_create(song=song, master_settings=master_settings, reference=reference)
            _uploads_delete([upload, reference])
    except IntegrityError:  # the same upload, submitted twice at the same moment
        files.delete([song.original])
        existing = _song_from_upload(owner, upload_id)
        if existing is None:
            raise
        return existing
    except BaseException:
        files.delete([song.original])
        raise
    return job


def _song_from_upload(owner: Owner, upload_id) -> Job | None:
    song = Song.objects.filter(source_upload_id=upload_id, **owner.filter_kwargs()).first()
    return song.jobs.order_by("-number").first() if song else None


def _song_new(owner: Owner, upload: Upload, **fields) -> Song:
    """An unsaved song whose original already holds the upload's bytes in the song's folder."""
    song = Song(
        **owner.create_kwargs(),
        title=upload.filename,
        source_upload_id=upload.pk,
        original_size=upload.length,
        audio_info=upload.audio_info or {},
        **fields,
    )
    song.original = files.store(
        f"songs/{song.id.hex}/original.{_extension(upload)}", upload_file_path(upload)
    )
    return song


def _uploads_delete(uploads: list[Upload | None]) -> None:
    """The uploads a song or job took its bytes from: their rows (and files) are done with."""
    for upload in uploads:
        if upload is not None:
            upload_delete(upload=upload)


def job_create(*, owner: Owner, song: Song, master_settings: dict, reference_id=None) -> Job:
    """Queue another version of a song with other settings (no new upload needed)."""
    reference = upload_get_for_owner(owner, reference_id) if reference_id else None
    _remaster_allowed(owner)
    with transaction.atomic():
        job = _job_create(song=song, master_settings=master_settings, reference=reference)
        _uploads_delete([reference])
    return job


@transaction.atomic
def _job_create(
    *,
    song: Song,
    master_settings: dict,
    reference: Upload | None,
    album_job: AlbumJob | None = None,
) -> Job:
    """A queued version with its own copy of the reference (deleting a version deletes it)."""
    if reference is not None:
        _check_usable(reference)
    number = (song.jobs.aggregate(n=Max("number"))["n"] or 0) + 1
    job = Job(song=song, number=number, settings=master_settings, album_job=album_job)
    if reference is not None:
        job.reference_name = reference.filename
        job.reference = files.store(
            f"{_job_prefix(job)}/reference.{_extension(reference)}", upload_file_path(reference)
        )
    job.save(force_insert=True)
    transaction.on_commit(lambda: job_enqueue(job_id=job.pk))
    return job


def album_create_from_uploads(
    *, owner: Owner, title: str, upload_ids: list, master_settings: dict, reference_id=None
) -> AlbumJob:
    """Make an album of the owner's finished uploads, in this order, and queue its first master.

    Each upload becomes a song (a track) with a job of its own, so a track is leased, swept and
    delivered exactly like a single song; the album job ties the tracks' jobs together. The same
    uploads twice give the same album (a double click). Raises UploadError for an unknown upload.
    """
    ids = [str(upload_id) for upload_id in upload_ids]
    if not ids:
        raise MasteringError("Add at least one song to the album.")
    if len(ids) > ALBUM_MAX_TRACKS:
        raise MasteringError(f"An album has at most {ALBUM_MAX_TRACKS} songs.")
    if len(set(ids)) != len(ids):
        raise MasteringError("The same song is in the album twice.")
    if reference_id is not None and str(reference_id) in ids:
        raise MasteringError("The reference track cannot also be a song of the album.")
    existing = _album_job_from_upload(owner, ids[0])
    if existing is not None:
        return existing
    uploads = [upload_get_for_owner(owner, upload_id) for upload_id in ids]
    reference = upload_get_for_owner(owner, reference_id) if reference_id else None
    for upload in [*uploads, reference]:
        if upload is not None:
            _check_usable(upload)
    quotas.active_jobs_check(owner=owner)
    quotas.guest_storage_check(owner=owner)
    album = Album(**owner.create_kwargs(), title=title.strip()[:200] or "Untitled album")
    songs: list[Song] = []
    try:
        for number, upload in enumerate(uploads, start=1):
            songs.append(_song_new(owner, upload, album=album, track_number=number))
        with transaction.atomic():
            album.save(force_insert=True)
            for song in songs:
                song.save(force_insert=True)
            album_job = _album_job_create(
                album=album, songs=songs, master_settings=master_settings, reference=reference
            )
            _uploads_delete([*uploads, reference])
    except IntegrityError:  # the same uploads, submitted twice at the same moment
        files.delete([song.original for song in songs])
        existing = _album_job_from_upload(owner, ids[0])
        if existing is None:
            raise
        return existing
    except BaseException:
        files.delete([song.original for song in songs])
        raise
    return album_job


def _album_job_from_upload(owner: Owner, upload_id) -> AlbumJob | None:
    song = Song.objects.filter(source_upload_id=upload_id, **owner.filter_kwargs()).first()
    if song is None or song.album_id is None:
        return None
    return AlbumJob.objects.filter(album_id=song.album_id).order_by("-number").first()


def album_job_create(
    *, owner: Owner, album: Album, master_settings: dict, reference_id=None
) -> AlbumJob:
    """Master the whole album again with other settings, from the kept originals."""
    reference = upload_get_for_owner(owner, reference_id) if reference_id else None
    songs = list(album.tracks.order_by("track_number"))
    if not songs:
        raise MasteringError("This album has no songs left to master.")
    _remaster_allowed(owner)
    with transaction.atomic():
        album_job = _album_job_create(
            album=album, songs=songs, master_settings=master_settings, reference=reference
        )
        _uploads_delete([reference])
    return album_job


def _remaster_allowed(owner: Owner) -> None:
    """The quotas a re-master (of a song or an album) must pass; the rate is counted last."""
    quotas.active_jobs_check(owner=owner)
    quotas.guest_storage_check(owner=owner)
    quotas.remaster_rate_check(owner=owner)


@transaction.atomic
def _album_job_create(
    *, album: Album, songs: list[Song], master_settings: dict, reference: Upload | None
) -> AlbumJob:
    number = (album.jobs.aggregate(n=Max("number"))["n"] or 0) + 1
    album_job = AlbumJob.objects.create(
        album=album,
        number=number,
        settings=master_settings,
        reference_name=reference.filename if reference is not None else "",
    )
    for song in songs:
        _job_create(
            song=song, master_settings=master_settings, reference=reference, album_job=album_job
        )
    return album_job


def job_enqueue(*, job_id) -> None:
    """Put the job's task in the queue (after commit) and record that it is there.

    If the queue cannot be reached the job stays without ``enqueued_at`` and the sweeper queues
    it later: the request that created it still succeeds.
    """
    from masterbus.mastering.tasks import master_job

    try:
        master_job.enqueue(str(job_id))
    except Exception:
        logger.exception("could not queue job %s; the sweeper will", job_id)
        return
    Job.objects.filter(pk=job_id).update(enqueued_at=timezone.now())


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
    outputs = {fmt: workdir / f"{fmt}.{FORMATS[fmt][2]}" for fmt in DELIVERY_FORMATS}
    previews = {"preview": workdir / "preview.wav", "original_preview": workdir / "original.wav"}
    reference = None
    if job.reference:
        with files.local_copy(job.reference) as path:
            reference = load_reference(path)
    album = _album_place(job, chosen, reference, heartbeat) if job.album_job_id else None
    with files.local_copy(job.song.original) as original:
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
            with files.local_copy(song.original) as path:
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
    prefix = _job_prefix(job)
    # Files first, under fixed names (a retry overwrites, never duplicates), then the rows.
    stored = {
        key: files.store(f"{prefix}/{key}.{path.suffix.lstrip('.')}", path)
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
    files.delete(names)
    for folder in {name.rsplit("/", 2)[0] for name in names}:  # songs/<song>/v<n>/x
        files.remove_empty_dirs(folder)


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


def job_notify(*, job: Job) -> bool:
    """Email the owner that the master is ready, once, unless they switched it off."""
    user = job.song.user
    if user is None or not user.email_on_master_ready:
        return False
    if not Job.objects.filter(pk=job.pk, notified_at=None).update(notified_at=timezone.now()):
        return False
    link = settings.SITE_URL.rstrip("/") + reverse("mastering:song", args=[job.song_id])
    try:
        send_mail(
            subject=f"Your master of “{job.song.title}” is ready",
            message=(
                f"Version {job.number} of “{job.song.title}” is mastered.\n\n"
                f"Listen and download: {link}?v={job.number}\n\n"
                "You can switch these emails off in your settings."
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    except OSError:
        logger.exception("could not send the ready email for job %s", job.pk)
        return False
    return True


def job_sweep() -> int:
    """Queue again the jobs whose worker died (lease expired) or that never reached the queue."""
    now = timezone.now()
    stale = Job.objects.filter(status__in=ACTIVE_STATUSES).filter(
        Q(lease_expires_at__lt=now)
        | Q(status=JobStatus.QUEUED, enqueued_at=None, created_at__lt=now - ENQUEUE_GRACE)
    )
    count = 0
    for job_id in list(stale.values_list("pk", flat=True)):
        # Conditional: a worker that renewed its lease meanwhile keeps the job.
        released = (
            Job.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES)
            .filter(Q(lease_expires_at__lt=now) | Q(enqueued_at=None))
            .update(
                status=JobStatus.QUEUED,
                stage="waiting for a worker",
                lease_token="",
                lease_expires_at=None,
                enqueued_at=None,
            )
        )
        if released:
            job_enqueue(job_id=job_id)
            count += 1
    if count:
        logger.info("sweeper queued %d job(s) again", count)
    return count


def job_delete(*, job: Job) -> None:
    """Delete one version of a song with its deliveries and files; the song and others stay.

    A version still in the queue or being mastered is refused (the worker holds it), and so is
    the song's only version: deleting that is deleting the song. A track of an album version
    waits for the whole album, whose loudness targets its queued tracks still read.
    """
    if job.is_active:
        raise JobBusyError("This version is still being mastered: wait until it is done or failed.")
    if (
        job.album_job_id
        and Job.objects.filter(album_job_id=job.album_job_id, status__in=ACTIVE_STATUSES).exists()
    ):
        raise JobBusyError("Its album is still being mastered: wait until every track is done.")
    if not job.song.jobs.exclude(pk=job.pk).exists():
        raise LastVersionError("This is the song's only version: delete the song instead.")
    names = [job.reference, job.preview, job.original_preview]
    names += list(job.deliveries.values_list("file", flat=True))
    # Conditional, so a version that a sweeper re-queued a moment ago is not pulled from a worker.
    deleted, _ = Job.objects.filter(pk=job.pk).exclude(status__in=ACTIVE_STATUSES).delete()
    if not deleted:
        raise JobBusyError("This version is still being mastered: wait until it is done or failed.")
    folder = _job_prefix(job)

    def remove_files() -> None:
        files.delete(names)
        files.remove_empty_dirs(folder)

    transaction.on_commit(remove_files)


def album_delete(*, album: Album) -> None:
    """Delete an album with every track (song), version and file of it (P13)."""
    for song in album.tracks.all():
        song_delete(song=song)
    album.delete()


def song_delete(*, song: Song) -> None:
    """Delete a song, its versions and every file of it (P13); files go once the rows are gone."""
    folder = f"songs/{song.id.hex}"
    names = [song.original]
    for job in song.jobs.all():
        names += [job.reference, job.preview, job.original_preview]
        names += list(job.deliveries.values_list("file", flat=True))
    song.delete()

    def remove_files() -> None:
        files.delete(names)
        files.remove_empty_dirs(folder)

    transaction.on_commit(remove_files)


def guest_songs_purge(*, now=None) -> int:
    """Delete guest songs (with their files) and guest uploads older than the retention (P12)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.GUEST_RETENTION_DAYS)
    count = owned_media_delete(user=None, created_at__lt=cutoff)
    if count:
        logger.info("purged %d expired guest song(s) and upload(s)", count)
    return count


def owned_media_delete(**lookup) -> int:
    """Delete the albums, songs and uploads that match ``lookup``, files included; how many.

    The one way to remove someone's media wholesale: the guest purge and the account purge.
    """
    count = 0
    for album in Album.objects.filter(**lookup):
        album_delete(album=album)
        count += 1
    for song in Song.objects.filter(**lookup):
        song_delete(song=song)
        count += 1
    for upload in Upload.objects.filter(**lookup):
        upload_delete(upload=upload)
        count += 1
    return count


def _check_usable(upload: Upload) -> None:
    if upload.status == UploadStatus.FAILED:
        raise MasteringError(upload.error_message or "This upload could not be used.")
    if upload.status != UploadStatus.COMPLETE:
        raise MasteringError("The upload has not finished yet: wait for it to reach 100 %.")


def _extension(upload: Upload) -> str:
    """The stored file's extension, from what the content is (never from the user's name)."""
    fmt = str((upload.audio_info or {}).get("format", "")).lower()
    return fmt if fmt.isalnum() and 0 < len(fmt) <= 8 else "bin"


def _job_prefix(job: Job) -> str:
    return f"songs/{job.song_id.hex}/v{job.number}"
